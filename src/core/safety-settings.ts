import { DEFAULT_BACKUP_FOLDER } from './safety-backup';
import { optionalText } from './setting-values';

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

export const DEFAULT_SAFETY_SETTINGS: SafetySettings = {
  backup: 'ask',
  backupPath: DEFAULT_BACKUP_FOLDER,
  ledgerTable: undefined,
  ledgerCreate: true,
};

/** Reads `migrationLens.backup`, `backupPath`, `ledger.table` and `ledger.create`, falling back to the defaults. */
export function normaliseSafetySettings(read: (key: string) => unknown): SafetySettings {
  const backup = read('backup');
  const create = read('ledger.create');
  const defaults = DEFAULT_SAFETY_SETTINGS;
  return {
    backup: backup === 'always' || backup === 'never' || backup === 'ask' ? backup : defaults.backup,
    backupPath: optionalText(read('backupPath')) ?? defaults.backupPath,
    ledgerTable: optionalText(read('ledger.table')),
    ledgerCreate: typeof create === 'boolean' ? create : defaults.ledgerCreate,
  };
}
