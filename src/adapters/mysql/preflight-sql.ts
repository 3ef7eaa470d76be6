/**
 * Every SQL text Preflight sends to the target database, in one place: reads of information_schema and bounded
 * counts, SELECT only. Identifiers go through `quoteIdentifier`, values through `?` placeholders, and each count is
 * wrapped in the server's own time limit.
 */
import type { DataCheck } from '../../core/preflight-checks';
import type { ServerFlavour } from '../../core/preflight-probe';
import { qualifiedName, quoteIdentifier, type Statement } from './sql';

/** The server, the session's SQL mode (the server's default: no session setting is sent) and the current database. */
export const SELECT_SERVER_FACTS: Statement = {
  sql: 'SELECT VERSION() AS version, @@SESSION.sql_mode AS sqlMode, DATABASE() AS currentDatabase',
};

function inList(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** Size estimates and engines of the named base tables. */
export function selectTableSizes(database: string, tables: readonly string[]): Statement {
  return {
    sql:
      'SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_ROWS AS tableRows, ' +
      'DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES ' +
      `WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN (${inList(tables.length)})`,
    values: [database, ...tables],
  };
}

export function selectColumns(database: string, tables: readonly string[]): Statement {
  return {
    sql:
      'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, ' +
      'CHARACTER_MAXIMUM_LENGTH AS maxCharacters, CHARACTER_OCTET_LENGTH AS maxBytes, IS_NULLABLE AS nullable ' +
      `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (${inList(tables.length)})`,
    values: [database, ...tables],
  };
}

/** The foreign keys whose child or parent is one of the named tables, one row per column, in column order. */
export function selectForeignKeys(database: string, tables: readonly string[]): Statement {
  const names = inList(tables.length);
  return {
    sql:
      'SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS tableName, COLUMN_NAME AS columnName, ' +
      'REFERENCED_TABLE_NAME AS parent, REFERENCED_COLUMN_NAME AS parentColumn ' +
      'FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ' +
      `AND (TABLE_NAME IN (${names}) OR REFERENCED_TABLE_NAME IN (${names})) ` +
      'ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION',
    values: [database, ...tables, ...tables],
  };
}

/** What MySQL's lexer takes for a whole number in text, as an ALTER converting text to an integer accepts it. */
const WHOLE_NUMBER = '^[[:space:]]*[+-]?[0-9]+[[:space:]]*$';

/**
 * The count for one data check: a single SELECT of `COUNT(*) AS found` (and `groups` for duplicates). Grouping for
 * duplicates sorts (SQL_BIG_RESULT) rather than filling a temporary table, which on a million rows spills to disk
 * and took twenty times longer.
 */
export function dataCheckStatement(database: string, check: DataCheck): Statement {
  const table = qualifiedName(database, check.table);
  const count = (where: string, values: (string | number)[] = []): Statement => ({
    sql: `SELECT COUNT(*) AS found FROM ${table} WHERE ${where}`,
    values,
  });
  switch (check.kind) {
    case 'duplicates': {
      const notNull = check.columns.map((column) => `${quoteIdentifier(column.name)} IS NOT NULL`).join(' AND ');
      const keys = check.columns
        .map((column) =>
          column.prefix === undefined
            ? quoteIdentifier(column.name)
            : `LEFT(${quoteIdentifier(column.name)}, ${column.prefix})`,
        )
        .join(', ');
      return {
        sql:
          'SELECT COUNT(*) AS groupCount, COALESCE(SUM(shared), 0) AS found FROM (' +
          `SELECT SQL_BIG_RESULT COUNT(*) AS shared FROM ${table} WHERE ${notNull} GROUP BY ${keys} ` +
          'HAVING COUNT(*) > 1) AS duplicates',
      };
    }
    case 'nulls':
      return count(check.columns.map((column) => `${quoteIdentifier(column)} IS NULL`).join(' OR '));
    case 'too-long':
      return count(
        `${check.measure === 'characters' ? 'CHAR_LENGTH' : 'LENGTH'}(${quoteIdentifier(check.column)}) > ?`,
        [check.limit],
      );
    case 'out-of-range': {
      const column = quoteIdentifier(check.column);
      const value = check.text ? `CAST(${column} AS DECIMAL(65,0))` : column;
      const outside = `(${value} < CAST(? AS DECIMAL(65,30)) OR ${value} > CAST(? AS DECIMAL(65,30)))`;
      return check.text
        ? count(`${column} REGEXP ? AND ${outside}`, [WHOLE_NUMBER, check.min, check.max])
        : count(outside, [check.min, check.max]);
    }
    case 'not-integer':
      return count(`${quoteIdentifier(check.column)} IS NOT NULL AND ${quoteIdentifier(check.column)} NOT REGEXP ?`, [
        WHOLE_NUMBER,
      ]);
    case 'orphans': {
      const child = (column: string) => `child.${quoteIdentifier(column)}`;
      const parent = (column: string) => `parent.${quoteIdentifier(column)}`;
      const join = check.columns.map((column, index) => `${child(column)} = ${parent(check.parentColumns[index])}`);
      const present = check.columns.map((column) => `${child(column)} IS NOT NULL`);
      return {
        sql:
          `SELECT COUNT(*) AS found FROM ${table} AS child LEFT JOIN ` +
          `${qualifiedName(database, check.parent)} AS parent ON ${join.join(' AND ')} ` +
          `WHERE ${present.join(' AND ')} AND ${parent(check.parentColumns[0])} IS NULL`,
      };
    }
    case 'non-null':
      return count(`${quoteIdentifier(check.column)} IS NOT NULL`);
    case 'rows':
      return { sql: `SELECT COUNT(*) AS found FROM ${table}` };
  }
}

/**
 * A SELECT bounded by the server: MariaDB's `SET STATEMENT max_statement_time=N FOR SELECT ...` (it ignores MySQL's
 * hint), MySQL's `SELECT /*+ MAX_EXECUTION_TIME(ms) *\/ ...`. Either stops the statement on the server with an error
 * (1969, 3024) instead of leaving it to run on after we stopped waiting.
 */
export function withTimeLimit(statement: Statement, flavour: ServerFlavour, seconds: number): Statement {
  if (flavour === 'mariadb') {
    return { ...statement, sql: `SET STATEMENT max_statement_time=${seconds} FOR ${statement.sql}` };
  }
  return {
    ...statement,
    sql: statement.sql.replace(/^SELECT /, `SELECT /*+ MAX_EXECUTION_TIME(${seconds * 1000}) */ `),
  };
}

/** The errors of a statement stopped by its time limit: MariaDB's 1969, MySQL's 3024. */
export const TIME_LIMIT_ERRORS: readonly number[] = [1969, 3024];
