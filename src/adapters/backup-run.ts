import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupResult } from '../core/run-ports';
import { backupFileName } from '../core/safety-backup';
import { type ListedTable, writeListedDump } from './backup-dump';
import { findMysqldump, writeMysqldump } from './backup-mysqldump';
import { listTables } from './backup-sql';
import type { MysqlSession } from './mysql/connection';
import type { DatabaseConfig } from './mysql/dsn';

export interface BackupRequest {
  /** The run's session: the built-in dump reads through it. */
  readonly session: MysqlSession;
  /** The connection settings, for mysqldump. */
  readonly database: DatabaseConfig;
  readonly databaseName: string;
  /** The database's version now, for the file name. */
  readonly version: bigint;
  /** Table names, or every table and view for `drop`. */
  readonly tables: readonly string[] | 'all';
  /** Absolute folder; created when missing (private, and ignored by git). */
  readonly folder: string;
  /** `builtin` skips mysqldump even when it is on PATH. */
  readonly tool?: 'auto' | 'builtin';
  readonly now?: Date;
}

/**
 * Dumps the requested tables that exist into a new file named after the database, version and time, with mysqldump
 * when it is on PATH, else with the built-in streamed dump. Undefined when none of the tables exist.
 */
export async function writeBackup(request: BackupRequest): Promise<BackupResult | undefined> {
  const { session, databaseName } = request;
  const wanted = request.tables === 'all' ? undefined : new Set(request.tables);
  const listed = (await session.rows<ListedTable>(listTables(databaseName))).filter(
    (table) => !wanted || wanted.has(table.name),
  );
  const tables = listed.map((table) => table.name);
  if (tables.length === 0) return undefined;

  await makeBackupFolder(request.folder);
  const file = path.join(request.folder, backupFileName(databaseName, request.version, request.now ?? new Date()));
  const mysqldump = request.tool === 'builtin' ? undefined : await findMysqldump();
  if (mysqldump) {
    await writeMysqldump(mysqldump, request.database, databaseName, wanted && tables, file);
    return { file, tool: 'mysqldump', tables };
  }
  await writeListedDump(session, databaseName, listed, file);
  return { file, tool: 'builtin', tables };
}

/**
 * Creates the folder, and each missing one above it, readable by this user only. The first folder it creates gets a
 * `.gitignore` of `*`: the default `.migration-lens/backups` sits in the workspace, one `git add .` from a commit.
 */
async function makeBackupFolder(folder: string): Promise<void> {
  const created = await mkdir(folder, { recursive: true, mode: 0o700 });
  if (created !== undefined) await writeFile(path.join(created, '.gitignore'), '*\n', { flag: 'wx' });
}
