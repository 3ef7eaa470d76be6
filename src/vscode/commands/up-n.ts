import { commandOptions } from '../command-arguments';
import { pickCount } from '../command-pickers';
import { chooseFolderModel } from '../database-run';
import { migrateActiveEnvironment } from '../fleet-run';
import type { CommandFactory } from './index';

/** golang-migrate's `up N`: applies the next N migrations (`{ count }` or asked). */
export const upN: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const limit = model && (await pickCount(options, 'apply'));
    return model && limit && migrateActiveEnvironment(container, model, { kind: 'up', limit }, options);
  };
