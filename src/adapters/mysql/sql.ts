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
export function showVersionTable(table: string): Statement {
  return { sql: `SHOW TABLES LIKE ${quoteString(table)}` };
}

export function createVersionTable(table: string): Statement {
  return {
    sql: `CREATE TABLE ${quoteIdentifier(table)} (version bigint not null primary key, dirty boolean not null)`,
  };
}

export function selectVersion(table: string): Statement {
  return { sql: `SELECT version, dirty FROM ${quoteIdentifier(table)} LIMIT 1` };
}

/**
 * golang-migrate's SetVersion as one multi-statement query (one round trip): a SERIALIZABLE transaction that deletes
 * the row and inserts the new one. The insert is left out for nil when clean; nil dirty is kept so a failed down of
 * the first migration stays visible. Versions are bigint, written as integer literals.
 */
export function setVersion(table: string, version: bigint, dirty: boolean): Statement {
  const quoted = quoteIdentifier(table);
  const statements = [
    'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
    'START TRANSACTION',
    `DELETE FROM ${quoted} LIMIT 1`,
  ];
  if (version >= 0n || dirty) {
    statements.push(`INSERT INTO ${quoted} (version, dirty) VALUES (${version}, ${dirty ? 1 : 0})`);
  }
  statements.push('COMMIT');
  return { sql: statements.join('; ') };
}

export const ROLLBACK: Statement = { sql: 'ROLLBACK' };

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

/** golang-migrate's Drop lists tables with `SHOW TABLES LIKE '%'`. */
export const SHOW_ALL_TABLES: Statement = { sql: "SHOW TABLES LIKE '%'" };

/** Drops the tables with foreign key checks off during the drop, and back on after, in one round trip. */
export function dropTables(tables: readonly string[]): Statement {
  return {
    sql: [
      'SET foreign_key_checks = 0',
      ...tables.map((table) => `DROP TABLE IF EXISTS ${quoteIdentifier(table)}`),
      'SET foreign_key_checks = 1',
    ].join(';\n'),
  };
}

export const ENABLE_FOREIGN_KEY_CHECKS: Statement = { sql: 'SET foreign_key_checks = 1' };

/** Stops the statement a session is running (x-statement-timeout), leaving that session usable. */
export function killQuery(connectionId: number): Statement {
  return { sql: 'KILL QUERY ?', values: [connectionId] };
}
