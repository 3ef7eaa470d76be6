import path from 'node:path';
import * as vscode from 'vscode';
import { backupScopeOfSteps, writeBackup, type BackupResult } from '../adapters/backup-run';
import type { PlannedStep } from '../core/plan';
import type { BackupPolicy } from '../core/safety-settings';
import type { CommandOptions } from './command-arguments';
import type { Container } from './container';
import type { ResolvedDatabase } from './database-target';
import type { FolderModel } from './folder-model';
import { safetyServices } from './recovery-services';

/** Going on (with the backup written, if one was) or stopping before anything runs. */
export type BackupDecision =
  { readonly kind: 'continue'; readonly backup?: BackupResult } | { readonly kind: 'cancel' };

/** `{ backup: 'always' | 'ask' | 'never' }` among a command's options overrides the setting for that run. */
function backupPolicyOption(options: CommandOptions): BackupPolicy | undefined {
  const value = options.backup;
  return value === 'always' || value === 'ask' || value === 'never' ? value : undefined;
}

/** Before the down steps of a plan run: offers to back up the tables their down files can lose data in. */
export async function offerBackupBeforeDown(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  version: bigint,
  steps: readonly PlannedStep[],
  options: CommandOptions,
): Promise<BackupDecision> {
  const folder = model.migrationsFolder?.uri.fsPath;
  const tables = folder === undefined ? [] : await backupScopeOfSteps(folder, steps, resolved.config);
  if (tables !== 'all' && tables.length === 0) {
    container.output.info(
      `${model.folder.name}: the down files drop, rename or delete from no table: no backup needed`,
    );
    return { kind: 'continue' };
  }
  return offerBackup(container, model, resolved, version, tables, options);
}

/**
 * Backs up `tables` (or every table, for drop) by the `migrationLens.backup` setting: always, never, or ask. Asking
 * is skipped (and the backup written) when the caller passed `{ confirm: false }`. The dump goes to
 * `migrationLens.backupPath` under the workspace folder; a failed backup stops the run unless the user goes on.
 */
export async function offerBackup(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  version: bigint,
  tables: readonly string[] | 'all',
  options: CommandOptions,
  /** Overrides the setting and `{ backup }` (the Back Up command always backs up). */
  policyOverride?: BackupPolicy,
): Promise<BackupDecision> {
  const settings = safetyServices(container).settings(model);
  const policy = policyOverride ?? backupPolicyOption(options) ?? settings.backup;
  if (policy === 'never') return { kind: 'continue' };
  const what = tables === 'all' ? 'every table' : `${tables.length === 1 ? 'table' : 'tables'} ${tables.join(', ')}`;
  const folder = path.resolve(model.folder.uri.fsPath, settings.backupPath);
  if (policy === 'ask' && options.confirm !== false) {
    const backUp = 'Back Up First';
    const skip = 'Continue Without Backup';
    const answer = await vscode.window.showWarningMessage(
      `Back up ${what} before going down?`,
      {
        modal: true,
        detail: `The dump goes to ${folder}. Set migrationLens.backup to "always" or "never" to stop this question.`,
      },
      backUp,
      skip,
    );
    if (answer === undefined) return cancelled(container);
    if (answer === skip) return { kind: 'continue' };
  }
  try {
    const backup = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Migration Lens: backing up ${what}` },
      () => writeBackup({ database: resolved.config, version, tables, folder }),
    );
    if (!backup) {
      container.output.info(`${model.folder.name}: none of ${what} exists yet: no backup needed`);
      return { kind: 'continue' };
    }
    container.output.info(
      `${model.folder.name}: backed up ${backup.tables.join(', ')} with ${backup.tool} to ${backup.file}`,
    );
    return { kind: 'continue', backup };
  } catch (error) {
    const message = `The backup failed: ${(error as Error).message}`;
    container.output.error(`${model.folder.name}: ${message}`);
    const goOn = 'Continue Without Backup';
    const answer = await vscode.window.showErrorMessage(message, { modal: true }, goOn);
    return answer === goOn ? { kind: 'continue' } : cancelled(container);
  }
}

function cancelled(container: Container): BackupDecision {
  container.output.info('cancelled before the backup: nothing ran');
  return { kind: 'cancel' };
}
