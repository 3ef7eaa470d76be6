import * as vscode from 'vscode';
import { readDatabaseVersion } from '../../adapters/project-database-version';
import type { DatabaseVersion } from '../../core/model';
import { chooseFolderModel, errorMessage, resolveForCommand } from '../database-run';
import type { CommandFactory } from './index';

/**
 * golang-migrate's `version`: shows `V` or `V (dirty)`, or "no migration". Returns the version read. Unlike `migrate
 * version` it only reads: looking at a database never creates the version table.
 */
export const showVersion: CommandFactory =
  (container) =>
  async (...args): Promise<DatabaseVersion | undefined> => {
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    const connection = await resolveForCommand(container, model);
    if ('refused' in connection) return undefined;
    const { config, target } = connection.resolved;
    try {
      const version = await readDatabaseVersion(config);
      const text =
        version.version < 0n
          ? `no migration${version.dirty ? ' (the table holds -1, dirty)' : ''}`
          : `${version.version}${version.dirty ? ' (dirty)' : ''}`;
      container.output.info(`${model.folder.name} on ${target.redactedUrl}: ${text}`);
      void vscode.window.showInformationMessage(`${target.redactedUrl}: ${text}`);
      return version;
    } catch (error) {
      const message = `Cannot read the version of ${target.redactedUrl}: ${errorMessage(error)}`;
      container.output.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    } finally {
      await model.refreshDatabase();
    }
  };
