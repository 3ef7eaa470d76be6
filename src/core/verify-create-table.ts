import type {
  CheckSnapshot,
  ColumnSnapshot,
  ForeignKeySnapshot,
  IndexPart,
  IndexSnapshot,
  TableSnapshot,
} from './verify-snapshot';

/**
 * Reads a table's snapshot from the server's `SHOW CREATE TABLE` text, which MySQL and MariaDB print one definition
 * per line: columns first, then keys and constraints, then the table options. One `SHOW CREATE TABLE` per table costs
 * a fraction of the information_schema queries that give the same facts, and Verify takes three snapshots per version.
 * The AUTO_INCREMENT counter is left out: it follows the data, not the schema.
 */
export function parseCreateTable(text: string): TableSnapshot {
  const lines = text.split('\n');
  const name = unquote(/^CREATE TABLE (`(?:[^`]|``)*`)/.exec(lines[0] ?? '')?.[1] ?? '');
  const columns = new Map<string, ColumnSnapshot>();
  const indexes = new Map<string, IndexSnapshot>();
  const foreignKeys = new Map<string, ForeignKeySnapshot>();
  const checks = new Map<string, CheckSnapshot>();
  let options = '';
  for (const raw of lines.slice(1)) {
    const line = raw.trim().replace(/,$/, '');
    if (line.startsWith(')')) {
      options = line.slice(1).trim();
    } else if (line.startsWith('`')) {
      const column = parseColumn(line, columns.size + 1, checks);
      columns.set(column.name, column);
    } else if (line.startsWith('CONSTRAINT ')) {
      parseConstraint(line, name, foreignKeys, checks);
    } else if (/^(PRIMARY |UNIQUE |FULLTEXT |SPATIAL |)KEY /.test(line)) {
      const index = parseIndex(line);
      indexes.set(index.name, index);
    }
  }
  const option = (key: string) =>
    tokens(options)
      .find((token) => token.startsWith(`${key}=`))
      ?.slice(key.length + 1);
  return {
    name,
    engine: option('ENGINE') ?? '',
    collation: option('COLLATE') ?? option('CHARSET') ?? '',
    comment: unquoteString(option('COMMENT') ?? "''"),
    columns,
    indexes,
    foreignKeys,
    checks,
  };
}

function parseColumn(line: string, position: number, checks: Map<string, CheckSnapshot>): ColumnSnapshot {
  const words = tokens(line);
  const name = unquote(words[0] ?? '');
  let index = 1;
  const type = [words[index++] ?? ''];
  while (['unsigned', 'signed', 'zerofill'].includes(words[index] ?? '')) type.push(words[index++]);
  const column = {
    name,
    position,
    type: type.join(' '),
    nullable: true,
    defaultValue: undefined as string | undefined,
    characterSet: undefined as string | undefined,
    collation: undefined as string | undefined,
    extra: [] as string[],
    generationExpression: undefined as string | undefined,
    comment: '',
  };
  while (index < words.length) {
    const word = words[index++];
    const upper = word.toUpperCase();
    const next = () => words[index++] ?? '';
    if (upper === 'NOT' && words[index]?.toUpperCase() === 'NULL') {
      index++;
      column.nullable = false;
    } else if (upper === 'NULL') {
      column.nullable = true;
    } else if (upper === 'CHARACTER' && words[index]?.toUpperCase() === 'SET') {
      index++;
      column.characterSet = next();
    } else if (upper === 'COLLATE') {
      column.collation = next();
    } else if (upper === 'DEFAULT') {
      column.defaultValue = next();
    } else if (upper === 'COMMENT') {
      column.comment = unquoteString(next());
    } else if (upper === 'ON' && words[index]?.toUpperCase() === 'UPDATE') {
      index++;
      column.extra.push(`on update ${next()}`);
    } else if (upper === 'GENERATED' || upper === 'AS') {
      if (upper === 'GENERATED') index += 2; // ALWAYS AS
      column.generationExpression = next();
      column.extra.push(`${(words[index++] ?? 'VIRTUAL').toUpperCase()} GENERATED`);
    } else if (upper === 'CHECK') {
      checks.set(name, { name, clause: stripParentheses(next()) });
    } else {
      column.extra.push(word.toLowerCase());
    }
  }
  return { ...column, extra: column.extra.join(' ') };
}

function parseIndex(line: string): IndexSnapshot {
  const words = tokens(line);
  const primary = words[0] === 'PRIMARY';
  const kindWord = words[0] === 'FULLTEXT' || words[0] === 'SPATIAL' ? words[0] : undefined;
  const keyAt = words.indexOf('KEY');
  const name = primary ? 'PRIMARY' : unquote(words[keyAt + 1] ?? '');
  const partsText = words[primary ? keyAt + 1 : keyAt + 2] ?? '()';
  const using = words.indexOf('USING');
  return {
    name,
    unique: primary || words[0] === 'UNIQUE',
    kind: kindWord ?? (using >= 0 ? (words[using + 1] ?? 'BTREE') : 'BTREE'),
    parts: splitList(stripParentheses(partsText)).map(indexPart),
  };
}

/** `` `col`(10) DESC `` as a part. */
function indexPart(text: string): IndexPart {
  const match = /^(`(?:[^`]|``)*`)(?:\((\d+)\))?(\s+DESC)?/.exec(text.trim());
  if (!match) return { column: text.trim(), prefixLength: undefined, descending: false };
  return {
    column: unquote(match[1]),
    prefixLength: match[2] === undefined ? undefined : Number(match[2]),
    descending: match[3] !== undefined,
  };
}

function parseConstraint(
  line: string,
  table: string,
  foreignKeys: Map<string, ForeignKeySnapshot>,
  checks: Map<string, CheckSnapshot>,
): void {
  const words = tokens(line);
  const name = unquote(words[1] ?? '');
  if (words[2] === 'CHECK') {
    checks.set(name, { name, clause: stripParentheses(words[3] ?? '') });
    return;
  }
  if (words[2] !== 'FOREIGN') return;
  const referencesAt = words.indexOf('REFERENCES');
  const rule = (event: string) => {
    const at = words.findIndex((word, position) => word === 'ON' && words[position + 1] === event);
    if (at < 0) return 'RESTRICT';
    const action = words[at + 2] ?? '';
    return action === 'SET' || action === 'NO' ? `${action} ${words[at + 3] ?? ''}` : action;
  };
  foreignKeys.set(name, {
    name,
    table,
    columns: splitList(stripParentheses(words[4] ?? '')).map(unquote),
    referencedTable: (words[referencesAt + 1] ?? '').split('.').map(unquote).join('.'),
    referencedColumns: splitList(stripParentheses(words[referencesAt + 2] ?? '')).map(unquote),
    onDelete: rule('DELETE'),
    onUpdate: rule('UPDATE'),
  });
}

/**
 * Splits a definition line at spaces outside quotes ('...', `...`) and parentheses, so `enum('a','b c')`,
 * `'it''s'` and `(`a` + 1)` each stay one token.
 */
function tokens(line: string): string[] {
  const found: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      current += char;
      if (char === '\\' && quote === "'") current += line[++index] ?? '';
      else if (char === quote && line[index + 1] === quote) current += line[++index];
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '`' || char === '"') {
      quote = char;
      current += char;
    } else if (char === '(' || char === ')') {
      depth += char === '(' ? 1 : -1;
      current += char;
    } else if (char === ' ' && depth === 0) {
      if (current !== '') found.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') found.push(current);
  return found;
}

/** Splits `a,b(1),c` at commas outside quotes and parentheses. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '`') {
      quote = char;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    } else if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current !== '') parts.push(current);
  return parts;
}

function stripParentheses(text: string): string {
  return text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
}

function unquote(name: string): string {
  return name.startsWith('`') && name.endsWith('`') ? name.slice(1, -1).replaceAll('``', '`') : name;
}

function unquoteString(text: string): string {
  return text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1).replaceAll("''", "'") : text;
}
