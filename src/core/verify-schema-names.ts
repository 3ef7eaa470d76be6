import { lineOfOffset, lineStartOffsets, SqlTokenCursor, unquotedText } from './statements';

/**
 * Finds database names written into migration SQL (`ALTER TABLE fitness.users ...`, `USE fitness`). Such a file does
 * not follow the database it is run against: on a scratch database it would read or write the real one, so Verify
 * must not run it, and reports it as unverifiable instead of as a failure.
 */

export interface SchemaNameReference {
  /** The database name as written, without quotes. */
  readonly schema: string;
  /** The qualified name as written, e.g. `fitness.users`, or `USE fitness`. */
  readonly text: string;
  /** 1-based line in the file. */
  readonly line: number;
}

/** The server's own schemas: reading them (e.g. `information_schema.COLUMNS`) is the same on a scratch database. */
const SYSTEM_SCHEMAS = new Set(['information_schema', 'mysql', 'performance_schema', 'sys']);

/** Keywords after which `a.b` names a table (so `a` is a database), never a column. */
const TABLE_KEYWORDS = new Set([
  'TABLE',
  'INTO',
  'UPDATE',
  'REFERENCES',
  'VIEW',
  'TRIGGER',
  'PROCEDURE',
  'FUNCTION',
  'EXISTS',
  'JOIN',
  'CALL',
  'LIKE',
  'TO',
]);

/**
 * Every hard-coded database name in `sql`. `knownSchemas` are the names a qualifier is compared with wherever it
 * appears (the real database and the server's other databases); elsewhere a qualifier counts only where grammar says
 * it is a table's (after TABLE, INTO, FROM, JOIN, REFERENCES, ...), so `users.email` in a SELECT list is not one.
 */
export function findSchemaNames(sql: string, knownSchemas: readonly string[] = []): SchemaNameReference[] {
  const known = new Set(knownSchemas.map((name) => name.toLowerCase()));
  const tokens = tokenize(sql);
  const found: SchemaNameReference[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    const previous = tokens[index - 1];
    if (token.kind === 'word' && token.upper === 'USE' && startsStatement(previous)) {
      const target = tokens[index + 1];
      if (target?.kind === 'word' || target?.kind === 'quoted') {
        found.push({ schema: target.text, text: `USE ${target.text}`, line: token.line });
      }
      continue;
    }
    const database = databaseStatementTarget(tokens, index);
    if (database) {
      found.push({
        schema: database.text,
        text: `${previous.upper} ${token.upper} ${database.text}`,
        line: token.line,
      });
      continue;
    }
    if (!isName(token) || tokens[index + 1]?.kind !== 'dot' || !isName(tokens[index + 2])) continue;
    if (previous?.kind === 'dot') continue;
    const schema = token.text;
    if (SYSTEM_SCHEMAS.has(schema.toLowerCase())) continue;
    const threeParts = tokens[index + 3]?.kind === 'dot' && isName(tokens[index + 4]);
    if (known.has(schema.toLowerCase()) || threeParts || namesTable(tokens, index)) {
      const object = tokens[index + 2].text;
      found.push({ schema, text: `${schema}.${object}`, line: token.line });
    }
  }
  return found;
}

/** Whether the qualified name starting at `index` stands where the grammar expects a table name. */
function namesTable(tokens: readonly Token[], index: number): boolean {
  const previous = tokens[index - 1];
  if (previous?.kind !== 'word') return false;
  if (TABLE_KEYWORDS.has(previous.upper)) return true;
  // FROM also ends EXTRACT(YEAR FROM t.col) and TRIM(... FROM t.col): only a FROM outside parentheses takes a table.
  if (previous.upper === 'FROM') return previous.depth === 0;
  // ON names a table in CREATE INDEX i ON db.t (...) and CREATE TRIGGER ... ON db.t FOR EACH ROW, not in a join condition.
  if (previous.upper === 'ON') {
    const after = tokens[index + 3];
    return after?.kind === 'open' || (after?.kind === 'word' && after.upper === 'FOR');
  }
  return false;
}

/** The database a CREATE, DROP or ALTER DATABASE (or SCHEMA) names; none for `ALTER DATABASE CHARACTER SET ...`. */
function databaseStatementTarget(tokens: readonly Token[], index: number): Token | undefined {
  const token = tokens[index];
  const previous = tokens[index - 1];
  if (token.kind !== 'word' || (token.upper !== 'DATABASE' && token.upper !== 'SCHEMA')) return undefined;
  if (previous?.kind !== 'word' || !['CREATE', 'DROP', 'ALTER'].includes(previous.upper)) return undefined;
  let position = index + 1;
  while (tokens[position]?.kind === 'word' && ['IF', 'NOT', 'EXISTS'].includes(tokens[position].upper)) position += 1;
  const target = tokens[position];
  if (target?.kind === 'quoted') return target;
  if (target?.kind !== 'word' || DATABASE_OPTION_WORDS.has(target.upper)) return undefined;
  return target;
}

/** Words that start the options of `ALTER DATABASE` on the current database, where no name is given. */
const DATABASE_OPTION_WORDS = new Set(['CHARACTER', 'CHARSET', 'COLLATE', 'DEFAULT', 'COMMENT', 'UPGRADE']);

function startsStatement(previous: Token | undefined): boolean {
  return previous === undefined || previous.kind === 'semicolon';
}

function isName(token: Token | undefined): token is Token {
  return token?.kind === 'word' || token?.kind === 'quoted';
}

interface Token {
  readonly kind: 'word' | 'quoted' | 'dot' | 'open' | 'close' | 'semicolon' | 'other';
  readonly text: string;
  readonly upper: string;
  readonly line: number;
  /** Parenthesis depth where the token starts. */
  readonly depth: number;
}

/**
 * Names, dots, parentheses and semicolons of the code, from the shared MySQL token cursor: comments are skipped, a
 * string literal is one opaque token, a backquoted name is a name.
 */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const lineStarts = lineStartOffsets(sql);
  const cursor = new SqlTokenCursor(sql);
  let depth = 0;
  while (cursor.next()) {
    let text = sql.slice(cursor.start, cursor.end);
    let kind: Token['kind'];
    if (cursor.kind === 'identifier') {
      text = unquotedText(sql, cursor.start, cursor.end);
      kind = 'quoted';
    } else if (cursor.kind === 'word')
      kind = text.startsWith('@') ? 'other' : 'word'; // a variable is no name
    else if (cursor.kind === 'string') kind = 'other';
    else kind = PUNCTUATION[text] ?? 'other';
    if (kind === 'open') depth += 1;
    if (kind === 'close') depth = Math.max(0, depth - 1);
    tokens.push({ kind, text, upper: text.toUpperCase(), line: lineOfOffset(lineStarts, cursor.start), depth });
  }
  return tokens;
}

const PUNCTUATION: Readonly<Record<string, Token['kind']>> = {
  '.': 'dot',
  '(': 'open',
  ')': 'close',
  ';': 'semicolon',
};
