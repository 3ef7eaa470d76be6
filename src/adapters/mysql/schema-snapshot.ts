/**
 * Reads a schema snapshot in two round trips: the list of tables (with the triggers and routines when they may have
 * changed), then `SHOW CREATE TABLE` for every table (and the views' definitions when they may have changed); in one
 * when the list is known. Also the statements that create and drop the scratch databases Verify works on and the
 * temporary accounts that run the migrations there. Every SQL text of Verify is here.
 */
import { parseCreateTable } from '../../core/verify-create-table';
import {
  ALL_TABLES,
  routineKey,
  type ChangedTables,
  type RoutineKind,
  type RoutineSnapshot,
  type SchemaSnapshot,
  type SchemaObjects,
  type TableSnapshot,
  type TriggerSnapshot,
  type ViewSnapshot,
} from '../../core/verify-snapshot';
import type { MysqlSession } from './connection';
import { quoteIdentifier, showCreateTable, type Statement } from './sql';

type Cell = string | number | null;
type Row = Record<string, Cell>;

function showFullTables(schema: string): Statement {
  return { sql: `SHOW FULL TABLES FROM ${quoteIdentifier(schema)}` };
}

function selectViews(schema: string): Statement {
  return {
    sql:
      'SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, CHECK_OPTION AS checkOption, ' +
      'SECURITY_TYPE AS securityType FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?',
    values: [schema],
  };
}

function selectTriggers(schema: string): Statement {
  return {
    sql:
      'SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName, ACTION_TIMING AS timing, ' +
      'EVENT_MANIPULATION AS event, ACTION_STATEMENT AS statement FROM information_schema.TRIGGERS ' +
      'WHERE TRIGGER_SCHEMA = ?',
    values: [schema],
  };
}

function selectRoutines(schema: string): Statement {
  return {
    sql:
      'SELECT ROUTINE_TYPE AS kind, ROUTINE_NAME AS name, DTD_IDENTIFIER AS returnType, ROUTINE_DEFINITION AS body, ' +
      'IS_DETERMINISTIC AS isDeterministic, SQL_DATA_ACCESS AS dataAccess, SECURITY_TYPE AS securityType ' +
      'FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?',
    values: [schema],
  };
}

function selectParameters(schema: string): Statement {
  return {
    sql:
      'SELECT ROUTINE_TYPE AS kind, SPECIFIC_NAME AS routine, PARAMETER_MODE AS parameterMode, ' +
      'PARAMETER_NAME AS name, DTD_IDENTIFIER AS type FROM information_schema.PARAMETERS ' +
      'WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0 ORDER BY SPECIFIC_NAME, ORDINAL_POSITION',
    values: [schema],
  };
}

/** Several statements as one multi-statement query: one round trip, one result set each. */
async function resultSets(session: MysqlSession, statements: readonly Statement[]): Promise<Row[][]> {
  if (statements.length === 0) return [];
  const combined = {
    sql: statements.map((statement) => statement.sql).join(';\n'),
    values: statements.flatMap((statement) => statement.values ?? []),
  };
  const result = await session.rows<Row[]>(combined);
  return statements.length === 1 ? [result as unknown as Row[]] : result;
}

/** The character set and collation a database was created with. */
export function selectDatabaseCharset(schema: string): Statement {
  return {
    sql:
      'SELECT DEFAULT_CHARACTER_SET_NAME AS characterSet, DEFAULT_COLLATION_NAME AS collation ' +
      'FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    values: [schema],
  };
}

export const SELECT_SERVER_CHARSET: Statement = {
  sql: 'SELECT @@character_set_server AS characterSet, @@collation_server AS collation',
};

export const SELECT_DATABASE_NAMES: Statement = { sql: 'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA' };

/** Character set and collation are quoted as string literals, which MySQL accepts for both names. */
export function createDatabase(name: string, characterSet: string, collation: string): Statement {
  return {
    sql: `CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET ? COLLATE ?`,
    values: [characterSet, collation],
  };
}

/** The client's host as the server sees this session (`USER()` is `user@host`), and the account it matched. */
export const SELECT_SESSION_ACCOUNT: Statement = { sql: 'SELECT USER() AS client, CURRENT_USER() AS account' };

/** An account, as a literal: `'name'@'host'`. */
export interface AccountName {
  readonly name: string;
  readonly host: string;
}

export function createAccount(account: AccountName, password: string): Statement {
  return { sql: 'CREATE USER ?@? IDENTIFIED BY ?', values: [account.name, account.host, password] };
}

/**
 * Every privilege on `database` and nothing else. In a grant's database name `_` and `%` are wildcards, which would
 * let the account into any database the pattern matches: escaped, the grant names that one database.
 */
export function grantDatabase(database: string, account: AccountName): Statement {
  const exactly = database.replace(/[_%]/g, '\\$&');
  return { sql: `GRANT ALL PRIVILEGES ON ${quoteIdentifier(exactly)}.* TO ?@?`, values: [account.name, account.host] };
}

export function dropAccount(account: AccountName): Statement {
  return { sql: 'DROP USER IF EXISTS ?@?', values: [account.name, account.host] };
}

/** Drops a scratch database and, when Verify made one, its temporary account, in one round trip. */
export function dropScratch(database: string, account: AccountName | undefined): Statement {
  const drop = dropDatabase(database);
  if (!account) return drop;
  return { sql: `${drop.sql};\n${dropAccount(account).sql}`, values: dropAccount(account).values };
}

export function useDatabase(name: string): Statement {
  return { sql: `USE ${quoteIdentifier(name)}` };
}

export function dropDatabase(name: string): Statement {
  return { sql: `DROP DATABASE IF EXISTS ${quoteIdentifier(name)}` };
}

/** Empties a database by dropping and re-creating it, which also removes views, triggers and routines. */
export function recreateDatabase(name: string, characterSet: string, collation: string): Statement {
  const create = createDatabase(name, characterSet, collation);
  return {
    sql: [dropDatabase(name).sql, create.sql, useDatabase(name).sql].join(';\n'),
    values: create.values,
  };
}

/** The names of a schema's tables and views, as the last listing found them. */
export interface TableList {
  readonly tables: readonly string[];
  readonly views: readonly string[];
}

/**
 * The schema `schema` as the session's server sees it now. The list of tables is read unless given in `knownList`
 * (the caller knows it cannot have changed). A table of `known.tables` not in `changedTables` is taken from there (the
 * caller knows it cannot have changed), every other one is read; so are views, triggers and routines unless given in
 * `known`. `parsedTables` keeps each table text's parse across snapshots: an unchanged text costs no parsing and gives
 * the same object, which the comparison skips. A known list saves a round trip: everything else is read in one.
 */
export async function readSchemaSnapshot(
  session: MysqlSession,
  schema: string,
  known: Partial<SchemaObjects> = {},
  changedTables: ChangedTables = ALL_TABLES,
  parsedTables = new Map<string, TableSnapshot>(),
  knownList?: TableList,
): Promise<SchemaSnapshot> {
  const objectReads = [
    ...(known.triggers ? [] : [selectTriggers(schema)]),
    ...(known.routines ? [] : [selectRoutines(schema), selectParameters(schema)]),
  ];
  let list = knownList;
  let objectRows: Row[][] = [];
  if (list === undefined) {
    const [listed = [], ...rest] = await resultSets(session, [showFullTables(schema), ...objectReads]);
    const names = listed.map((row) => Object.values(row) as string[]);
    list = {
      tables: names.filter(([, type]) => type !== 'VIEW').map(([name]) => name),
      views: names.filter(([, type]) => type === 'VIEW').map(([name]) => name),
    };
    objectRows = rest;
  }
  const { tables: tableNames, views: viewNames } = list;
  const kept = (name: string) =>
    changedTables === ALL_TABLES || changedTables.has(name) ? undefined : known.tables?.get(name);
  const tablesToRead = tableNames.filter((name) => kept(name) === undefined);
  // A view renamed or dropped by a statement that did not say VIEW still shows in the list of names.
  const knownViews =
    known.views && viewNames.length === known.views.size && viewNames.every((name) => known.views!.has(name))
      ? known.views
      : undefined;
  const readViews = knownViews === undefined && viewNames.length > 0;
  const second = await resultSets(session, [
    ...(knownList === undefined ? [] : objectReads),
    ...tablesToRead.map((table) => showCreateTable(schema, table)),
    ...(readViews ? [selectViews(schema)] : []),
  ]);
  if (knownList !== undefined) objectRows = second.splice(0, objectReads.length);
  const triggerRows = known.triggers ? [] : (objectRows.shift() ?? []);
  const [routineRows = [], parameterRows = []] = known.routines ? [] : objectRows;
  const ownName = new RegExp(`\`${escapeRegExp(schema.replace(/`/g, '``'))}\`\\.`, 'g');
  const unqualified = (text: Cell): string => String(text ?? '').replace(ownName, '');

  const read = new Map<string, TableSnapshot>();
  for (const [index, name] of tablesToRead.entries()) {
    const [row] = second[index] ?? [];
    const text = unqualified(row?.['Create Table'] ?? '');
    let table = parsedTables.get(text);
    if (!table) parsedTables.set(text, (table = parseCreateTable(text)));
    read.set(name, table);
  }
  const tables = new Map(tableNames.map((name) => [name, kept(name) ?? read.get(name)!]));
  const views = new Map<string, ViewSnapshot>(knownViews ?? []);
  for (const row of readViews ? (second[tablesToRead.length] ?? []) : []) {
    const view: ViewSnapshot = {
      name: String(row['name']),
      definition: unqualified(row['definition']),
      checkOption: String(row['checkOption'] ?? ''),
      securityType: String(row['securityType'] ?? ''),
    };
    views.set(view.name, view);
  }
  const triggers = new Map<string, TriggerSnapshot>(known.triggers ?? []);
  for (const row of triggerRows) {
    const trigger: TriggerSnapshot = {
      name: String(row['name']),
      table: String(row['tableName']),
      timing: String(row['timing']),
      event: String(row['event']),
      statement: unqualified(row['statement']),
    };
    triggers.set(trigger.name, trigger);
  }
  const parameters = new Map<string, string[]>();
  for (const row of parameterRows) {
    const key = routineKey(String(row['kind']) as RoutineKind, String(row['routine']));
    const mode = row['parameterMode'] === null ? '' : `${String(row['parameterMode'])} `;
    const list = parameters.get(key) ?? [];
    list.push(`${mode}${String(row['name'])} ${String(row['type'])}`);
    parameters.set(key, list);
  }
  const routines = new Map<string, RoutineSnapshot>(known.routines ?? []);
  for (const row of routineRows) {
    const kind = String(row['kind']) as RoutineKind;
    const name = String(row['name']);
    const key = routineKey(kind, name);
    routines.set(key, {
      kind,
      name,
      parameters: (parameters.get(key) ?? []).join(', '),
      returns: kind === 'FUNCTION' ? String(row['returnType'] ?? '') : '',
      body: unqualified(row['body']),
      deterministic: row['isDeterministic'] === 'YES',
      dataAccess: String(row['dataAccess'] ?? ''),
      securityType: String(row['securityType'] ?? ''),
    });
  }
  return { tables, views, triggers, routines };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
