import { commandOptions } from '../command-arguments';
import { pickCount } from '../command-pickers';
import { chooseFolderModel, runPlannedMigration } from '../database-run';
import type { CommandFactory } from './index';

/** golang-migrate's `down N`: rolls back N migrations (`{ count }` or asked), after confirming. */
export const downN: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const limit = model && (await pickCount(options, 'roll back'));
    return model && limit && runPlannedMigration(container, model, { kind: 'down', limit }, options);
  };
