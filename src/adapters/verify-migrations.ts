/**
 * Verify end to end: read the migrations folder, read what is needed from the real database (never writing to it),
 * create the scratch database and the temporary account allowed only that database, verify every version on it as
 * that account, and drop both whatever happens.
 */
import { buildCatalog } from '../core/catalog';
import { verifyMigrations, verifyMigrationsOf, type VerifyMigration, type VerifyOptions } from '../core/verify-run';
import type { VerifyReport } from '../core/verify-verdict';
import { SourceUnreadableError } from '../core/errors';
import { notUtf8Error, readMigrationFolder } from './file-source';
import { NoDatabaseNameError } from './mysql/database';
import type { DatabaseConfig } from './mysql/dsn';
import { readRealDatabase, withScratchDatabase } from './verify-scratch-database';

export interface VerifyDatabaseOptions extends Omit<VerifyOptions, 'knownSchemas'> {
  /** The server to create the scratch database on (`migrationLens.scratchDatabaseUrl`); the real one's by default. */
  readonly scratchServer?: DatabaseConfig;
}

export interface VerifyResult extends VerifyReport {
  readonly realDatabase: string;
  /** The scratch database's name, already dropped when this is returned. */
  readonly scratchDatabase: string;
  /**
   * The temporary account the files ran as, `'ml_verify_…'@'host'`, dropped with the database; undefined when they
   * ran as the scratch server's own account, which could not create one and cannot see the real database.
   */
  readonly scratchAccount?: string;
}

/** Reads the versions of a migrations folder with their files' text; refuses a file that is not UTF-8, as up does. */
export async function readVerifyMigrations(folder: string): Promise<VerifyMigration[]> {
  const listing = await readMigrationFolder(folder);
  const files = new Map(listing.files.map((file) => [file.name, file]));
  return verifyMigrationsOf(buildCatalog(listing.files), (name) => {
    const file = files.get(name);
    if (file?.unreadable !== undefined) throw new SourceUnreadableError(`${folder}/${name}`, file.unreadable);
    if (file?.invalidUtf8) throw notUtf8Error(folder, name);
    return file?.content ?? '';
  });
}

export async function verifyFolder(
  folder: string,
  database: DatabaseConfig,
  options: VerifyDatabaseOptions = {},
): Promise<VerifyResult> {
  return verifyOnScratchDatabase(await readVerifyMigrations(folder), database, options);
}

export async function verifyOnScratchDatabase(
  migrations: readonly VerifyMigration[],
  database: DatabaseConfig,
  options: VerifyDatabaseOptions = {},
): Promise<VerifyResult> {
  const real = await readRealDatabase(database);
  if (real.name === '') throw new NoDatabaseNameError();
  return withScratchDatabase(options.scratchServer ?? database, real, options.signal, async (scratch) => {
    const scratchServerDatabases = options.scratchServer ? await scratch.serverDatabases() : [];
    const knownSchemas = [real.name, ...real.serverDatabases, ...scratchServerDatabases].filter(
      (name) => name !== scratch.name,
    );
    const report = await verifyMigrations(migrations, scratch, { ...options, knownSchemas });
    return { ...report, realDatabase: real.name, scratchDatabase: scratch.name, scratchAccount: scratch.account };
  });
}
