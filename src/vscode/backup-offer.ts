import path from 'node:path';
import * as vscode from 'vscode';
import type { BackupPolicy } from '../app/run-session';
import type { BackupPolicy as BackupMode } from '../core/safety-settings';
import type { CommandOptions } from './command-arguments';
import type { Container } from './container';
import type { FolderModel } from './folder-model';

/** `{ backup: 'always' | 'ask' | 'never' }` among a command's options overrides the setting for that run. */
function backupModeOption(options: CommandOptions): BackupMode | undefined {
  const value = options.backup;
  return value === 'always' || value === 'ask' || value === 'never' ? value : undefined;
}

/** The folder's backup folder: `migrationLens.backupPath` under the workspace folder (or absolute). */
export function backupFolder(container: Container, model: FolderModel): string {
  return path.resolve(model.folder.uri.fsPath, container.settings(model.folder).safety.backupPath);
}

/**
 * How a run from the editor backs up before going down or dropping, by the `migrationLens.backup` setting: always,
 * never, or ask in a modal dialog (skipped, and the backup written, when the caller passed `{ confirm: false }`). A
 * failed backup stops the run unless the user goes on without it.
 */
export function editorBackupPolicy(container: Container, model: FolderModel, options: CommandOptions): BackupPolicy {
  const settings = container.settings(model.folder).safety;
  const folder = backupFolder(container, model);
  const log = container.output;
  return {
    mode: backupModeOption(options) ?? settings.backup,
    folder,
    ask: async (scope) => {
      if (options.confirm === false) return 'back-up';
      const backUp = 'Back Up First';
      const skip = 'Continue Without Backup';
      const answer = await vscode.window.showWarningMessage(
        `Back up ${describeScope(scope)} before going down?`,
        {
          modal: true,
          detail: `The dump goes to ${folder}. Set migrationLens.backup to "always" or "never" to stop this question.`,
        },
        backUp,
        skip,
      );
      if (answer === undefined) log.info('cancelled before the backup: nothing ran');
      return answer === backUp ? 'back-up' : answer === skip ? 'skip' : 'cancel';
    },
    goOnAfterFailure: async (error) => {
      const message = `The backup failed: ${(error as Error).message}`;
      log.error(`${model.folder.name}: ${message}`);
      const goOn = 'Continue Without Backup';
      return (await vscode.window.showErrorMessage(message, { modal: true }, goOn)) === goOn;
    },
    onResult: (result, scope) => {
      if (result) {
        log.info(`${model.folder.name}: backed up ${result.tables.join(', ')} with ${result.tool} to ${result.file}`);
      } else if (scope !== 'all' && scope.length === 0) {
        log.info(`${model.folder.name}: the down files drop, rename or delete from no table: no backup needed`);
      } else {
        log.info(`${model.folder.name}: none of ${describeScope(scope)} exists yet: no backup needed`);
      }
    },
  };
}

function describeScope(scope: readonly string[] | 'all'): string {
  return scope === 'all' ? 'every table' : `${scope.length === 1 ? 'table' : 'tables'} ${scope.join(', ')}`;
}
