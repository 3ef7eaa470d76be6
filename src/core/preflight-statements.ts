/**
 * What preflight reads from each statement of a pending migration file: which statements the server can be asked
 * how it would execute (ALTER TABLE, CREATE INDEX, DROP INDEX, OPTIMIZE TABLE), what a statement changes that the
 * rows already in the database can make fail (a new UNIQUE index or primary key, a column made NOT NULL, narrower or
 * of another type, a new foreign key), what it throws away (dropped columns and tables), and which tables' rows it
 * writes, since a check of rows that an earlier statement changes first would measure the wrong rows.
 */
import {
  alterListStart,
  creationsOfScript,
  NOT_A_COLUMN,
  StatementTokens,
  tableChangesOfScript,
} from './safety-tables';
import { type LocatedStatement, locateStatements } from './statements';

/** The statements whose execution the server is asked about. */
export type ProbeKind = 'alter-table' | 'create-index' | 'drop-index' | 'optimize';

export interface ProbedStatement {
  readonly kind: ProbeKind;
  readonly table: string;
  /** The `ENGINE=` it sets: a change of engine copies the table whatever ALGORITHM the server accepts. */
  readonly engine?: string;
  /** `ALGORITHM=` and `LOCK=` as written, in upper case. */
  readonly algorithm?: string;
  readonly lock?: string;
}

/** A column's type as a definition writes it; `name` in lower case with synonyms folded (`integer` is `int`). */
export interface ColumnType {
  readonly name: string;
  /** The first number in parentheses: a string's length, a decimal's precision. */
  readonly length?: number;
  /** The second number: a decimal's scale. */
  readonly scale?: number;
  readonly unsigned: boolean;
}

/** A column of an index, with its prefix length (`name(10)`). */
export interface IndexColumn {
  readonly name: string;
  readonly prefix?: number;
}

/** What a statement changes that the rows already there bear on. Tables are named without their database. */
export type DataChange =
  /** A UNIQUE index or a primary key over existing columns. */
  | {
      readonly kind: 'unique';
      readonly table: string;
      readonly columns: readonly IndexColumn[];
      readonly primary: boolean;
    }
  /** A column redefined (MODIFY, CHANGE): `column` is its name before the statement. */
  | {
      readonly kind: 'column';
      readonly table: string;
      readonly column: string;
      readonly type: ColumnType;
      readonly notNull: boolean;
    }
  | {
      readonly kind: 'foreign-key';
      readonly table: string;
      readonly columns: readonly string[];
      readonly parent: string;
      readonly parentColumns: readonly string[];
    }
  | { readonly kind: 'drop-column'; readonly table: string; readonly column: string }
  | { readonly kind: 'drop-table'; readonly table: string }
  /** Rows inserted, updated or deleted, or the table renamed: later checks of its rows would not see what runs. */
  | { readonly kind: 'rows-written'; readonly table: string };

export interface PreflightStatement extends LocatedStatement {
  readonly probe?: ProbedStatement;
  /** Why a schema change is not probed, e.g. partitioning. */
  readonly notProbed?: string;
  readonly changes: readonly DataChange[];
}

export interface PreflightScript {
  readonly statements: readonly PreflightStatement[];
  /**
   * The file defines a routine, trigger or event, whose body holds `;`: its statements cannot be sent one at a time,
   * so the file is run whole and nothing in it is probed.
   */
  readonly definesRoutine: boolean;
}

/** Reads every statement of a migration file. */
export function readPreflightScript(sql: string): PreflightScript {
  let definesRoutine = false;
  const statements = locateStatements(sql).map((located): PreflightStatement => {
    const tokens = StatementTokens.of(located.text);
    if (isRoutineDefinition(tokens)) definesRoutine = true;
    return { ...located, ...readStatement(tokens, located.text) };
  });
  return { statements, definesRoutine };
}

type StatementReading = Pick<PreflightStatement, 'probe' | 'notProbed' | 'changes'>;

const NOTHING: StatementReading = { changes: [] };

function readStatement(tokens: StatementTokens, text: string): StatementReading {
  if (tokens.isWord(0, 'ALTER')) return readAlterTable(tokens) ?? NOTHING;
  if (tokens.isWord(0, 'CREATE')) return readCreateIndex(tokens) ?? NOTHING;
  if (tokens.isWord(0, 'DROP') && tokens.isWord(1, 'INDEX')) return readDropIndex(tokens) ?? NOTHING;
  if (tokens.isWord(0, 'OPTIMIZE')) {
    tokens.at = 1;
    tokens.skipWords(['NO_WRITE_TO_BINLOG', 'LOCAL']);
    if (!tokens.isWord(tokens.at, 'TABLE')) return NOTHING;
    tokens.at++;
    const table = tokens.name();
    return table === undefined ? NOTHING : { probe: { kind: 'optimize', table }, changes: [] };
  }
  if (tokens.isWord(0, 'UPDATE')) {
    tokens.at = 1;
    tokens.skipWords(['LOW_PRIORITY', 'IGNORE']);
    return { changes: tokens.names().map((table) => ({ kind: 'rows-written', table })) };
  }
  if (tokens.isWord(0, 'LOAD')) {
    const into = findWord(tokens, 'INTO', 1);
    tokens.at = into + 2;
    const table = into < 0 || !tokens.isWord(into + 1, 'TABLE') ? undefined : tokens.name();
    return table === undefined ? NOTHING : { changes: [{ kind: 'rows-written', table }] };
  }
  const changes: DataChange[] = [];
  for (const change of tableChangesOfScript(text)) {
    for (const table of change.tables) {
      changes.push(change.what === 'DROP TABLE' ? { kind: 'drop-table', table } : { kind: 'rows-written', table });
    }
  }
  for (const table of creationsOfScript(text).filledTables) changes.push({ kind: 'rows-written', table });
  return { changes };
}

const ALGORITHMS = ['DEFAULT', 'INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];
const LOCKS = ['DEFAULT', 'NONE', 'SHARED', 'EXCLUSIVE'];

function readAlterTable(tokens: StatementTokens): StatementReading | undefined {
  const list = alterListStart(tokens);
  if (list === undefined) return undefined;
  const { table } = list;
  const changes: DataChange[] = [];
  let probe: ProbedStatement = { kind: 'alter-table', table };
  let notProbed: string | undefined;
  const starts = tokens.clauseStarts();
  starts.forEach((start, position) => {
    const end = position + 1 < starts.length ? starts[position + 1] - 1 : tokens.length;
    const option = optionValue(tokens, start);
    if (tokens.isWord(start, 'ALGORITHM') && option !== undefined && ALGORITHMS.includes(option)) {
      probe = { ...probe, algorithm: option };
    } else if (tokens.isWord(start, 'LOCK') && option !== undefined && LOCKS.includes(option)) {
      probe = { ...probe, lock: option };
    } else readAlterClause(tokens, start, end, table, changes);
  });
  let depth = 0;
  for (let index = list.at; index < tokens.length; index++) {
    if (tokens.isPunctuation(index, '(')) depth++;
    else if (tokens.isPunctuation(index, ')')) depth--;
    else if (depth !== 0) continue;
    else if (tokens.isAnyWord(index, ['PARTITION', 'PARTITIONING', 'PARTITIONS'])) {
      notProbed = 'it changes partitions, which take no ALGORITHM clause with other changes';
    } else if (tokens.isWord(index, 'TABLESPACE')) notProbed = 'it discards or imports a tablespace';
    else if (tokens.isWord(index, 'ENGINE') && (starts.includes(index) || tokens.isPunctuation(index + 1, '='))) {
      const engine = optionValue(tokens, index);
      if (engine !== undefined) probe = { ...probe, engine };
    }
  }
  if (starts.length === 0) notProbed = 'it changes nothing';
  return { probe, changes, ...(notProbed !== undefined && { notProbed }) };
}

/** The value of `NAME [=] value` at `at`, in upper case. */
function optionValue(tokens: StatementTokens, at: number): string | undefined {
  const value = tokens.isPunctuation(at + 1, '=') ? at + 2 : at + 1;
  tokens.at = value;
  return tokens.name()?.toUpperCase();
}

function readAlterClause(
  tokens: StatementTokens,
  start: number,
  end: number,
  table: string,
  changes: DataChange[],
): void {
  if (tokens.isWord(start, 'ADD')) {
    let at = start + 1;
    if (tokens.isWord(at, 'CONSTRAINT')) {
      at++;
      if (!tokens.isAnyWord(at, ['PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK'])) at++;
    }
    if (tokens.isWord(at, 'PRIMARY') || tokens.isWord(at, 'UNIQUE')) {
      const columns = indexColumns(tokens, at, end);
      if (columns.length > 0) changes.push({ kind: 'unique', table, columns, primary: tokens.isWord(at, 'PRIMARY') });
    } else if (tokens.isWord(at, 'FOREIGN')) {
      const foreignKey = foreignKeyOf(tokens, at, end, table);
      if (foreignKey) changes.push(foreignKey);
    }
  } else if (tokens.isWord(start, 'MODIFY') || tokens.isWord(start, 'CHANGE')) {
    tokens.at = start + 1;
    tokens.skipWords(['COLUMN']);
    tokens.skipIfExists();
    const column = tokens.name();
    if (column === undefined) return;
    if (tokens.isWord(start, 'CHANGE') && tokens.name() === undefined) return;
    const definition = columnDefinition(tokens, tokens.at, end);
    if (definition.type === undefined) return;
    changes.push({ kind: 'column', table, column, type: definition.type, notNull: definition.notNull });
    if (definition.key !== undefined) {
      changes.push({ kind: 'unique', table, columns: [{ name: column }], primary: definition.key === 'primary' });
    }
  } else if (tokens.isWord(start, 'DROP') && !tokens.isAnyWord(start + 1, NOT_A_COLUMN)) {
    tokens.at = start + 1;
    tokens.skipWords(['COLUMN']);
    tokens.skipIfExists();
    const column = tokens.name();
    if (column !== undefined) changes.push({ kind: 'drop-column', table, column });
  } else if (tokens.isWord(start, 'RENAME') && !tokens.isAnyWord(start + 1, ['COLUMN', 'INDEX', 'KEY'])) {
    changes.push({ kind: 'rows-written', table });
  }
}

/** The columns of the first parenthesised list after `from`: `(a, b(10), c DESC)`. */
function indexColumns(tokens: StatementTokens, from: number, end: number): IndexColumn[] {
  const open = findPunctuation(tokens, '(', from, end);
  if (open < 0) return [];
  const close = tokens.closing(open);
  const columns: IndexColumn[] = [];
  for (let at = open + 1; at < close;) {
    tokens.at = at;
    const name = tokens.name();
    if (name === undefined) return [];
    const prefix = tokens.isPunctuation(tokens.at, '(') ? tokens.integerAt(tokens.at + 1) : undefined;
    columns.push(prefix === undefined ? { name } : { name, prefix });
    at = tokens.at;
    while (at < close && !tokens.isPunctuation(at, ','))
      at = tokens.isPunctuation(at, '(') ? tokens.closing(at) + 1 : at + 1;
    at++;
  }
  return columns;
}

function foreignKeyOf(tokens: StatementTokens, at: number, end: number, table: string): DataChange | undefined {
  const columns = indexColumns(tokens, at, end).map((column) => column.name);
  const references = findWord(tokens, 'REFERENCES', at, end);
  if (references < 0 || columns.length === 0) return undefined;
  tokens.at = references + 1;
  const parent = tokens.name();
  const parentColumns = indexColumns(tokens, tokens.at, end).map((column) => column.name);
  if (parent === undefined || parentColumns.length !== columns.length) return undefined;
  return { kind: 'foreign-key', table, columns, parent, parentColumns };
}

interface ColumnDefinition {
  readonly type?: ColumnType;
  readonly notNull: boolean;
  readonly key?: 'unique' | 'primary';
}

/** Type names written another way, folded to the name the server shows. */
const TYPE_SYNONYMS: Readonly<Record<string, string>> = {
  integer: 'int',
  int4: 'int',
  int1: 'tinyint',
  int2: 'smallint',
  int3: 'mediumint',
  middleint: 'mediumint',
  int8: 'bigint',
  bool: 'tinyint',
  boolean: 'tinyint',
  dec: 'decimal',
  numeric: 'decimal',
  fixed: 'decimal',
  character: 'char',
  nchar: 'char',
  nvarchar: 'varchar',
  varchar2: 'varchar',
};

/** Reads `type[(n[, m])] [attributes...]` from `at` up to `end`. */
function columnDefinition(tokens: StatementTokens, at: number, end: number): ColumnDefinition {
  if (tokens.isWord(at, 'NATIONAL')) at++;
  const written = tokens.rawText(at).toLowerCase();
  if (written === '' || at >= end) return { notNull: false };
  let name = TYPE_SYNONYMS[written] ?? written;
  at++;
  if (name === 'char' && tokens.isWord(at, 'VARYING')) {
    name = 'varchar';
    at++;
  }
  let length: number | undefined;
  let scale: number | undefined;
  if (tokens.isPunctuation(at, '(')) {
    length = tokens.integerAt(at + 1);
    if (tokens.isPunctuation(at + 2, ',')) scale = tokens.integerAt(at + 3);
    at = tokens.closing(at) + 1;
  }
  if (name === 'char' && length === undefined) length = 1;
  let unsigned = false;
  let notNull = false;
  let key: ColumnDefinition['key'];
  let depth = 0;
  for (; at < end; at++) {
    if (tokens.isPunctuation(at, '(')) depth++;
    else if (tokens.isPunctuation(at, ')')) depth--;
    if (depth !== 0) continue;
    if (tokens.isWord(at, 'UNSIGNED')) unsigned = true;
    else if (tokens.isWord(at, 'NOT') && tokens.isWord(at + 1, 'NULL')) notNull = true;
    else if (tokens.isWord(at, 'NULL') && !tokens.isWord(at - 1, 'NOT') && !tokens.isWord(at - 1, 'DEFAULT')) {
      notNull = false;
    } else if (tokens.isWord(at, 'PRIMARY')) {
      key = 'primary';
      notNull = true;
    } else if (tokens.isWord(at, 'UNIQUE')) key ??= 'unique';
  }
  return {
    type: { name, unsigned, ...(length !== undefined && { length }), ...(scale !== undefined && { scale }) },
    notNull,
    ...(key !== undefined && { key }),
  };
}

const INDEX_KINDS = ['UNIQUE', 'FULLTEXT', 'SPATIAL'];

/** `CREATE [OR REPLACE] [ONLINE|OFFLINE] [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] name ... ON table (...)`. */
function readCreateIndex(tokens: StatementTokens): StatementReading | undefined {
  tokens.at = 1;
  if (tokens.isWord(1, 'OR') && tokens.isWord(2, 'REPLACE')) tokens.at = 3;
  tokens.skipWords(['ONLINE', 'OFFLINE']);
  const unique = tokens.isWord(tokens.at, 'UNIQUE');
  tokens.skipWords(INDEX_KINDS);
  if (!tokens.isWord(tokens.at, 'INDEX')) return undefined;
  const on = findWord(tokens, 'ON', tokens.at);
  if (on < 0) return undefined;
  tokens.at = on + 1;
  const table = tokens.name();
  if (table === undefined) return undefined;
  const probe = { kind: 'create-index' as const, table, ...writtenAlgorithmAndLock(tokens, tokens.at) };
  const columns = unique ? indexColumns(tokens, tokens.at, tokens.length) : [];
  return {
    probe,
    changes: columns.length > 0 ? [{ kind: 'unique', table, columns, primary: false }] : [],
  };
}

/** `DROP INDEX [ONLINE|OFFLINE] [IF EXISTS] name ON table ...`. */
function readDropIndex(tokens: StatementTokens): StatementReading | undefined {
  const on = findWord(tokens, 'ON', 2);
  if (on < 0) return undefined;
  tokens.at = on + 1;
  const table = tokens.name();
  if (table === undefined) return undefined;
  return { probe: { kind: 'drop-index', table, ...writtenAlgorithmAndLock(tokens, tokens.at) }, changes: [] };
}

/** `ALGORITHM [=] x` and `LOCK [=] x` among the options of CREATE INDEX or DROP INDEX, from `from` on. */
function writtenAlgorithmAndLock(tokens: StatementTokens, from: number): { algorithm?: string; lock?: string } {
  const found: { algorithm?: string; lock?: string } = {};
  let depth = 0;
  for (let at = from; at < tokens.length; at++) {
    if (tokens.isPunctuation(at, '(')) depth++;
    else if (tokens.isPunctuation(at, ')')) depth--;
    else if (depth === 0 && (tokens.isWord(at, 'ALGORITHM') || tokens.isWord(at, 'LOCK'))) {
      const value = optionValue(tokens, at);
      if (value === undefined) continue;
      if (tokens.isWord(at, 'ALGORITHM')) found.algorithm = value;
      else found.lock = value;
    }
  }
  return found;
}

const ROUTINES = ['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT'];

/** `CREATE [OR REPLACE] [DEFINER = ...] [AGGREGATE] PROCEDURE|FUNCTION|TRIGGER|EVENT`, or `BEGIN NOT ATOMIC`. */
function isRoutineDefinition(tokens: StatementTokens): boolean {
  if (tokens.isWord(0, 'BEGIN')) return tokens.isWord(1, 'NOT');
  if (!tokens.isWord(0, 'CREATE')) return false;
  // A definer is `user`@`host` or CURRENT_USER[()], a handful of tokens before the kind of object.
  for (let at = 1; at < Math.min(tokens.length, 12); at++) {
    if (tokens.isAnyWord(at, ROUTINES)) return true;
    if (tokens.isAnyWord(at, ['TABLE', 'INDEX', 'VIEW', 'DATABASE', 'SCHEMA', 'USER', 'ROLE'])) return false;
  }
  return false;
}

function findWord(tokens: StatementTokens, word: string, from: number, end = tokens.length): number {
  for (let at = from; at < end; at++) if (tokens.isWord(at, word)) return at;
  return -1;
}

function findPunctuation(tokens: StatementTokens, char: string, from: number, end: number): number {
  for (let at = from; at < end; at++) if (tokens.isPunctuation(at, char)) return at;
  return -1;
}
