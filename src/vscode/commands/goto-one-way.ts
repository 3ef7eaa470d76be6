import type { Direction } from '../../core/model';
import { commandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import { chooseFolderModel, runPlannedMigration, treeNode } from '../database-run';
import type { CommandFactory } from './index';

/**
 * The tree actions on a version row: `goto` that version (or one picked when run from the palette), refusing a plan
 * that would move the other way.
 */
export function gotoOneWay(title: string, direction: Direction): CommandFactory {
  return (container) =>
    async (...args) => {
      const node = treeNode(args);
      const options = commandOptions(args);
      const model = await chooseFolderModel(container, args);
      const version =
        node?.kind === 'version' ? node.status.version : model && (await pickVersion(model, options, title, false));
      if (!model || version === undefined) return undefined;
      return runPlannedMigration(container, model, { kind: 'goto', version }, options, direction);
    };
}
