import { editorBackupPolicy } from '../backup-offer';
import { commandOptions } from '../command-arguments';
import { confirmByTyping } from '../confirm';
import {
  chooseFolderModel,
  inRunSession,
  resolveForCommand,
  runWithProgress,
  type CommandResult,
} from '../database-run';
import { errorMessage } from '../../core/errors';
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
    const { target } = connection.resolved;
    return inRunSession(container, model, connection.resolved, async (session): Promise<CommandResult> => {
      // The URL may name no database: the server's current one is the one dropped, so the user types that name.
      let databaseName: string;
      try {
        await session.readSource();
        databaseName = await session.databaseName();
      } catch (error) {
        return { kind: 'failed', message: errorMessage(error) };
      }
      container.output.info(`${model.folder.name} on ${target.redactedUrl}: drop every table of ${databaseName}`);
      if (
        options.confirm !== false &&
        !(await confirmByTyping(`Drop every table of ${databaseName}, the version table included?`, databaseName))
      ) {
        container.output.info('cancelled: nothing ran');
        return { kind: 'declined' };
      }
      const result = await runWithProgress(
        container,
        model,
        `Migration Lens: dropping ${databaseName}`,
        0,
        options,
        (runOptions) => session.drop({ ...runOptions, backup: editorBackupPolicy(container, model, options) }),
      );
      if (result.kind === 'done') {
        const tables = result.result.droppedTables ?? [];
        container.output.info(`dropped ${tables.length} table(s)${tables.length > 0 ? `: ${tables.join(', ')}` : ''}`);
      }
      return result;
    });
  };
