import { commandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import { chooseFolderModel, runPlannedMigration, treeNode } from '../database-run';
import type { CommandFactory } from './index';

const TITLE = 'Migration Lens: apply up to version';

/** Tree action on a pending version: `goto` it, refusing if that would roll anything back. */
export const applyUpTo: CommandFactory =
  (container) =>
  async (...args) => {
    const node = treeNode(args);
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const version =
      node?.kind === 'version' ? node.status.version : model && (await pickVersion(model, options, TITLE, false));
    if (!model || version === undefined) return undefined;
    return runPlannedMigration(container, model, { kind: 'goto', version }, options, 'up');
  };
