/**
 * Reads a schema snapshot from information_schema in one round trip (one multi-statement query), and the statements
 * that create and drop the scratch databases Verify works on. Every SQL text of Verify is here.
 */
import {
  routineKey,
  type CheckSnapshot,
  type ColumnSnapshot,
  type ForeignKeySnapshot,
  type IndexPart,
  type IndexSnapshot,
  type RoutineKind,
  type RoutineSnapshot,
  type SchemaSnapshot,
  type TableSnapshot,
  type TriggerSnapshot,
  type ViewSnapshot,
} from '../../core/verify-snapshot';
import type { MysqlSession } from './connection';
import { quoteIdentifier, type Statement } from './sql';

type Cell = string | number | null;
type Row = Record<string, Cell>;

const SNAPSHOT_QUERIES = [
  `SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation, TABLE_COMMENT AS comment
     FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW'`,
  `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, ORDINAL_POSITION AS position, COLUMN_TYPE AS type,
          IS_NULLABLE AS nullable, COLUMN_DEFAULT AS defaultValue, CHARACTER_SET_NAME AS characterSet,
          COLLATION_NAME AS collation, EXTRA AS extra, GENERATION_EXPRESSION AS generationExpression,
          COLUMN_COMMENT AS comment
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
  `SELECT TABLE_NAME AS tableName, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS columnName,
          SUB_PART AS prefixLength, COLLATION AS ordering, INDEX_TYPE AS kind
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, COLUMN_NAME AS columnName,
          REFERENCED_TABLE_SCHEMA AS referencedSchema, REFERENCED_TABLE_NAME AS referencedTable,
          REFERENCED_COLUMN_NAME AS referencedColumn
     FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
    ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
  `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, UPDATE_RULE AS onUpdate, DELETE_RULE AS onDelete
     FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`,
  `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause
     FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`,
  `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, CHECK_OPTION AS checkOption,
          SECURITY_TYPE AS securityType
     FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`,
  `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName, ACTION_TIMING AS timing,
          EVENT_MANIPULATION AS event, ACTION_STATEMENT AS statement
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`,
  `SELECT ROUTINE_TYPE AS kind, ROUTINE_NAME AS name, DTD_IDENTIFIER AS returnType, ROUTINE_DEFINITION AS body,
          IS_DETERMINISTIC AS isDeterministic, SQL_DATA_ACCESS AS dataAccess, SECURITY_TYPE AS securityType
     FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`,
  `SELECT ROUTINE_TYPE AS kind, SPECIFIC_NAME AS routine, PARAMETER_MODE AS parameterMode, PARAMETER_NAME AS name,
          DTD_IDENTIFIER AS type
     FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0
    ORDER BY SPECIFIC_NAME, ORDINAL_POSITION`,
];

/** The ten information_schema queries of a snapshot, as one multi-statement query. */
function selectSchemaSnapshot(schema: string): Statement {
  return { sql: SNAPSHOT_QUERIES.join(';\n'), values: SNAPSHOT_QUERIES.map(() => schema) };
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

/** The schema `schema` as the session's server sees it now. */
export async function readSchemaSnapshot(session: MysqlSession, schema: string): Promise<SchemaSnapshot> {
  const results = await session.rows<Row[]>(selectSchemaSnapshot(schema));
  const [
    tableRows,
    columnRows,
    indexRows,
    foreignKeyRows,
    ruleRows,
    checkRows,
    viewRows,
    triggerRows,
    routineRows,
    parameterRows,
  ] = results;
  const ownName = new RegExp(`\`${escapeRegExp(schema.replace(/`/g, '``'))}\`\\.`, 'g');
  const unqualified = (text: Cell): string => String(text ?? '').replace(ownName, '');

  const tables = new Map<string, MutableTable>();
  for (const row of tableRows ?? []) {
    const name = String(row['name']);
    tables.set(name, {
      name,
      engine: String(row['engine'] ?? ''),
      collation: String(row['collation'] ?? ''),
      comment: String(row['comment'] ?? ''),
      columns: new Map(),
      indexes: new Map(),
      foreignKeys: new Map(),
      checks: new Map(),
    });
  }
  for (const row of columnRows ?? []) {
    const table = tables.get(String(row['tableName']));
    if (!table) continue;
    const column: ColumnSnapshot = {
      name: String(row['name']),
      position: Number(row['position']),
      type: String(row['type']),
      nullable: row['nullable'] === 'YES',
      defaultValue: optional(row['defaultValue']),
      characterSet: optional(row['characterSet']),
      collation: optional(row['collation']),
      extra: String(row['extra'] ?? ''),
      generationExpression: optional(row['generationExpression']),
      comment: String(row['comment'] ?? ''),
    };
    table.columns.set(column.name, column);
  }
  for (const row of indexRows ?? []) {
    const table = tables.get(String(row['tableName']));
    if (!table) continue;
    const name = String(row['name']);
    let index = table.indexes.get(name);
    if (!index) {
      index = { name, unique: Number(row['nonUnique']) === 0, kind: String(row['kind'] ?? ''), parts: [] };
      table.indexes.set(name, index);
    }
    index.parts.push({
      column: String(row['columnName'] ?? ''),
      prefixLength: row['prefixLength'] === null ? undefined : Number(row['prefixLength']),
      descending: row['ordering'] === 'D',
    });
  }
  const rules = new Map<string, Row>();
  for (const row of ruleRows ?? []) rules.set(`${String(row['tableName'])}\u0000${String(row['name'])}`, row);
  const foreignKeys = new Map<string, MutableForeignKey>();
  for (const row of foreignKeyRows ?? []) {
    const table = String(row['tableName']);
    const name = String(row['name']);
    const key = `${table}\u0000${name}`;
    let foreignKey = foreignKeys.get(key);
    if (!foreignKey) {
      const referencedSchema = String(row['referencedSchema'] ?? schema);
      const referencedTable = String(row['referencedTable']);
      foreignKey = {
        name,
        table,
        columns: [],
        referencedTable: referencedSchema === schema ? referencedTable : `${referencedSchema}.${referencedTable}`,
        referencedColumns: [],
        onDelete: String(rules.get(key)?.['onDelete'] ?? ''),
        onUpdate: String(rules.get(key)?.['onUpdate'] ?? ''),
      };
      foreignKeys.set(key, foreignKey);
    }
    foreignKey.columns.push(String(row['columnName']));
    foreignKey.referencedColumns.push(String(row['referencedColumn']));
  }
  for (const foreignKey of foreignKeys.values())
    tables.get(foreignKey.table)?.foreignKeys.set(foreignKey.name, foreignKey);
  for (const row of checkRows ?? []) {
    const check: CheckSnapshot = { name: String(row['name']), clause: String(row['clause']) };
    tables.get(String(row['tableName']))?.checks.set(check.name, check);
  }

  const views = new Map<string, ViewSnapshot>();
  for (const row of viewRows ?? []) {
    const view: ViewSnapshot = {
      name: String(row['name']),
      definition: unqualified(row['definition']),
      checkOption: String(row['checkOption'] ?? ''),
      securityType: String(row['securityType'] ?? ''),
    };
    views.set(view.name, view);
  }
  const triggers = new Map<string, TriggerSnapshot>();
  for (const row of triggerRows ?? []) {
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
  for (const row of parameterRows ?? []) {
    const key = routineKey(String(row['kind']) as RoutineKind, String(row['routine']));
    const mode = row['parameterMode'] === null ? '' : `${String(row['parameterMode'])} `;
    const list = parameters.get(key) ?? [];
    list.push(`${mode}${String(row['name'])} ${String(row['type'])}`);
    parameters.set(key, list);
  }
  const routines = new Map<string, RoutineSnapshot>();
  for (const row of routineRows ?? []) {
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

type MutableTable = Omit<TableSnapshot, 'columns' | 'indexes' | 'foreignKeys' | 'checks'> & {
  columns: Map<string, ColumnSnapshot>;
  indexes: Map<string, IndexSnapshot & { parts: IndexPart[] }>;
  foreignKeys: Map<string, ForeignKeySnapshot>;
  checks: Map<string, CheckSnapshot>;
};

type MutableForeignKey = ForeignKeySnapshot & { columns: string[]; referencedColumns: string[] };

function optional(value: Cell): string | undefined {
  return value === null ? undefined : String(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
