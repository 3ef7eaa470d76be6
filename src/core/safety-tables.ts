import { locateStatements, scanSql } from './statements';

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

/** Statements whose verb cannot change a table's data are not tokenized at all. */
const CHANGING_VERB = /^(?:DROP|TRUNCATE|RENAME|ALTER|DELETE)\b/i;
/** Every change holds one of these words (an `ALTER TABLE` one its DROP or RENAME): a script without any has none. */
const CHANGING_WORD = /DROP|TRUNCATE|RENAME|DELETE/i;

/** The data-destroying statements and clauses of a script, in order; comments and strings never count. */
export function tableChangesOfScript(sql: string): TableChange[] {
  const changes: TableChange[] = [];
  if (!CHANGING_WORD.test(sql)) return changes;
  for (const statement of locateStatements(sql)) {
    if (!CHANGING_VERB.test(statement.text)) continue;
    for (const change of changesOfStatement(tokenize(statement.text))) {
      changes.push({ ...change, offset: statement.start + change.offset });
    }
  }
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

interface Token {
  /** Upper-cased keyword or punctuation; the identifier itself for a quoted identifier. */
  readonly text: string;
  readonly kind: 'word' | 'identifier' | 'string' | 'punctuation';
  /** Offset in the statement. */
  readonly offset: number;
}

function tokenize(statement: string): Token[] {
  const tokens: Token[] = [];
  for (const segment of scanSql(statement)) {
    const text = statement.slice(segment.start, segment.end);
    if (segment.kind === 'comment') continue;
    if (segment.kind === 'quoted') {
      const quote = text[0];
      const body = text.slice(1, text.endsWith(quote) && text.length > 1 ? -1 : undefined);
      if (quote === '`') tokens.push({ kind: 'identifier', text: body.replaceAll('``', '`'), offset: segment.start });
      else tokens.push({ kind: 'string', text: body, offset: segment.start });
      continue;
    }
    for (const match of text.matchAll(/[\p{L}\p{N}_$@]+|[^\s\p{L}\p{N}_$@]/gu)) {
      const word = /^[\p{L}\p{N}_$@]/u.test(match[0]);
      tokens.push({ kind: word ? 'word' : 'punctuation', text: match[0], offset: segment.start + match.index });
    }
  }
  return tokens;
}

/** What may follow `ALTER TABLE ... DROP` without losing rows or columns: indexes, constraints, defaults. */
const KEEPS_DATA = new Set([
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
]);

const upper = (token: Token | undefined) => (token?.kind === 'word' ? token.text.toUpperCase() : undefined);

function changesOfStatement(tokens: readonly Token[]): TableChange[] {
  let i = 0;
  const keyword = () => upper(tokens[i]);
  const skip = (...words: string[]) => {
    while (keyword() !== undefined && words.includes(keyword()!)) i++;
  };
  /** Reads `name`, `` `name` `` or `db.name` at the cursor; undefined when there is no name there. */
  const name = (): string | undefined => {
    const first = tokens[i];
    if (first?.kind !== 'word' && first?.kind !== 'identifier') return undefined;
    i++;
    let result = first.text;
    while (tokens[i]?.text === '.' && (tokens[i + 1]?.kind === 'word' || tokens[i + 1]?.kind === 'identifier')) {
      result = tokens[i + 1].text;
      i += 2;
    }
    return result;
  };
  /** Reads `name [, name ...]`. */
  const names = (): string[] => {
    const found: string[] = [];
    for (let table = name(); table !== undefined; table = name()) {
      found.push(table);
      if (tokens[i]?.text === '.' && tokens[i + 1]?.text === '*') i += 2;
      if (tokens[i]?.text !== ',') break;
      i++;
    }
    return found;
  };

  const verb = keyword();
  i++;
  const change = (what: TableChange['what'], tables: readonly string[]): TableChange[] =>
    tables.length === 0 ? [] : [{ what, offset: tokens[0].offset, tables }];
  switch (verb) {
    case 'DROP': {
      skip('TEMPORARY');
      if (keyword() !== 'TABLE' && keyword() !== 'TABLES') return [];
      i++;
      if (keyword() === 'IF' && upper(tokens[i + 1]) === 'EXISTS') i += 2;
      return change('DROP TABLE', names());
    }
    case 'TRUNCATE': {
      skip('TABLE');
      const table = name();
      return change('TRUNCATE', table === undefined ? [] : [table]);
    }
    case 'RENAME': {
      if (keyword() !== 'TABLE' && keyword() !== 'TABLES') return [];
      i++;
      const found: string[] = [];
      for (;;) {
        if (keyword() === 'IF' && upper(tokens[i + 1]) === 'EXISTS') i += 2;
        const from = name();
        if (from === undefined) break;
        found.push(from);
        while (i < tokens.length && tokens[i].text !== ',') i++;
        if (i >= tokens.length) break;
        i++;
      }
      return change('RENAME', found);
    }
    case 'ALTER': {
      skip('ONLINE', 'IGNORE');
      if (keyword() !== 'TABLE') return [];
      i++;
      if (keyword() === 'IF' && upper(tokens[i + 1]) === 'EXISTS') i += 2;
      const table = name();
      if (table === undefined) return [];
      const clauses: TableChange[] = [];
      for (let at = i; at < tokens.length; at++) {
        const word = upper(tokens[at]);
        const next = upper(tokens[at + 1]) ?? '';
        const what =
          word === 'RENAME'
            ? 'RENAME'
            : word === 'DROP' && !KEEPS_DATA.has(next)
              ? next === 'PARTITION'
                ? 'DROP PARTITION'
                : 'DROP COLUMN'
              : undefined;
        if (what !== undefined) clauses.push({ what, offset: tokens[at].offset, tables: [table] });
      }
      return clauses;
    }
    case 'DELETE': {
      skip('LOW_PRIORITY', 'QUICK', 'IGNORE');
      if (keyword() === 'FROM') i++;
      // Multi-table form: DELETE t1, t2.* FROM ... deletes from the tables named before FROM.
      return change('DELETE', names());
    }
    default:
      return [];
  }
}
