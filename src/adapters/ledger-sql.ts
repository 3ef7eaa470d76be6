/**
 * Every SQL text of the ledger Migration Lens keeps beside golang-migrate's version table. It never names the version
 * table: golang-migrate's `schema_migrations` is left exactly as golang-migrate would leave it.
 */
import { qualifiedName, quoteIdentifier, textLiteral, type Statement } from './mysql/sql';

export function createLedgerTable(database: string, table: string): Statement {
  return {
    sql:
      `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, table)} (` +
      'version BIGINT NOT NULL PRIMARY KEY, ' +
      "state VARCHAR(16) NOT NULL COMMENT 'applied, failed or reverted: how the last run ended', " +
      'file_name VARCHAR(1024) NULL, ' +
      "up_checksum CHAR(64) NULL COMMENT 'SHA-256 of the up file as it ran', " +
      "up_checksum_normalized CHAR(64) NULL COMMENT 'SHA-256 of the up file without comments and layout', " +
      'applied_at DATETIME(3) NULL, ' +
      'duration_ms BIGINT NULL, ' +
      'os_user VARCHAR(255) NULL, ' +
      'last_error TEXT NULL, ' +
      'last_error_direction VARCHAR(4) NULL, ' +
      'last_error_file_name VARCHAR(1024) NULL, ' +
      'last_error_statement INT NULL, ' +
      'last_error_line INT NULL, ' +
      'last_error_at DATETIME(3) NULL' +
      ") COMMENT 'Migration Lens: what it ran, beside the golang-migrate version table'",
  };
}

/** The ledger's columns, as `createLedgerTable` makes them. */
export const LEDGER_COLUMNS = [
  'version',
  'state',
  'file_name',
  'up_checksum',
  'up_checksum_normalized',
  'applied_at',
  'duration_ms',
  'os_user',
  'last_error',
  'last_error_direction',
  'last_error_file_name',
  'last_error_statement',
  'last_error_line',
  'last_error_at',
] as const;

/**
 * The columns of the table in the ledger's place, and how many of them are the ledger's: none when there is no such
 * table, all of them when it is our ledger.
 */
export function countLedgerColumns(database: string, table: string): Statement {
  return {
    sql:
      `SELECT COUNT(*) AS columns, COALESCE(SUM(COLUMN_NAME IN (${LEDGER_COLUMNS.map(() => '?').join(', ')})), 0) ` +
      'AS ours FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    values: [...LEDGER_COLUMNS, database, table],
  };
}

/** Whether the ledger exists, without a LIKE pattern (`_` in the name would be a wildcard there). */
export function ledgerTableExists(database: string, table: string): Statement {
  return {
    sql: 'SELECT COUNT(*) AS found FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    values: [database, table],
  };
}

/** Dates are stored as UTC text so the session's time zone never shifts them. */
export function selectLedger(database: string, table: string): Statement {
  return {
    sql:
      'SELECT version, state, file_name, up_checksum, up_checksum_normalized, CAST(applied_at AS CHAR) AS applied_at, ' +
      'duration_ms, os_user, last_error, last_error_direction, last_error_file_name, last_error_statement, ' +
      'last_error_line, CAST(last_error_at AS CHAR) AS last_error_at ' +
      `FROM ${qualifiedName(database, table)} ORDER BY version`,
  };
}

/** The ledger's columns besides `version`. */
export type LedgerColumn = Exclude<(typeof LEDGER_COLUMNS)[number], 'version'>;

/**
 * Inserts the version's row or updates the columns given; `null` writes SQL NULL. Columns left out keep their value,
 * so a failed run keeps the checksums of the last successful one and a success keeps the last error. The text has
 * no placeholders and its strings are hex literals, so it reads the same whatever sql_mode a migration set, and it
 * can join the version table's transaction.
 */
export function upsertLedgerRow(
  database: string,
  table: string,
  version: bigint,
  columns: Partial<Record<LedgerColumn, string | number | null>>,
): string {
  const entries = Object.entries(columns) as [LedgerColumn, string | number | null][];
  const literals = entries.map(([, value]) =>
    value === null ? 'NULL' : typeof value === 'number' ? String(Math.trunc(value)) : textLiteral(value),
  );
  const names = entries.map(([name]) => quoteIdentifier(name));
  return (
    `INSERT INTO ${qualifiedName(database, table)} (version, ${names.join(', ')}) ` +
    `VALUES (${version}, ${literals.join(', ')}) ` +
    `ON DUPLICATE KEY UPDATE ${names.map((name) => `${name} = VALUES(${name})`).join(', ')}`
  );
}

/** A JavaScript date as the ledger's UTC DATETIME(3) text. */
export function ledgerTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
