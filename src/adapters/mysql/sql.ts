/**
 * Every SQL text Migration Lens sends to MySQL, in one place. The version table and lock statements are golang-migrate's
 * own (database/mysql/mysql.go) so both tools leave the same state; values go through `?` placeholders or literals
 * built here, identifiers through `quoteIdentifier`.
 */
import type { SessionSetting } from './dsn';

/** A statement and the values for its `?` placeholders. */
export interface Statement {
  readonly sql: string;
  readonly values?: readonly (string | number)[];
}

/** MySQL identifier quoting: backticks, with a backtick inside doubled. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A string literal for the rare statements that take no placeholders (`SHOW TABLES LIKE`). */
function quoteString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** `db`.`table`: a migration may change the session's current database (USE), so every statement names it. */
export function qualifiedName(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

/** The statement that created a table, as the server would write it now. */
export function showCreateTable(database: string, table: string): Statement {
  return { sql: `SHOW CREATE TABLE ${quoteIdentifier(database)}.${quoteIdentifier(table)}` };
}

export const SELECT_CURRENT_DATABASE: Statement = { sql: 'SELECT DATABASE() AS name' };

/**
 * Session settings from the URL. go-sql-driver sends `SET name=value` for unknown params with the value verbatim (an
 * SQL expression such as `'+00:00'`); the URL's parser let through only plain variable names, and only values that
 * are a number, a word or a quoted string without backslashes or inner quotes, so no value can end early and add SQL.
 */
export function setSessionVariables(settings: readonly SessionSetting[]): Statement {
  return { sql: settings.map((setting) => `SET ${setting.name}=${setting.value}`).join(';\n') };
}

/** golang-migrate checks existence with a LIKE pattern, so `_` in the name is a wildcard there too. */
export function showVersionTable(database: string, table: string): Statement {
  return { sql: `SHOW TABLES FROM ${quoteIdentifier(database)} LIKE ${quoteString(table)}` };
}

export function createVersionTable(database: string, table: string): Statement {
  return {
    sql: `CREATE TABLE ${qualifiedName(database, table)} (version bigint not null primary key, dirty boolean not null)`,
  };
}

export function selectVersion(database: string, table: string): Statement {
  return { sql: `SELECT version, dirty FROM ${qualifiedName(database, table)} LIMIT 1` };
}

/**
 * golang-migrate's SetVersion as one multi-statement query (one round trip): a SERIALIZABLE transaction that deletes
 * the row and inserts the new one. The insert is left out for nil when clean; nil dirty is kept so a failed down of
 * the first migration stays visible. Versions are bigint, written as integer literals. `alongside` (statements
 * without placeholders, e.g. the ledger's rows) commit in the same transaction.
 */
export function setVersion(
  database: string,
  table: string,
  version: bigint,
  dirty: boolean,
  alongside: readonly string[] = [],
): Statement {
  return { sql: setVersionStatements(database, table, version, dirty, alongside).join('; ') };
}

/** The statements of `setVersion`, one by one: a caller that sends more after them counts their results. */
export function setVersionStatements(
  database: string,
  table: string,
  version: bigint,
  dirty: boolean,
  alongside: readonly string[] = [],
): string[] {
  const quoted = qualifiedName(database, table);
  const statements = [
    'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    'START TRANSACTION',
    `DELETE FROM ${quoted} LIMIT 1`,
  ];
  if (version >= 0n || dirty) {
    statements.push(`INSERT INTO ${quoted} (version, dirty) VALUES (${version}, ${dirty ? 1 : 0})`);
  }
  statements.push(...alongside, 'COMMIT');
  return statements;
}

export const ROLLBACK: Statement = { sql: 'ROLLBACK' };

/** Ends a transaction a migration file left open and undoes its `SET autocommit=0`, so our writes commit again. */
export const ROLLBACK_AND_AUTOCOMMIT: Statement = { sql: 'ROLLBACK; SET autocommit=1' };

/** A string as a literal the server reads the same under every sql_mode (no quotes or backslashes to escape). */
export function textLiteral(text: string): string {
  return text === '' ? "''" : `_utf8mb4 X'${Buffer.from(text, 'utf8').toString('hex')}'`;
}

/** `timeoutSeconds` may be fractional; MariaDB waits at most that long for another session to release the lock. */
export function getLock(name: string, timeoutSeconds: number): Statement {
  return { sql: 'SELECT GET_LOCK(?, ?) AS acquired', values: [name, timeoutSeconds] };
}

export function releaseLock(name: string): Statement {
  return { sql: 'SELECT RELEASE_LOCK(?) AS released', values: [name] };
}

/** Who holds a named lock: its connection id and, when visible to us, that session's user, host and command. */
export function describeLockHolder(name: string): Statement {
  return {
    sql:
      'SELECT holder.id AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command, p.TIME AS time ' +
      'FROM (SELECT IS_USED_LOCK(?) AS id) AS holder ' +
      'LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = holder.id',
    values: [name],
  };
}

/**
 * A fleet's databases: those whose names match a `LIKE` pattern, sent as a bound value. The pattern's characters
 * (`discoveryPattern` in the core) hold no quote, so no SQL mode can end it early.
 */
export function showDatabasesLike(pattern: string): Statement {
  return { sql: 'SHOW DATABASES LIKE ?', values: [pattern] };
}

/** golang-migrate's Drop lists tables with `SHOW TABLES LIKE '%'`. */
export function showAllTables(database: string): Statement {
  return { sql: `SHOW TABLES FROM ${quoteIdentifier(database)} LIKE '%'` };
}

/** Drops the tables with foreign key checks off during the drop, and back on after, in one round trip. */
export function dropTables(database: string, tables: readonly string[]): Statement {
  return {
    sql: [
      'SET foreign_key_checks = 0',
      ...tables.map((table) => `DROP TABLE IF EXISTS ${qualifiedName(database, table)}`),
      'SET foreign_key_checks = 1',
    ].join(';\n'),
  };
}

export const ENABLE_FOREIGN_KEY_CHECKS: Statement = { sql: 'SET foreign_key_checks = 1' };

/** Stops the statement a session is running (x-statement-timeout), leaving that session usable. */
export function killQuery(connectionId: number): Statement {
  return { sql: 'KILL QUERY ?', values: [connectionId] };
}
