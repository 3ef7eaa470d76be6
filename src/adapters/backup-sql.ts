import { quoteIdentifier, type Statement } from './mysql/sql';

/**
 * Every SQL text the backup writes or sends. Identifiers go through `quoteIdentifier`, values through the session's `quoteString` or `?`, so
 * that a table called ``a`b`` or a value holding quotes and backslashes survive the round trip.
 */

/**
 * The session a dump is read in and restored in: UTC so TIMESTAMP values are written as stored, and a SQL mode that
 * accepts zero dates and explicit zeros in AUTO_INCREMENT columns while forcing backslash escapes on.
 */
export const DUMP_SESSION_TIME_ZONE: Statement = { sql: "SET time_zone = '+00:00'" };

export const DUMP_HEADER = [
  '/*!40101 SET NAMES utf8mb4 */;',
  "SET time_zone = '+00:00';",
  "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';",
  'SET foreign_key_checks = 0;',
  'SET unique_checks = 0;',
];

export const DUMP_FOOTER = ['SET unique_checks = 1;', 'SET foreign_key_checks = 1;'];

export function listTables(database: string): Statement {
  return {
    sql: 'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    values: [database],
  };
}

export function listColumns(database: string, table: string): Statement {
  return {
    sql:
      'SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, EXTRA AS extra FROM information_schema.COLUMNS ' +
      'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    values: [database, table],
  };
}

export function dropTableStatement(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdentifier(table)};`;
}

export function dropViewStatement(view: string): string {
  return `DROP VIEW IF EXISTS ${quoteIdentifier(view)};`;
}

/** How a column's value is read back and written into an INSERT so that it is restored byte for byte. */
export type ColumnEncoding = 'number' | 'bits' | 'hex' | 'text';

export interface DumpColumn {
  readonly name: string;
  readonly encoding: ColumnEncoding;
}

/** Reads every column as text: binary ones as hex, BIT as its number, all others as the server prints them. */
export function selectRows(database: string, table: string, columns: readonly DumpColumn[]): Statement {
  const list = columns.map(({ name, encoding }) => {
    const id = quoteIdentifier(name);
    if (encoding === 'hex') return `HEX(${id})`;
    if (encoding === 'bits') return `${id} + 0`;
    return id;
  });
  return { sql: `SELECT ${list.join(', ')} FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}` };
}

export function insertPrefix(table: string, columns: readonly DumpColumn[]): string {
  return `INSERT INTO ${quoteIdentifier(table)} (${columns.map(({ name }) => quoteIdentifier(name)).join(', ')}) VALUES\n`;
}

/** One row as a parenthesised tuple of literals; `quoteString` makes a text value a string literal. */
export function rowLiteral(
  row: readonly (string | null)[],
  columns: readonly DumpColumn[],
  quoteString: (value: string) => string,
): string {
  const values = row.map((value, index) => {
    if (value === null) return 'NULL';
    const encoding = columns[index].encoding;
    if (encoding === 'number' || encoding === 'bits') return value;
    if (encoding === 'hex') return `X'${value}'`;
    return quoteString(value);
  });
  return `(${values.join(',')})`;
}
