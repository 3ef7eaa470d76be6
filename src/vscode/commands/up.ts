import { commandOptions } from '../command-arguments';
import { chooseFolderModel, runPlannedMigration } from '../database-run';
import type { CommandFactory } from './index';

/** golang-migrate's `up`: applies every pending migration. */
export const up: CommandFactory =
  (container) =>
  async (...args) => {
    const model = await chooseFolderModel(container, args);
    return model && runPlannedMigration(container, model, { kind: 'up' }, commandOptions(args));
  };
