import { SqlTokenCursor, type SqlTokenKind, unquotedText } from './statements';

/**
 * A statement, or one clause of an `ALTER TABLE`, that can destroy a table's data or take its name away. The one rule
 * both the backup before going down and lint's destructive-down check read.
 */
export interface TableChange {
  readonly what:
    | 'DROP TABLE'
    | 'DROP DATABASE'
    | 'CREATE OR REPLACE TABLE'
    | 'DROP COLUMN'
    | 'DROP PARTITION'
    | 'TRUNCATE PARTITION'
    | 'DISCARD TABLESPACE'
    | 'TRUNCATE'
    | 'DELETE'
    | 'RENAME';
  /** Offset of the statement's verb, or of the clause's `DROP` / `RENAME` / `TRUNCATE` / `DISCARD`, in the script. */
  readonly offset: number;
  /** Table names without their database part; none for `DROP DATABASE`, which takes every table of a database. */
  readonly tables: readonly string[];
  /** The column a `DROP COLUMN` drops. */
  readonly column?: string;
}

/** Whether the change loses rows or columns; a rename keeps them under another name. */
export const losesData = (change: TableChange): boolean => change.what !== 'RENAME';

/** Every change holds one of these words (an `ALTER TABLE` one of its clauses'): a script without any has none. */
const CHANGING_WORD = /DROP|TRUNCATE|RENAME|DELETE|REPLACE|DISCARD/i;
/**
 * Statements starting with any other word cannot change a table's data; their tokens are not even kept. SET is kept
 * for what it does to the SQL mode, which changes how the rest of the script is read.
 */
const KEPT_VERBS = ['DROP', 'TRUNCATE', 'RENAME', 'ALTER', 'DELETE', 'CREATE', 'SET'];

/**
 * The data-destroying statements and clauses of a script, in order; comments and strings never count. The script is
 * read in `sessionSqlMode` (the SQL mode its connection starts with, e.g. from the database URL) and then in what its
 * own `SET sql_mode` statements make it. Lint runs this on every down file of a folder, thousands at a time, so it
 * allocates little besides what it returns: a statement's tokens are offsets in one reused list, not an object each.
 */
export function tableChangesOfScript(sql: string, sessionSqlMode = ''): TableChange[] {
  const changes: TableChange[] = [];
  if (!CHANGING_WORD.test(sql)) return changes;
  forEachStatement(sql, sessionSqlMode, KEPT_VERBS, (statement) => changesOfStatement(statement, changes));
  return changes;
}

/**
 * Hands `onStatement` each statement of a script whose first word is one of `verbs` (in upper case), its tokens
 * read by the cursor at the statement's start, until it returns true; other statements are skipped without reading
 * their tokens, and so is the rest of a kept statement once `enough` says so. `SET sql_mode` statements are followed,
 * so the rest of the script is read in the mode the server will read it in.
 */
function forEachStatement(
  sql: string,
  sessionSqlMode: string,
  verbs: readonly string[],
  onStatement: (statement: StatementTokens) => boolean | void,
  enough: (statement: StatementTokens) => boolean = () => false,
): void {
  const cursor = new SqlTokenCursor(sql);
  if (sessionSqlMode !== '') {
    cursor.ansiQuotes = ANSI_QUOTES_MODES.test(sessionSqlMode);
    cursor.noBackslashEscapes = NO_BACKSLASH_ESCAPES.test(sessionSqlMode);
  }
  const statement = reusedStatement.startScript(sql);
  let kept = true;
  let stopped = false;
  const endStatement = () => {
    if (kept && statement.isWord(0, 'SET')) applySqlMode(statement, cursor);
    else if (kept && statement.length > 0) stopped = onStatement(statement) === true;
    statement.clear();
    kept = true;
  };
  while (!stopped && cursor.next()) {
    if (cursor.kind === 'punctuation' && sql.charCodeAt(cursor.start) === 0x3b) {
      endStatement();
      continue;
    }
    statement.push(cursor.kind, cursor.start, cursor.end);
    if (statement.length === 1) kept = statement.isWord(0, 'SET') || statement.isAnyWord(0, verbs);
    if (!kept || (!statement.isWord(0, 'SET') && enough(statement))) cursor.skipStatement();
  }
  if (!stopped) endStatement();
}

/** What an up script brings into being, so that a down taking exactly that away is expected rather than a loss. */
export interface ScriptCreations {
  /** Tables it creates (`CREATE TABLE`), lower case. */
  readonly tables: ReadonlySet<string>;
  /** Columns it adds (`ALTER TABLE t ADD [COLUMN] c`), as `table.column` in lower case. */
  readonly columns: ReadonlySet<string>;
  /** Tables it inserts rows into (`INSERT`, `REPLACE`) or adds partitions to, lower case. */
  readonly filledTables: ReadonlySet<string>;
}

const CREATING_VERBS = ['CREATE', 'ALTER', 'INSERT', 'REPLACE'];
const INSERT_OPTIONS = ['LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY', 'IGNORE', 'INTO'];

/** The tables, columns and rows a script creates, read in `sessionSqlMode` as `tableChangesOfScript` reads. */
export function creationsOfScript(sql: string, sessionSqlMode = ''): ScriptCreations {
  const creations = new Creations();
  forEachStatement(sql, sessionSqlMode, CREATING_VERBS, (statement) => creations.add(statement), namesItsTable);
  return creations;
}

/**
 * The changes of a down script that take away what its up script did not create: a down that drops the table its up
 * created, the column it added or the rows it inserted only undoes the up. Lint asks this of every down file, so the
 * up is read only as far as needed: statement by statement until every change is accounted for, and of a CREATE or
 * INSERT only the tokens up to the table's name.
 */
export function changesNotCreatedBy(
  changes: readonly TableChange[],
  upScript: string,
  sessionSqlMode = '',
): TableChange[] {
  const creations = new Creations();
  const isLeft = (change: TableChange) => !creations.created(change);
  forEachStatement(
    upScript,
    sessionSqlMode,
    CREATING_VERBS,
    (statement) => {
      creations.add(statement);
      return !changes.some(isLeft);
    },
    namesItsTable,
  );
  return changes.filter(isLeft);
}

/** Whether a CREATE or INSERT read so far has named its table: up to the first punctuation after it, but a dot. */
function namesItsTable(statement: StatementTokens): boolean {
  if (statement.isWord(0, 'ALTER')) return false;
  const last = statement.length - 1;
  return (statement.isPunctuationToken(last) && !statement.isPunctuation(last, '.')) || statement.length >= 12;
}

/** What the statements of an up script create, gathered one statement at a time. */
class Creations implements ScriptCreations {
  readonly tables = new Set<string>();
  readonly columns = new Set<string>();
  readonly filledTables = new Set<string>();

  add(statement: StatementTokens): void {
    statement.at = 1;
    if (statement.isWord(0, 'CREATE')) {
      if (statement.isWord(1, 'OR') && statement.isWord(2, 'REPLACE')) statement.at = 3;
      statement.skipWords(TEMPORARY);
      if (!statement.isWord(statement.at, 'TABLE')) return;
      statement.at++;
      if (statement.isWord(statement.at, 'IF') && statement.isWord(statement.at + 1, 'NOT')) statement.at += 3;
      const table = statement.name();
      if (table !== undefined) this.tables.add(table.toLowerCase());
    } else if (statement.isWord(0, 'ALTER')) {
      const table = alterListStart(statement)?.table.toLowerCase();
      if (table === undefined) return;
      for (const at of statement.clauseStarts()) {
        if (!statement.isWord(at, 'ADD')) continue;
        if (statement.isWord(at + 1, 'PARTITION')) this.filledTables.add(table);
        else for (const column of addedColumns(statement, at + 1)) this.columns.add(`${table}.${column.toLowerCase()}`);
      }
    } else {
      statement.skipWords(INSERT_OPTIONS);
      const table = statement.name();
      if (table !== undefined) this.filledTables.add(table.toLowerCase());
    }
  }

  /** Whether a change only takes away what was created: its table, its column, or the rows inserted. */
  created(change: TableChange): boolean {
    if (change.what === 'DROP DATABASE') return false;
    return change.tables.every((name) => {
      const table = name.toLowerCase();
      if (this.tables.has(table)) return true;
      switch (change.what) {
        case 'DROP COLUMN':
          return change.column !== undefined && this.columns.has(`${table}.${change.column.toLowerCase()}`);
        case 'DELETE':
        case 'TRUNCATE':
        case 'DROP PARTITION':
        case 'TRUNCATE PARTITION':
          return this.filledTables.has(table);
        default:
          return false;
      }
    });
  }
}

/** The columns an `ADD` clause adds, read from just after `ADD`: `[COLUMN] [IF NOT EXISTS] c ...` or `(c ..., d ...)`. */
function addedColumns(statement: StatementTokens, at: number): string[] {
  statement.at = at;
  const column = statement.isWord(at, 'COLUMN');
  if (column) statement.at++;
  if (!column && statement.isAnyWord(statement.at, NOT_A_COLUMN)) return [];
  if (statement.isWord(statement.at, 'IF') && statement.isWord(statement.at + 2, 'EXISTS')) statement.at += 3;
  if (!statement.isPunctuation(statement.at, '(')) {
    const name = statement.name();
    return name === undefined ? [] : [name];
  }
  const names: string[] = [];
  const nameAt = (index: number) => {
    if (statement.isAnyWord(index, NOT_A_COLUMN)) return;
    statement.at = index;
    const name = statement.name();
    if (name !== undefined) names.push(name);
  };
  let depth = 0;
  for (let index = statement.at; index < statement.length; index++) {
    if (statement.isPunctuation(index, '(')) {
      if (++depth === 1) nameAt(index + 1);
    } else if (statement.isPunctuation(index, ')')) {
      if (--depth === 0) break;
    } else if (depth === 1 && statement.isPunctuation(index, ',')) nameAt(index + 1);
  }
  return names;
}

/**
 * The tables whose data a script can destroy: `DROP TABLE`, `CREATE OR REPLACE TABLE`, `ALTER TABLE ... DROP`,
 * `... TRUNCATE PARTITION`, `... DISCARD TABLESPACE` and `... RENAME`, `RENAME TABLE`, `TRUNCATE` and `DELETE`. Names
 * qualified with a database keep only the table part; order is first appearance, without repeats.
 */
export function tablesTouchedByScript(sql: string): string[] {
  const tables = new Set<string>();
  for (const change of tableChangesOfScript(sql)) for (const table of change.tables) tables.add(table);
  return [...tables];
}

/**
 * What to back up before the scripts run, e.g. the down files of a run: the tables they can destroy data in, or
 * `'all'` when one drops a database, which takes every table with it. Each script starts in `sessionSqlMode`.
 */
export function backupScopeOfScripts(scripts: Iterable<string>, sessionSqlMode = ''): readonly string[] | 'all' {
  const tables = new Set<string>();
  for (const script of scripts) {
    for (const change of tableChangesOfScript(script, sessionSqlMode)) {
      if (change.what === 'DROP DATABASE') return 'all';
      for (const table of change.tables) tables.add(table);
    }
  }
  return [...tables];
}

/**
 * One statement's tokens as parallel arrays, with a cursor that the statement's grammar reads them by. One instance
 * serves every call here (the work is synchronous, so no two scripts ever share it at once), and clearing it keeps
 * the arrays' room: emptying an array gives its storage back, and the next statement would allocate it again.
 * Preflight reads a few statements in more detail through `StatementTokens.of`.
 */
export class StatementTokens {
  private readonly kinds: SqlTokenKind[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** How many of the arrays' items belong to the current statement. */
  private count = 0;
  /** The token the grammar reads next. */
  at = 0;

  private sql = '';

  startScript(sql: string): this {
    this.sql = sql;
    this.clear();
    return this;
  }

  /** The tokens of one statement's text (up to its first `;`), read as the server reads them by default. */
  static of(statement: string): StatementTokens {
    const tokens = new StatementTokens().startScript(statement);
    const cursor = new SqlTokenCursor(statement);
    while (cursor.next() && !(cursor.kind === 'punctuation' && statement.charCodeAt(cursor.start) === 0x3b)) {
      tokens.push(cursor.kind, cursor.start, cursor.end);
    }
    return tokens;
  }

  get length(): number {
    return this.count;
  }

  push(kind: SqlTokenKind, start: number, end: number): void {
    this.kinds[this.count] = kind;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  clear(): void {
    this.count = 0;
    this.at = 0;
  }

  offset(index: number): number {
    return this.starts[index];
  }

  /** Offset just past token `index`. */
  endOffset(index: number): number {
    return this.ends[index];
  }

  /** The token as written, quotes included. */
  rawText(index: number): string {
    return index < this.count ? this.sql.slice(this.starts[index], this.ends[index]) : '';
  }

  /** Token `index` as a non-negative integer, when it is one. */
  integerAt(index: number): number | undefined {
    const text = this.kindAt(index) === 'word' ? this.rawText(index) : '';
    return /^[0-9]+$/.test(text) ? Number(text) : undefined;
  }

  /** The index of the `)` that closes the `(` at `open`, or the statement's length when it is not closed. */
  closing(open: number): number {
    let depth = 0;
    for (let index = open; index < this.count; index++) {
      if (this.isPunctuation(index, '(')) depth++;
      else if (this.isPunctuation(index, ')') && --depth === 0) return index;
    }
    return this.count;
  }

  /** Whether token `index` is the keyword `word` (given in upper case), written in any case. */
  isWord(index: number, word: string): boolean {
    if (this.kindAt(index) !== 'word' || this.ends[index] - this.starts[index] !== word.length) return false;
    const start = this.starts[index];
    for (let k = 0; k < word.length; k++) {
      const code = this.sql.charCodeAt(start + k);
      if ((code >= 0x61 && code <= 0x7a ? code - 0x20 : code) !== word.charCodeAt(k)) return false;
    }
    return true;
  }

  isAnyWord(index: number, words: readonly string[]): boolean {
    for (const word of words) if (this.isWord(index, word)) return true;
    return false;
  }

  isPunctuationToken(index: number): boolean {
    return this.kindAt(index) === 'punctuation';
  }

  isPunctuation(index: number, char: string): boolean {
    return this.kindAt(index) === 'punctuation' && this.sql[this.starts[index]] === char;
  }

  /** Moves past the keywords at the cursor that are among `words`. */
  skipWords(words: readonly string[]): void {
    while (this.isAnyWord(this.at, words)) this.at++;
  }

  /** Moves past `IF EXISTS` at the cursor, if it is there. */
  skipIfExists(): void {
    if (this.isWord(this.at, 'IF') && this.isWord(this.at + 1, 'EXISTS')) this.at += 2;
  }

  /** Reads `name`, `` `name` `` or `db.name` at the cursor, giving the table part; undefined when no name is there. */
  name(): string | undefined {
    if (!this.isName(this.at)) return undefined;
    let last = this.at++;
    while (this.isPunctuation(this.at, '.') && this.isName(this.at + 1)) {
      last = this.at + 1;
      this.at += 2;
    }
    return this.nameText(last);
  }

  /** The tokens that start the comma-separated clauses from the cursor on: the first, and each after a top-level comma. */
  clauseStarts(): number[] {
    const starts = this.at < this.count ? [this.at] : [];
    let depth = 0;
    for (let index = this.at; index < this.count; index++) {
      if (this.isPunctuation(index, '(')) depth++;
      else if (this.isPunctuation(index, ')')) depth--;
      else if (depth === 0 && this.isPunctuation(index, ',') && index + 1 < this.count) starts.push(index + 1);
    }
    return starts;
  }

  /** Reads `name [, name ...]`; a `name.*` of a multi-table DELETE counts as the name. */
  names(): string[] {
    const found: string[] = [];
    for (let table = this.name(); table !== undefined; table = this.name()) {
      found.push(table);
      if (this.isPunctuation(this.at, '.') && this.isPunctuation(this.at + 1, '*')) this.at += 2;
      if (!this.isPunctuation(this.at, ',')) break;
      this.at++;
    }
    return found;
  }

  private isName(index: number): boolean {
    const kind = this.kindAt(index);
    return kind === 'word' || kind === 'identifier';
  }

  private kindAt(index: number): SqlTokenKind | undefined {
    return index < this.count ? this.kinds[index] : undefined;
  }

  private nameText(index: number): string {
    const start = this.starts[index];
    const end = this.ends[index];
    // `name`, or "name" under ANSI_QUOTES.
    return this.kinds[index] === 'word' ? this.sql.slice(start, end) : unquotedText(this.sql, start, end);
  }

  /** The text of a string token without its quotes (backslash escapes left as written: only keywords are sought). */
  stringText(index: number): string | undefined {
    if (this.kindAt(index) !== 'string') return undefined;
    return unquotedText(this.sql, this.starts[index], this.ends[index]);
  }
}

const TABLE = ['TABLE'];
const TABLE_OR_TABLES = ['TABLE', 'TABLES'];
const TEMPORARY = ['TEMPORARY'];
const COLUMN = ['COLUMN'];
const ALTER_OPTIONS = ['ONLINE', 'IGNORE'];
// HISTORY: MariaDB's DELETE HISTORY FROM t, which deletes a system-versioned table's past rows.
const DELETE_OPTIONS = ['LOW_PRIORITY', 'QUICK', 'IGNORE', 'HISTORY'];
const DATABASE_OR_SCHEMA = ['DATABASE', 'SCHEMA'];
// DISCARD TABLESPACE, or DISCARD PARTITION p TABLESPACE.
const TABLESPACE_OR_PARTITION = ['TABLESPACE', 'PARTITION'];

/** What may follow `ALTER TABLE ... DROP` without losing rows or columns: indexes, constraints, defaults. */
const KEEPS_DATA = [
  'INDEX',
  'KEY',
  'FOREIGN',
  'PRIMARY',
  'CONSTRAINT',
  'CHECK',
  'DEFAULT',
  'UNIQUE',
  'FULLTEXT',
  'SPATIAL',
  'SYSTEM',
  'PERIOD',
];

/** What may follow `ALTER TABLE ... ADD` or `... DROP` when the clause names no column. */
export const NOT_A_COLUMN = [...KEEPS_DATA, 'PARTITION'];

const reusedStatement = new StatementTokens();

/** The token after `ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name [WAIT n | NOWAIT]`: where its changes start. */
export function alterListStart(tokens: StatementTokens): { table: string; at: number } | undefined {
  tokens.at = 1;
  tokens.skipWords(ALTER_OPTIONS);
  if (!tokens.isWord(tokens.at, 'TABLE')) return undefined;
  tokens.at++;
  tokens.skipIfExists();
  const table = tokens.name();
  if (table === undefined) return undefined;
  if (tokens.isWord(tokens.at, 'WAIT')) tokens.at += 2;
  else if (tokens.isWord(tokens.at, 'NOWAIT')) tokens.at++;
  return { table, at: tokens.at };
}

/** Adds the changes of one statement whose first token is one of the changing verbs. */
function changesOfStatement(statement: StatementTokens, changes: TableChange[]): void {
  const verbOffset = statement.offset(0);
  const add = (what: TableChange['what'], tables: readonly string[]) => {
    if (tables.length > 0) changes.push({ what, offset: verbOffset, tables });
  };
  statement.at = 1;
  if (statement.isWord(0, 'DROP') && statement.isAnyWord(1, DATABASE_OR_SCHEMA)) {
    changes.push({ what: 'DROP DATABASE', offset: verbOffset, tables: [] });
  } else if (statement.isWord(0, 'CREATE')) {
    // MariaDB's CREATE OR REPLACE TABLE drops the table of that name first; a temporary one only hides it.
    if (!statement.isWord(1, 'OR') || !statement.isWord(2, 'REPLACE') || !statement.isWord(3, 'TABLE')) return;
    statement.at = 4;
    const table = statement.name();
    if (table !== undefined) add('CREATE OR REPLACE TABLE', [table]);
  } else if (statement.isWord(0, 'DROP')) {
    statement.skipWords(TEMPORARY);
    if (!statement.isAnyWord(statement.at, TABLE_OR_TABLES)) return;
    statement.at++;
    statement.skipIfExists();
    add('DROP TABLE', statement.names());
  } else if (statement.isWord(0, 'TRUNCATE')) {
    statement.skipWords(TABLE);
    const table = statement.name();
    if (table !== undefined) add('TRUNCATE', [table]);
  } else if (statement.isWord(0, 'RENAME')) {
    if (!statement.isAnyWord(statement.at, TABLE_OR_TABLES)) return;
    statement.at++;
    const found: string[] = [];
    for (;;) {
      statement.skipIfExists();
      const from = statement.name();
      if (from === undefined) break;
      found.push(from);
      while (statement.at < statement.length && !statement.isPunctuation(statement.at, ',')) statement.at++;
      if (statement.at >= statement.length) break;
      statement.at++;
    }
    add('RENAME', found);
  } else if (statement.isWord(0, 'ALTER')) {
    const table = alterListStart(statement)?.table;
    if (table === undefined) return;
    for (let at = statement.at; at < statement.length; at++) {
      const what = alterClauseChange(statement, at);
      if (what === undefined) continue;
      const column = what === 'DROP COLUMN' ? droppedColumn(statement, at + 1) : undefined;
      changes.push({ what, offset: statement.offset(at), tables: [table], ...(column !== undefined && { column }) });
    }
  } else if (statement.isWord(0, 'DELETE')) {
    statement.skipWords(DELETE_OPTIONS);
    if (statement.isWord(statement.at, 'FROM')) statement.at++;
    // Multi-table form: DELETE t1, t2.* FROM ... deletes from the tables named before FROM.
    add('DELETE', statement.names());
  }
}

/** The change an `ALTER TABLE` clause starting at token `at` makes, if it loses data or a name. */
function alterClauseChange(statement: StatementTokens, at: number): TableChange['what'] | undefined {
  if (statement.isWord(at, 'RENAME')) return 'RENAME';
  if (statement.isWord(at, 'DROP') && !statement.isAnyWord(at + 1, KEEPS_DATA)) {
    return statement.isWord(at + 1, 'PARTITION') ? 'DROP PARTITION' : 'DROP COLUMN';
  }
  if (statement.isWord(at, 'TRUNCATE') && statement.isWord(at + 1, 'PARTITION')) return 'TRUNCATE PARTITION';
  if (statement.isWord(at, 'DISCARD') && statement.isAnyWord(at + 1, TABLESPACE_OR_PARTITION))
    return 'DISCARD TABLESPACE';
  return undefined;
}

/** The column of `DROP [COLUMN] [IF EXISTS] c`, read from just after `DROP`. */
function droppedColumn(statement: StatementTokens, at: number): string | undefined {
  statement.at = at;
  statement.skipWords(COLUMN);
  statement.skipIfExists();
  return statement.name();
}

/** SQL modes that make `"..."` quote a name: ANSI_QUOTES itself and the combined modes that include it. */
const ANSI_QUOTES_MODES = /\b(?:ANSI_QUOTES|ANSI|ORACLE|MSSQL|DB2|POSTGRESQL|MAXDB)\b/i;
const NO_BACKSLASH_ESCAPES = /\bNO_BACKSLASH_ESCAPES\b/i;

/**
 * Follows `SET [SESSION] sql_mode = '...'` (or `@@sql_mode`, `@@session.sql_mode`) so the statements after it are
 * read as the server will read them. A value built from the current mode (`CONCAT(@@sql_mode, ',ANSI_QUOTES')`) adds
 * to it; a plain string replaces it. `SET GLOBAL` leaves this session alone.
 */
function applySqlMode(statement: StatementTokens, cursor: SqlTokenCursor): void {
  for (let at = 1; at < statement.length; at++) {
    if (statement.isWord(at, 'GLOBAL') || statement.isWord(at, '@@GLOBAL')) return;
    if (!statement.isWord(at, 'SQL_MODE') && !statement.isWord(at, '@@SQL_MODE')) continue;
    let value = '';
    let addsToCurrent = false;
    // The value runs to the next comma outside parentheses: CONCAT(@@sql_mode, ',ANSI') is one value.
    for (let depth = 0, next = at + 1; next < statement.length; next++, at = next) {
      if (statement.isPunctuation(next, '(')) depth++;
      else if (statement.isPunctuation(next, ')')) depth--;
      else if (depth === 0 && statement.isPunctuation(next, ',')) break;
      value += `${statement.stringText(next) ?? ''},`;
      if (statement.isWord(next, '@@SQL_MODE')) addsToCurrent = true;
    }
    cursor.ansiQuotes = ANSI_QUOTES_MODES.test(value) || (addsToCurrent && cursor.ansiQuotes);
    cursor.noBackslashEscapes = NO_BACKSLASH_ESCAPES.test(value) || (addsToCurrent && cursor.noBackslashEscapes);
  }
}
