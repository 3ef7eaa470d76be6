import * as vscode from 'vscode';
import type { BackupResult } from '../../core/run-ports';
import { backupFolder } from '../backup-offer';
import { errorMessage } from '../../core/errors';
import { chooseFolderModel, inRunSession, resolveForCommand } from '../database-run';
import type { CommandFactory } from './index';

/** What Back Up returns: the backup written (none when the database has no table), or why there is none. */
export type BackupCommandResult =
  | { readonly kind: 'continue'; readonly backup?: BackupResult }
  | { readonly kind: 'refused' | 'failed'; readonly message: string };

/** Backs up every table of the folder's database now, into migrationLens.backupPath. */
export const backup: CommandFactory =
  (container) =>
  async (...args): Promise<BackupCommandResult | undefined> => {
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    const connection = await resolveForCommand(container, model);
    if ('refused' in connection) return { kind: 'refused', message: connection.refused };
    const folder = backupFolder(container, model);
    const log = container.output;
    try {
      const result = await inRunSession(container, model, connection.resolved, async (session) =>
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Migration Lens: backing up every table' },
          () => session.backUpNow(folder),
        ),
      );
      if (!result) {
        log.info(`${model.folder.name}: the database has no table: no backup needed`);
        return { kind: 'continue' };
      }
      log.info(`${model.folder.name}: backed up ${result.tables.join(', ')} with ${result.tool} to ${result.file}`);
      return { kind: 'continue', backup: result };
    } catch (error) {
      const message = `The backup failed: ${errorMessage(error)}`;
      log.error(`${model.folder.name}: ${message}`);
      void vscode.window.showErrorMessage(message);
      return { kind: 'failed', message };
    }
  };
