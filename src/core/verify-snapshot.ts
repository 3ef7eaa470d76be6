/**
 * The shape of one database schema at one moment, as Verify compares it: everything a down file is expected to put
 * back. Row data is not part of it (a down that leaves rows behind shows up when the up runs again). Maps are keyed by
 * name so two snapshots compare object by object; names are as the server reports them.
 */

export interface SchemaSnapshot {
  readonly tables: ReadonlyMap<string, TableSnapshot>;
  readonly views: ReadonlyMap<string, ViewSnapshot>;
  readonly triggers: ReadonlyMap<string, TriggerSnapshot>;
  /** Keyed by `routineKey()`: a procedure and a function may share a name. */
  readonly routines: ReadonlyMap<string, RoutineSnapshot>;
}

export interface TableSnapshot {
  readonly name: string;
  readonly engine: string;
  readonly collation: string;
  readonly comment: string;
  readonly columns: ReadonlyMap<string, ColumnSnapshot>;
  readonly indexes: ReadonlyMap<string, IndexSnapshot>;
  readonly foreignKeys: ReadonlyMap<string, ForeignKeySnapshot>;
  readonly checks: ReadonlyMap<string, CheckSnapshot>;
}

export interface ColumnSnapshot {
  readonly name: string;
  /** 1-based, as in information_schema: column order matters to `SELECT *` and to inserts without a column list. */
  readonly position: number;
  /** The full type as the server prints it, e.g. `varchar(255)`, `int(10) unsigned`, `enum('a','b')`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as the server prints it; undefined when the column has none. */
  readonly defaultValue: string | undefined;
  readonly characterSet: string | undefined;
  readonly collation: string | undefined;
  /** `auto_increment`, `on update current_timestamp()`, `VIRTUAL GENERATED`, ...; empty when none. */
  readonly extra: string;
  readonly generationExpression: string | undefined;
  readonly comment: string;
}

export interface IndexSnapshot {
  readonly name: string;
  readonly unique: boolean;
  /** BTREE, HASH, FULLTEXT, SPATIAL. */
  readonly kind: string;
  readonly parts: readonly IndexPart[];
}

export interface IndexPart {
  /** A column name, or an expression for functional index parts. */
  readonly column: string;
  /** The prefix length of `col(10)`; undefined for the whole column. */
  readonly prefixLength: number | undefined;
  readonly descending: boolean;
}

export interface ForeignKeySnapshot {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  /** RESTRICT, CASCADE, SET NULL, NO ACTION, SET DEFAULT. */
  readonly onDelete: string;
  readonly onUpdate: string;
}

export interface CheckSnapshot {
  readonly name: string;
  readonly clause: string;
}

export interface ViewSnapshot {
  readonly name: string;
  /** The stored SELECT with the schema's own name removed, so two scratch schemas print the same text. */
  readonly definition: string;
  readonly checkOption: string;
  readonly securityType: string;
}

export interface TriggerSnapshot {
  readonly name: string;
  readonly table: string;
  /** BEFORE or AFTER. */
  readonly timing: string;
  /** INSERT, UPDATE or DELETE. */
  readonly event: string;
  readonly statement: string;
}

export type RoutineKind = 'PROCEDURE' | 'FUNCTION';

export interface RoutineSnapshot {
  readonly kind: RoutineKind;
  readonly name: string;
  /** The parameter list as declared, e.g. `IN p_id int(11), OUT p_total decimal(10,2)`. */
  readonly parameters: string;
  /** The return type of a function; empty for a procedure. */
  readonly returns: string;
  readonly body: string;
  readonly deterministic: boolean;
  readonly dataAccess: string;
  readonly securityType: string;
}

export function routineKey(kind: RoutineKind, name: string): string {
  return `${kind} ${name}`;
}

export const EMPTY_SNAPSHOT: SchemaSnapshot = {
  tables: new Map(),
  views: new Map(),
  triggers: new Map(),
  routines: new Map(),
};

/** What a snapshot can carry over from the previous one: the tables, views, triggers and routines it saw. */
export type SchemaObjects = Pick<SchemaSnapshot, 'tables' | 'views' | 'triggers' | 'routines'>;

export interface ObjectKinds {
  readonly views: boolean;
  readonly triggers: boolean;
  readonly routines: boolean;
}

export const NO_OBJECT_KINDS: ObjectKinds = { views: false, triggers: false, routines: false };

/** SQL whose effect the text does not show (CALL, PREPARE/EXECUTE, events) or a statement on a whole database. */
const HIDDEN_SQL = /\b(CALL|PREPARE|EXECUTE|EVENT|DATABASE|SCHEMA)\b/i;

/**
 * Which kinds of object running `sql` may have changed, so a snapshot asks the server again only for those (reading
 * triggers and routines costs more than all the tables together). Every statement that makes, changes or drops one
 * names its kind (CREATE VIEW, DROP TRIGGER, ALTER PROCEDURE, ...), except that a table takes its triggers along when
 * it is dropped, replaced or renamed (`tableMayBeReplaced`), and RENAME TABLE also renames views. Any mention counts,
 * even in a comment or string, which only costs a query.
 */
export function kindsChangedBy(sql: string, triggersExist: boolean): ObjectKinds {
  return {
    views: /\b(VIEW|RENAME)\b/i.test(sql),
    triggers: /\bTRIGGER\b/i.test(sql) || (triggersExist && tableMayBeReplaced(sql)),
    routines: /\b(PROCEDURE|FUNCTION)\b/i.test(sql),
  };
}

/**
 * Whether `sql` may drop, replace or rename a table: DROP or REPLACE followed anywhere later by TABLE or TABLES, any
 * RENAME, or SQL the text does not show. Dropping a column or an index leaves the table's triggers alone.
 */
function tableMayBeReplaced(sql: string): boolean {
  return /\b(DROP|REPLACE)\b[\s\S]*?\bTABLES?\b/i.test(sql) || /\bRENAME\b/i.test(sql) || HIDDEN_SQL.test(sql);
}

export function eitherKinds(a: ObjectKinds, b: ObjectKinds): ObjectKinds {
  return { views: a.views || b.views, triggers: a.triggers || b.triggers, routines: a.routines || b.routines };
}

/**
 * Whether running `sql` may have changed the list of tables and views (a snapshot then asks the server for it again):
 * only a statement that creates, drops or renames a table, view or sequence does, or SQL the text does not show (as
 * in `HIDDEN_SQL`). CREATE or DROP followed anywhere later by TABLE, VIEW or SEQUENCE counts, even across
 * statements, comments or strings, which only costs a query.
 */
export function tableListChangedBy(sql: string): boolean {
  return (
    /\b(CREATE|DROP)\b[\s\S]*?\b(TABLES?|VIEW|SEQUENCE)\b/i.test(sql) || /\bRENAME\b/i.test(sql) || HIDDEN_SQL.test(sql)
  );
}

/** Every table: for files whose effect cannot be read from their text. */
export const ALL_TABLES = 'all';

export type ChangedTables = ReadonlySet<string> | typeof ALL_TABLES;

/**
 * The tables of `tables` (the schema before the file ran) whose definition running `sql` may have changed, so a
 * snapshot reads only those again. A DDL statement names the tables it changes; a table whose foreign key references
 * one of them changes too when the referenced table or column is renamed. SQL the text does not show (CALL,
 * PREPARE/EXECUTE, events) or a statement on a whole database may change any table. Names are compared ignoring case
 * and looked for anywhere in the text, strings and comments included, which only costs a read.
 */
export function tablesChangedBy(sql: string, tables: ReadonlyMap<string, TableSnapshot>): ChangedTables {
  if (HIDDEN_SQL.test(sql)) return ALL_TABLES;
  const words = new Set(
    [...sql.matchAll(/`((?:[^`]|``)+)`|[\p{L}\p{N}_$]+/gu)].map((match) =>
      (match[1]?.replaceAll('``', '`') ?? match[0]).toLowerCase(),
    ),
  );
  const changed = new Set([...tables.keys()].filter((name) => words.has(name.toLowerCase())));
  for (let grown = true; grown;) {
    grown = false;
    for (const table of tables.values()) {
      if (changed.has(table.name)) continue;
      const references = [...table.foreignKeys.values()].some((key) => changed.has(key.referencedTable));
      if (references) {
        changed.add(table.name);
        grown = true;
      }
    }
  }
  return changed;
}

export function eitherTables(a: ChangedTables, b: ChangedTables): ChangedTables {
  return a === ALL_TABLES || b === ALL_TABLES ? ALL_TABLES : new Set([...a, ...b]);
}
