import * as vscode from 'vscode';
import type { DatabaseVersion } from '../../core/model';
import { chooseFolderModel, resolveForCommand } from '../database-run';
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
    const { target } = connection.resolved;
    // The model reads the version for the tree and status bar too: one read serves both.
    await model.refreshDatabase();
    const state = model.database;
    if (state.kind !== 'connected') {
      const reason = state.kind === 'unreachable' ? state.reason : 'the database is not connected';
      const message = `Cannot read the version of ${target.redactedUrl}: ${reason}`;
      container.output.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    const { version } = state;
    const text =
      version.version < 0n
        ? `no migration${version.dirty ? ' (the table holds -1, dirty)' : ''}`
        : `${version.version}${version.dirty ? ' (dirty)' : ''}`;
    container.output.info(`${model.folder.name} on ${target.redactedUrl}: ${text}`);
    void vscode.window.showInformationMessage(`${target.redactedUrl}: ${text}`);
    return version;
  };
