import { SqlTokenCursor, type SqlTokenKind } from './statements';

/**
 * A statement, or one clause of an `ALTER TABLE`, that can destroy a table's data or take its name away. The one rule
 * both the backup before going down and lint's destructive-down check read.
 */
export interface TableChange {
  readonly what: 'DROP TABLE' | 'DROP COLUMN' | 'DROP PARTITION' | 'TRUNCATE' | 'DELETE' | 'RENAME';
  /** Offset of the statement's verb, or of the clause's `DROP` / `RENAME`, in the script. */
  readonly offset: number;
  /** Table names without their database part. */
  readonly tables: readonly string[];
}

/** Whether the change loses rows or columns; a rename keeps them under another name. */
export const losesData = (change: TableChange): boolean => change.what !== 'RENAME';

/** Every change holds one of these words (an `ALTER TABLE` one its DROP or RENAME): a script without any has none. */
const CHANGING_WORD = /DROP|TRUNCATE|RENAME|DELETE/i;
/** Statements starting with any other word cannot change a table's data; their tokens are not even kept. */
const CHANGING_VERBS = ['DROP', 'TRUNCATE', 'RENAME', 'ALTER', 'DELETE'];

/**
 * The data-destroying statements and clauses of a script, in order; comments and strings never count. Lint runs this
 * on every down file of a folder, thousands at a time, so it allocates little besides what it returns: a statement's
 * tokens are offsets in one reused list rather than an object each.
 */
export function tableChangesOfScript(sql: string): TableChange[] {
  const changes: TableChange[] = [];
  if (!CHANGING_WORD.test(sql)) return changes;
  const cursor = new SqlTokenCursor(sql);
  const statement = reusedStatement.startScript(sql);
  let changing = true;
  const endStatement = () => {
    if (changing && statement.length > 0) changesOfStatement(statement, changes);
    statement.clear();
    changing = true;
  };
  while (cursor.next()) {
    if (cursor.kind === 'punctuation' && sql.charCodeAt(cursor.start) === 0x3b) endStatement();
    else if (changing) {
      statement.push(cursor.kind, cursor.start, cursor.end);
      if (statement.length === 1) changing = statement.isAnyWord(0, CHANGING_VERBS);
    }
  }
  endStatement();
  return changes;
}

/**
 * The tables whose data a script can destroy: `DROP TABLE`, `ALTER TABLE ... DROP` and `... RENAME`, `RENAME TABLE`,
 * `TRUNCATE` and `DELETE`. These are the tables worth backing up before a down file runs. Names qualified with a
 * database keep only the table part; order is first appearance, without repeats.
 */
export function tablesTouchedByScript(sql: string): string[] {
  const tables = new Set<string>();
  for (const change of tableChangesOfScript(sql)) for (const table of change.tables) tables.add(table);
  return [...tables];
}

/** Tables touched by any of the scripts, e.g. the down files a run will execute. */
export function tablesTouchedByScripts(scripts: Iterable<string>): string[] {
  const tables = new Set<string>();
  for (const script of scripts) for (const table of tablesTouchedByScript(script)) tables.add(table);
  return [...tables];
}

/**
 * One statement's tokens as parallel arrays, with a cursor that the statement's grammar reads them by. One instance
 * serves every call (the work is synchronous, so no two scripts ever share it at once), and clearing it keeps the
 * arrays' room: emptying an array gives its storage back, and the next statement would allocate it again.
 */
class StatementTokens {
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
    if (this.kinds[index] === 'word') return this.sql.slice(start, end);
    const closed = end - start > 1 && this.sql[end - 1] === '`';
    return this.sql.slice(start + 1, closed ? end - 1 : end).replaceAll('``', '`');
  }
}

const TABLE = ['TABLE'];
const TABLE_OR_TABLES = ['TABLE', 'TABLES'];
const TEMPORARY = ['TEMPORARY'];
const ALTER_OPTIONS = ['ONLINE', 'IGNORE'];
const DELETE_OPTIONS = ['LOW_PRIORITY', 'QUICK', 'IGNORE'];

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

const reusedStatement = new StatementTokens();

/** Adds the changes of one statement whose first token is one of the changing verbs. */
function changesOfStatement(statement: StatementTokens, changes: TableChange[]): void {
  const verbOffset = statement.offset(0);
  const add = (what: TableChange['what'], tables: readonly string[]) => {
    if (tables.length > 0) changes.push({ what, offset: verbOffset, tables });
  };
  statement.at = 1;
  if (statement.isWord(0, 'DROP')) {
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
    statement.skipWords(ALTER_OPTIONS);
    if (!statement.isWord(statement.at, 'TABLE')) return;
    statement.at++;
    statement.skipIfExists();
    const table = statement.name();
    if (table === undefined) return;
    for (let at = statement.at; at < statement.length; at++) {
      const what = statement.isWord(at, 'RENAME')
        ? 'RENAME'
        : statement.isWord(at, 'DROP') && !statement.isAnyWord(at + 1, KEEPS_DATA)
          ? statement.isWord(at + 1, 'PARTITION')
            ? 'DROP PARTITION'
            : 'DROP COLUMN'
          : undefined;
      if (what !== undefined) changes.push({ what, offset: statement.offset(at), tables: [table] });
    }
  } else if (statement.isWord(0, 'DELETE')) {
    statement.skipWords(DELETE_OPTIONS);
    if (statement.isWord(statement.at, 'FROM')) statement.at++;
    // Multi-table form: DELETE t1, t2.* FROM ... deletes from the tables named before FROM.
    add('DELETE', statement.names());
  }
}
