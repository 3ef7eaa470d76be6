import { readSourceFile } from '../adapters/file-source';
import { readLedger, type LedgerSettings } from '../adapters/ledger-store';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import type { Catalog } from '../core/catalog';
import type { DatabaseVersion } from '../core/model';
import { driftVerdicts, type DriftVerdict } from '../core/safety-drift';

/**
 * The drift verdict of every applied version with an up file, by version: the up files at or below the database's
 * version are read and compared with the ledger (which is only read, never created, here). Empty without a ledger.
 */
export async function readDrift(
  folder: string,
  config: DatabaseConfig,
  catalog: Catalog,
  database: DatabaseVersion,
  ledger: LedgerSettings | undefined,
): Promise<ReadonlyMap<bigint, DriftVerdict>> {
  const applied = catalog.migrations.filter((migration) => migration.version <= database.version && migration.up);
  // Without a ledger there is nothing to compare the files with, so none is read.
  const entries = applied.length === 0 ? undefined : await readLedger(config, ledger);
  if (entries === undefined) return new Map();
  const contents = new Map<string, string>();
  for (const { up } of applied) contents.set(up!.fileName, (await readSourceFile(folder, up!.fileName)).content);
  return new Map(driftVerdicts(catalog, database, contents, entries).map((verdict) => [verdict.version, verdict]));
}
