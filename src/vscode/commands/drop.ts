import { MigrationDatabase } from '../../adapters/mysql/database';
import { NIL_VERSION } from '../../core/model';
import { offerBackup } from '../backup-offer';
import { commandOptions } from '../command-arguments';
import { confirmByTyping } from '../confirm';
import {
  chooseFolderModel,
  errorMessage,
  migrateWith,
  resolveForCommand,
  runWithProgress,
  type CommandResult,
} from '../database-run';
import type { CommandFactory } from './index';

/**
 * golang-migrate's `drop`: drops every table of the database, the version table included, once the user has typed
 * the database's name (or passed `{ confirm: false }`).
 */
export const drop: CommandFactory =
  (container) =>
  async (...args): Promise<CommandResult | undefined> => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    const connection = await resolveForCommand(container, model);
    if ('refused' in connection) return { kind: 'refused', message: connection.refused };
    const { config, target } = connection.resolved;
    let databaseName = config.database;
    if (databaseName === '') {
      // The URL names no database: the server's current one is the one dropped, so the user must type that name.
      try {
        const database = await MigrationDatabase.open(config);
        databaseName = database.databaseName;
        await database.close();
      } catch (error) {
        return { kind: 'failed', message: errorMessage(error) };
      }
    }
    container.output.info(`${model.folder.name} on ${target.redactedUrl}: drop every table of ${databaseName}`);
    if (
      options.confirm !== false &&
      !(await confirmByTyping(`Drop every table of ${databaseName}, the version table included?`, databaseName))
    ) {
      container.output.info('cancelled: nothing ran');
      return { kind: 'declined' };
    }
    const version = model.database.kind === 'connected' ? model.database.version.version : NIL_VERSION;
    const backup = await offerBackup(container, model, connection.resolved, version, 'all', options);
    if (backup.kind === 'cancel') return { kind: 'declined' };
    const result = await runWithProgress(container, model, `Migration Lens: dropping ${databaseName}`, 0, () =>
      migrateWith(container, model, connection.resolved, { kind: 'drop' }),
    );
    if (result.kind === 'done') {
      const tables = result.result.droppedTables ?? [];
      container.output.info(`dropped ${tables.length} table(s)${tables.length > 0 ? `: ${tables.join(', ')}` : ''}`);
    }
    return result;
  };
