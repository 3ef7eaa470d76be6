/**
 * MySQL script lexing, only to point at places in a file: golang-migrate (and Migration Lens) always send the file
 * whole as one multi-statement query, so nothing here decides what runs.
 */

/** One statement of a script as the server splits a multi-statement query. */
export interface LocatedStatement {
  /** 1-based position among the statements that hold code. */
  readonly index: number;
  /** Offset of its first code character. */
  readonly start: number;
  /** Offset just past its last code character (before the `;`, if any). */
  readonly end: number;
  /** 1-based line of its first code character. */
  readonly line: number;
  readonly text: string;
}

/** What a character of a script is: code, inside a quoted string or identifier, or inside a comment. */
export type SqlSegmentKind = 'code' | 'quoted' | 'comment';

/** A run of characters of one class; `[start, end)`. */
export interface SqlSegment {
  readonly kind: SqlSegmentKind;
  readonly start: number;
  readonly end: number;
}

/** The characters MySQL skips as blanks between tokens. */
function isMysqlSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\v' || char === '\f';
}

/** What must follow `--` for MySQL to read a comment: a space or control character, or the end of the text. */
function isSpaceOrControl(char: string | undefined): boolean {
  if (char === undefined) return true;
  const code = char.charCodeAt(0);
  return code <= 0x20 || code === 0x7f;
}

/**
 * Splits a script into code, quoted and comment runs the way MySQL's lexer does: `'...'` and `"..."` with backslash
 * escapes and doubled quotes, `` `...` `` with doubled backticks, `-- ` (dash dash then a space or control character),
 * `#` and `/* *\/` comments. Executable comments (`/*! ... *\/`, `/*M! ... *\/`) are code: the server runs them.
 */
export function scanSql(sql: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let codeStart = 0;
  const add = (kind: 'quoted' | 'comment', start: number, end: number) => {
    if (start > codeStart) segments.push({ kind: 'code', start: codeStart, end: start });
    segments.push({ kind, start, end });
    codeStart = end;
  };
  let inExecutableComment = false;
  const special = /['"`#\-/*]/g;
  let i = 0;
  while (i < sql.length) {
    special.lastIndex = i;
    if (!special.exec(sql)) break;
    i = special.lastIndex - 1;
    const char = sql[i];
    if (char === "'" || char === '"' || char === '`') {
      const end = endOfQuoted(sql, i, char);
      add('quoted', i, end);
      i = end;
      continue;
    }
    const mark: CommentMark | undefined = commentAt(sql, i, inExecutableComment);
    if (mark?.kind === 'comment') add('comment', i, mark.end);
    // An executable comment's markers are code: the server runs what is between them.
    else if (mark !== undefined) inExecutableComment = mark.kind === 'executable-open';
    i = mark?.end ?? i + 1;
  }
  if (sql.length > codeStart) segments.push({ kind: 'code', start: codeStart, end: sql.length });
  return segments;
}

/** A comment, or a marker of an executable comment, that starts at an offset; `end` is the offset just past it. */
interface CommentMark {
  readonly kind: 'comment' | 'executable-open' | 'executable-close';
  readonly end: number;
}

/**
 * The comment rules of MySQL's lexer, for every reader of scripts here: `#` and `-- ` (dash dash then a space or
 * control character) run to the end of the line, `/* *\/` to its close; `/*!` and `/*M!` open an executable comment
 * (its mark ends after `/*`) and, inside one, `*\/` closes it. Undefined when no comment or mark starts at `i`.
 */
function commentAt(sql: string, i: number, inExecutableComment: boolean): CommentMark | undefined {
  const char = sql[i];
  const next = sql[i + 1];
  if (char === '#' || (char === '-' && next === '-' && isSpaceOrControl(sql[i + 2]))) {
    const newline = sql.indexOf('\n', i);
    return { kind: 'comment', end: newline < 0 ? sql.length : newline };
  }
  if (char === '/' && next === '*') {
    const executable = sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!');
    if (executable && !inExecutableComment) return { kind: 'executable-open', end: i + 2 };
    const close = sql.indexOf('*/', i + 2);
    return { kind: 'comment', end: close < 0 ? sql.length : close + 2 };
  }
  if (char === '*' && next === '/' && inExecutableComment) return { kind: 'executable-close', end: i + 2 };
  return undefined;
}

function endOfQuoted(sql: string, open: number, quote: string, backslashEscapes = true): number {
  let i = open + 1;
  while (i < sql.length) {
    const char = sql[i];
    if (char === '\\' && quote !== '`' && backslashEscapes) i += 2;
    else if (char === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return sql.length;
}

/** The script with comments and quoted strings or identifiers replaced by spaces (line breaks kept). */
export function codeOnly(sql: string): string {
  let result = '';
  for (const segment of scanSql(sql)) {
    const text = sql.slice(segment.start, segment.end);
    result += segment.kind === 'code' ? text : text.replace(/[^\n]/g, ' ');
  }
  return result;
}

export type SqlTokenKind = 'word' | 'identifier' | 'string' | 'punctuation';

/** The text inside the quoted token `[start, end)` of `sql` (the closing quote may be missing); `''` reads as `'`. */
export function unquotedText(sql: string, start: number, end: number): string {
  const quote = sql[start];
  const closed = end - start > 1 && sql[end - 1] === quote;
  return sql.slice(start + 1, closed ? end - 1 : end).replaceAll(quote + quote, quote);
}

/** What can start a string, a quoted name or a comment, or end a statement: all `skipStatement` stops at. */
const STATEMENT_SPECIAL = /['"`#\-/*;]/g;

/**
 * Walks the tokens of a script one at a time as MySQL's lexer splits them, allocating nothing per token: the current
 * token is `kind` over `[start, end)`. Words are runs of the characters of MySQL's unquoted names (and `@`); a
 * backquoted name is an identifier and `'...'` or `"..."` a string (quotes included in the range); any other
 * character is punctuation, `;` included. Comments and blanks are skipped, and so are the markers of an executable
 * comment (`/*!50001 ... *\/`, `/*M! ... *\/`), since the server runs what is inside.
 */
export class SqlTokenCursor {
  kind: SqlTokenKind = 'punctuation';
  start = 0;
  end = 0;
  /** The session's SQL mode has ANSI_QUOTES (as ANSI, ORACLE and others imply): `"..."` quotes a name. */
  ansiQuotes = false;
  /** The session's SQL mode has NO_BACKSLASH_ESCAPES: a backslash in a string is a plain character. */
  noBackslashEscapes = false;
  private position = 0;
  private inExecutableComment = false;

  constructor(private readonly sql: string) {}

  /** Moves to the next token; false once the script has no more. */
  next(): boolean {
    const sql = this.sql;
    this.skipBlanksAndComments();
    const start = this.position;
    if (start >= sql.length) return false;
    const code = sql.charCodeAt(start);
    let end: number;
    if (code === 0x27 || code === 0x22 || code === 0x60) {
      const quotesName = code === 0x60 || (code === 0x22 && this.ansiQuotes);
      end = endOfQuoted(sql, start, sql[start], !quotesName && !this.noBackslashEscapes);
      this.kind = quotesName ? 'identifier' : 'string';
    } else if (isWordUnit(sql, start)) {
      end = start + 1;
      while (end < sql.length && isWordUnit(sql, end)) end++;
      this.kind = 'word';
    } else {
      end = start + (code >= 0xd800 && code <= 0xdbff && start + 1 < sql.length ? 2 : 1);
      this.kind = 'punctuation';
    }
    this.start = start;
    this.end = end;
    this.position = end;
    return true;
  }

  /**
   * Moves to just before the `;` that ends the current statement (or to the end of the script) without reading the
   * tokens between, for a reader that needs no more of the statement: strings, quoted names and comments are crossed
   * as `next` crosses them, so a `;` inside one does not count.
   */
  skipStatement(): void {
    const sql = this.sql;
    const special = STATEMENT_SPECIAL;
    let i = this.position;
    while (i < sql.length) {
      special.lastIndex = i;
      if (!special.exec(sql)) return void (this.position = sql.length);
      i = special.lastIndex - 1;
      const char = sql[i];
      if (char === ';') break;
      if (char === "'" || char === '"' || char === '`') {
        const quotesName = char === '`' || (char === '"' && this.ansiQuotes);
        i = endOfQuoted(sql, i, char, !quotesName && !this.noBackslashEscapes);
        continue;
      }
      const mark = commentAt(sql, i, this.inExecutableComment);
      if (mark?.kind === 'executable-open') this.inExecutableComment = true;
      else if (mark?.kind === 'executable-close') this.inExecutableComment = false;
      i = mark?.end ?? i + 1;
    }
    this.position = i;
  }

  private skipBlanksAndComments(): void {
    const sql = this.sql;
    let i = this.position;
    while (i < sql.length) {
      if (isMysqlSpace(sql[i])) {
        i++;
        continue;
      }
      const mark = commentAt(sql, i, this.inExecutableComment);
      if (mark === undefined) break;
      i = mark.end;
      if (mark.kind === 'executable-open') {
        this.inExecutableComment = true;
        // The `!` (or `M!`) and the version that follow are part of the marker, not code.
        i = sql.indexOf('!', i) + 1;
        while (i < sql.length && sql.charCodeAt(i) >= 0x30 && sql.charCodeAt(i) <= 0x39) i++;
      } else if (mark.kind === 'executable-close') this.inExecutableComment = false;
    }
    this.position = i;
  }
}

/**
 * Whether the UTF-16 unit at `offset` belongs to a word. MySQL's unquoted names take ASCII letters, digits, `_` and `$`
 * and every character from U+0080 to U+FFFF; `@` is added so that a variable such as `@total` is one word.
 * Characters beyond U+FFFF (surrogate pairs) are not name characters.
 */
function isWordUnit(sql: string, offset: number): boolean {
  const code = sql.charCodeAt(offset);
  if (code >= 0x80) return code < 0xd800 || code > 0xdfff;
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x24 ||
    code === 0x40
  );
}

/** Lists the statements of a script with where each starts; runs of comments or blanks between `;` are not counted. */
export function locateStatements(sql: string): LocatedStatement[] {
  const statements: LocatedStatement[] = [];
  const lineStarts = lineStartOffsets(sql);
  let start = -1;
  let end = -1;
  const flush = () => {
    if (start < 0) return;
    statements.push({
      index: statements.length + 1,
      start,
      end,
      line: lineOfOffset(lineStarts, start),
      text: sql.slice(start, end),
    });
    start = -1;
  };
  const extend = (from: number, to: number) => {
    if (start < 0) start = from;
    end = to;
  };
  for (const segment of scanSql(sql)) {
    if (segment.kind === 'quoted') extend(segment.start, segment.end);
    if (segment.kind !== 'code') continue;
    for (let i = segment.start; i < segment.end; i++) {
      const char = sql[i];
      if (char === ';') flush();
      else if (!isMysqlSpace(char)) extend(i, i + 1);
    }
  }
  flush();
  return statements;
}

/** The `n`th (1-based) statement of a script, as `locateStatements` counts them. */
export function statementAt(sql: string, n: number): LocatedStatement | undefined {
  return locateStatements(sql)[n - 1];
}

/** True when the script is empty or only blanks: MySQL rejects it with 1065 "Query was empty". */
export function isBlank(sql: string): boolean {
  for (let i = 0; i < sql.length; i++) if (!isMysqlSpace(sql[i])) return false;
  return true;
}

/** True when the script holds no code at all, only comments and blanks (MariaDB runs it without error). */
export function hasOnlyCommentsOrWhitespace(sql: string): boolean {
  return locateStatements(sql).length === 0;
}

/** Offsets where each line starts; line n (1-based) starts at `result[n - 1]`. */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset, given `lineStartOffsets` of the same text. */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
