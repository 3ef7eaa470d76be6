import { DEFAULT_BACKUP_FOLDER } from './safety-backup';
import { optionalText } from './editor-settings';

/** Whether to back up the tables a down touches before it runs. */
export type BackupPolicy = 'always' | 'ask' | 'never';

/** The safety settings of one workspace folder, normalised like the other editor settings. */
export interface SafetySettings {
  readonly backup: BackupPolicy;
  /** The backup folder, relative to the workspace folder or absolute. */
  readonly backupPath: string;
  /** The ledger table beside the version table. */
  readonly ledgerTable: string | undefined;
  /** False: never create the ledger table (it is still written when it exists). */
  readonly ledgerCreate: boolean;
}

/** Reads `migrationLens.backup`, `backupPath`, `ledger.table` and `ledger.create`, falling back to the defaults. */
export function normaliseSafetySettings(read: (key: string) => unknown): SafetySettings {
  const backup = read('backup');
  const create = read('ledger.create');
  return {
    backup: backup === 'always' || backup === 'never' || backup === 'ask' ? backup : 'ask',
    backupPath: optionalText(read('backupPath')) ?? DEFAULT_BACKUP_FOLDER,
    ledgerTable: optionalText(read('ledger.table')),
    ledgerCreate: typeof create === 'boolean' ? create : true,
  };
}
