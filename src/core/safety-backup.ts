import { NIL_VERSION } from './model';

/** The folder backups go to when `migrationLens.backupPath` is not set, relative to the workspace folder. */
export const DEFAULT_BACKUP_FOLDER = '.migration-lens/backups';

/**
 * `<database>_v<version>_<UTC time>.sql`, e.g. `shop_v42_20260102T030405.678Z.sql`: sorted by name, a folder of
 * backups reads by database then version then time. Characters a file system may refuse become `_`.
 */
export function backupFileName(database: string, version: bigint, at: Date): string {
  const safeDatabase = database.replace(/[^\p{L}\p{N}_.-]/gu, '_');
  const label = version === NIL_VERSION ? 'nil' : String(version);
  const time = at.toISOString().replace(/[-:]/g, '');
  return `${safeDatabase}_v${label}_${time}.sql`;
}
