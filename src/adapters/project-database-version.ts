import type { DatabaseVersion } from '../core/model';
import { NIL_VERSION } from '../core/model';
import type { DatabaseConfig } from './mysql/dsn';
import { MigrationDatabase } from './mysql/database';

const ER_NO_SUCH_TABLE = 1146;

/**
 * The database's version for display, read-only: unlike golang-migrate's `version` it never creates the version
 * table (looking at a database must not change it), so a missing table reads as no version. Always disconnects.
 */
export async function readDatabaseVersion(config: DatabaseConfig): Promise<DatabaseVersion> {
  const database = await MigrationDatabase.open(config);
  try {
    return await database.readVersion();
  } catch (error) {
    if ((error as { errno?: number }).errno === ER_NO_SUCH_TABLE) return { version: NIL_VERSION, dirty: false };
    throw error;
  } finally {
    await database.close();
  }
}
