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
 * MySQL's lexical rules as far as names need them: strings ('...' and "...", with backslash and doubled-quote
 * escapes) and comments (`-- `, `#`, `/* *\/`) are skipped, backquoted names are unquoted. The body of a versioned
 * comment `/*!40101 ... *\/` is executed by MySQL, so it is read as code.
 */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let depth = 0;
  let position = 0;
  const push = (kind: Token['kind'], text: string, at: number): void => {
    tokens.push({ kind, text, upper: text.toUpperCase(), line: lineAt(at), depth });
  };
  let countedUpTo = 0;
  const lineAt = (at: number): number => {
    for (; countedUpTo < at; countedUpTo += 1) if (sql[countedUpTo] === '\n') line += 1;
    return line;
  };
  while (position < sql.length) {
    const char = sql[position];
    const next = sql[position + 1];
    if (/\s/.test(char)) {
      position += 1;
    } else if (char === '#' || (char === '-' && next === '-' && /[\s]|^$/.test(sql[position + 2] ?? ''))) {
      const end = sql.indexOf('\n', position);
      position = end === -1 ? sql.length : end;
    } else if (char === '/' && next === '*' && sql[position + 2] === '!') {
      position += 3;
      while (/[0-9]/.test(sql[position] ?? '')) position += 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', position + 2);
      position = end === -1 ? sql.length : end + 2;
    } else if (char === '*' && next === '/') {
      position += 2;
    } else if (char === "'" || char === '"') {
      position = skipString(sql, position, char);
      push('other', char, position);
    } else if (char === '`') {
      const start = position;
      let text = '';
      position += 1;
      while (position < sql.length) {
        if (sql[position] === '`' && sql[position + 1] === '`') {
          text += '`';
          position += 2;
        } else if (sql[position] === '`') {
          position += 1;
          break;
        } else {
          text += sql[position];
          position += 1;
        }
      }
      push('quoted', text, start);
    } else if (/[\p{L}\p{N}_$]/u.test(char)) {
      const start = position;
      while (position < sql.length && /[\p{L}\p{N}_$]/u.test(sql[position])) position += 1;
      push('word', sql.slice(start, position), start);
    } else {
      if (char === '(') push('open', char, position);
      else if (char === ')') push('close', char, position);
      else if (char === '.') push('dot', char, position);
      else if (char === ';') push('semicolon', char, position);
      else push('other', char, position);
      if (char === '(') depth += 1;
      if (char === ')') depth = Math.max(0, depth - 1);
      position += 1;
    }
  }
  return tokens;
}

/** The position just after the string literal opened by `quote` at `start`. */
function skipString(sql: string, start: number, quote: string): number {
  let position = start + 1;
  while (position < sql.length) {
    const char = sql[position];
    if (char === '\\') position += 2;
    else if (char === quote && sql[position + 1] === quote) position += 2;
    else if (char === quote) return position + 1;
    else position += 1;
  }
  return position;
}
