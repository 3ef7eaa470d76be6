import { commandOptions } from '../command-arguments';
import { chooseFolderModel, runPlannedMigration } from '../database-run';
import type { CommandFactory } from './index';

/** golang-migrate's `down 1`: rolls back the current migration, after confirming. */
export const down: CommandFactory =
  (container) =>
  async (...args) => {
    const model = await chooseFolderModel(container, args);
    return model && runPlannedMigration(container, model, { kind: 'down', limit: 1 }, commandOptions(args));
  };
