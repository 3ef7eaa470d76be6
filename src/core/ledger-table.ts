import { crc32Ieee } from './lock';

/** MySQL's limit on a table name, in characters. */
const MAX_TABLE_NAME = 64;
const SUFFIX = '_lens';

/**
 * The ledger table beside a version table: `<table>_lens` (`schema_migrations_lens` by default), so two services
 * that share a database with their own `x-migrations-table` keep their own ledgers. A name that would pass MySQL's
 * 64 characters is shortened and keeps a checksum of the whole table name, so two long names stay apart.
 * `configured` (a setting or `-ledger-table`) wins.
 */
export function ledgerTableName(migrationsTable: string, configured?: string): string {
  if (configured !== undefined && configured !== '') return configured;
  const plain = `${migrationsTable}${SUFFIX}`;
  if ([...plain].length <= MAX_TABLE_NAME) return plain;
  const checksum = crc32Ieee(new TextEncoder().encode(migrationsTable)).toString(16).padStart(8, '0');
  const kept = [...migrationsTable].slice(0, MAX_TABLE_NAME - SUFFIX.length - checksum.length - 1).join('');
  return `${kept}_${checksum}${SUFFIX}`;
}
