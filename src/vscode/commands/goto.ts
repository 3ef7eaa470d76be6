import { commandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import { chooseFolderModel } from '../database-run';
import { migrateActiveEnvironment } from '../fleet-run';
import type { CommandFactory } from './index';

/** golang-migrate's `goto V`: migrates up or down to a version picked with its state; asks first when going down. */
export const goto: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const version = model && (await pickVersion(model, options, 'Migration Lens: go to version', false));
    return (
      model && version !== undefined && migrateActiveEnvironment(container, model, { kind: 'goto', version }, options)
    );
  };
