import { commandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import { chooseFolderModel, runPlannedMigration, treeNode } from '../database-run';
import type { CommandFactory } from './index';

const TITLE = 'Migration Lens: roll back to version';

/** Tree action on an applied version: `goto` it downward (after confirming), refusing if that would apply anything. */
export const rollBackTo: CommandFactory =
  (container) =>
  async (...args) => {
    const node = treeNode(args);
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const version =
      node?.kind === 'version' ? node.status.version : model && (await pickVersion(model, options, TITLE, false));
    if (!model || version === undefined) return undefined;
    return runPlannedMigration(container, model, { kind: 'goto', version }, options, 'down');
  };
