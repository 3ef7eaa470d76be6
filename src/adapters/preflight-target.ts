/**
 * Preflight's reads of the target database, on a session that sends SELECTs only: no session setting from the URL
 * (they would be SET statements), and every statement built by `mysql/preflight-sql.ts` or `mysql/schema-snapshot.ts`.
 */
import type {
  CheckCount,
  DataCheck,
  TargetColumn,
  TargetFacts,
  TargetForeignKey,
  TargetTable,
} from '../core/preflight-checks';
import type { ServerFlavour } from '../core/preflight-probe';
import { MysqlSession, type ServerError } from './mysql/connection';
import type { DatabaseConfig } from './mysql/dsn';
import {
  dataCheckStatement,
  SELECT_SERVER_FACTS,
  selectColumns,
  selectForeignKeys,
  selectTableSizes,
  TIME_LIMIT_ERRORS,
  withTimeLimit,
} from './mysql/preflight-sql';
import { SELECT_SERVER_CHARSET, selectDatabaseCharset } from './mysql/schema-snapshot';
import type { Statement } from './mysql/sql';

/** A session that only reads: the port preflight's target reads go through (a test records what it sends). */
export interface ReadOnlySession {
  rows<Row>(statement: Statement): Promise<Row[]>;
  close(): Promise<void>;
}

/** Opens a session on the target without the URL's session settings, so nothing but reads is ever sent. */
export async function openReadOnlySession(config: DatabaseConfig): Promise<ReadOnlySession> {
  return MysqlSession.open({ ...config, sessionSettings: [] });
}

/** What preflight needs to know of the server and the database before anything else. */
export interface ServerFacts {
  readonly flavour: ServerFlavour;
  readonly version: string;
  readonly database: string;
  /** The SQL mode the runner's sessions start in: the URL's `sql_mode` when it sets a plain one, else the server's. */
  readonly sqlMode: string;
  readonly characterSet: string;
  readonly collation: string;
}

export async function readServerFacts(session: ReadOnlySession, config: DatabaseConfig): Promise<ServerFacts> {
  const [server] = await session.rows<{ version: string; sqlMode: string; currentDatabase: string | null }>(
    SELECT_SERVER_FACTS,
  );
  const database = config.database !== '' ? config.database : (server.currentDatabase ?? '');
  type Charset = { characterSet: string; collation: string };
  const [own] = database === '' ? [] : await session.rows<Charset>(selectDatabaseCharset(database));
  const charset = own ?? (await session.rows<Charset>(SELECT_SERVER_CHARSET))[0];
  return {
    flavour: /mariadb/i.test(server.version) ? 'mariadb' : 'mysql',
    version: server.version,
    database,
    sqlMode: urlSqlMode(config) ?? server.sqlMode,
    characterSet: charset.characterSet,
    collation: charset.collation,
  };
}

/** The `sql_mode` a database URL sets as a plain string (`sql_mode='TRADITIONAL'`); an expression is not read. */
function urlSqlMode(config: DatabaseConfig): string | undefined {
  const setting = config.sessionSettings.find((candidate) => /^(@@)?(session\.)?sql_mode$/i.test(candidate.name));
  return setting && /^'([^'\\]*)'$/.exec(setting.value.trim())?.[1];
}

interface SizeRow {
  readonly name: string;
  readonly engine: string | null;
  readonly tableRows: string | number | null;
  readonly bytes: string | number | null;
}

interface ColumnRow {
  readonly tableName: string;
  readonly name: string;
  readonly dataType: string;
  readonly columnType: string;
  readonly maxCharacters: string | number | null;
  readonly maxBytes: string | number | null;
  readonly nullable: string;
}

interface ForeignKeyRow {
  readonly name: string;
  readonly tableName: string;
  readonly columnName: string;
  readonly parent: string;
  readonly parentColumn: string;
}

/** Sizes, engines and columns of the tables the run touches, and the foreign keys around them: three reads. */
export async function readTargetFacts(
  session: ReadOnlySession,
  database: string,
  tables: readonly string[],
  strict: boolean,
): Promise<TargetFacts> {
  if (tables.length === 0 || database === '') return { tables: new Map(), foreignKeys: [], strict };
  const sizes = await session.rows<SizeRow>(selectTableSizes(database, tables));
  const columns = await session.rows<ColumnRow>(selectColumns(database, tables));
  const keys = await session.rows<ForeignKeyRow>(selectForeignKeys(database, tables));
  const columnsOf = new Map<string, Map<string, TargetColumn>>();
  for (const row of columns) {
    let map = columnsOf.get(row.tableName);
    if (!map) columnsOf.set(row.tableName, (map = new Map<string, TargetColumn>()));
    const maxCharacters = numberOrUndefined(row.maxCharacters);
    const maxBytes = numberOrUndefined(row.maxBytes);
    map.set(row.name.toLowerCase(), {
      name: row.name,
      dataType: row.dataType.toLowerCase(),
      columnType: row.columnType.toLowerCase(),
      nullable: row.nullable === 'YES',
      ...(maxCharacters !== undefined && { maxCharacters }),
      ...(maxBytes !== undefined && { maxBytes }),
    });
  }
  const found = new Map<string, TargetTable>();
  for (const row of sizes) {
    found.set(row.name, {
      name: row.name,
      ...(row.engine !== null && { engine: row.engine }),
      rows: numberOrUndefined(row.tableRows) ?? 0,
      bytes: numberOrUndefined(row.bytes) ?? 0,
      columns: columnsOf.get(row.name) ?? new Map(),
    });
  }
  const foreignKeys = new Map<string, TargetForeignKey & { columns: string[]; parentColumns: string[] }>();
  for (const row of keys) {
    const key = `${row.tableName}\u0000${row.name}`;
    let entry = foreignKeys.get(key);
    if (!entry) {
      entry = { name: row.name, table: row.tableName, columns: [], parent: row.parent, parentColumns: [] };
      foreignKeys.set(key, entry);
    }
    entry.columns.push(row.columnName);
    entry.parentColumns.push(row.parentColumn);
  }
  return { tables: found, foreignKeys: [...foreignKeys.values()], strict };
}

function numberOrUndefined(value: string | number | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** Makes one count, bounded by the server's time limit; `'timeout'` when the server stopped it there. */
export async function countRows(
  session: ReadOnlySession,
  database: string,
  check: DataCheck,
  flavour: ServerFlavour,
  timeoutSeconds: number,
): Promise<CheckCount | 'timeout'> {
  const statement = withTimeLimit(dataCheckStatement(database, check), flavour, timeoutSeconds);
  try {
    const [row] = await session.rows<{ found: string | number | null; groupCount?: string | number }>(statement);
    const groups = row.groupCount === undefined ? undefined : Number(row.groupCount);
    return { rows: Number(row.found ?? 0), ...(groups !== undefined && { groups }) };
  } catch (error) {
    if (TIME_LIMIT_ERRORS.includes((error as ServerError).errno ?? 0)) return 'timeout';
    throw error;
  }
}
