import { commandOptions } from '../command-arguments';
import { chooseFolderModel } from '../database-run';
import { migrateActiveEnvironment } from '../fleet-run';
import type { CommandFactory } from './index';

/** golang-migrate's `up`: applies every pending migration. */
export const up: CommandFactory =
  (container) =>
  async (...args) => {
    const model = await chooseFolderModel(container, args);
    return model && migrateActiveEnvironment(container, model, { kind: 'up' }, commandOptions(args));
  };
