import { createHash } from 'node:crypto';
import { scanSql } from './statements';

/** The two fingerprints the ledger keeps of an up file when it runs. */
export interface MigrationChecksums {
  /** SHA-256 of the file's exact text (UTF-8). */
  readonly raw: string;
  /** SHA-256 of the text without comments and without the blanks that do not separate two words. */
  readonly normalized: string;
}

export function checksumsOf(sql: string): MigrationChecksums {
  return { raw: rawChecksum(sql), normalized: normalizedChecksum(sql) };
}

/** `checksumsOf(sql).raw` alone: cheap next to the normalised one, which scans the text. */
export function rawChecksum(sql: string): string {
  return sha256(sql);
}

/** `checksumsOf(sql).normalized` alone. */
export function normalizedChecksum(sql: string): string {
  return sha256(normalizeSql(sql));
}

/**
 * The script reduced to what the server executes: comments and blanks dropped, one space kept only where two tokens would
 * otherwise fuse (`DROP TABLE`, `- -1`, `'a' 'b'`), quoted strings and identifiers verbatim. Two files with
 * the same normal form differ only in layout and comments.
 */
export function normalizeSql(sql: string): string {
  let result = '';
  let pendingBlank = false;
  const append = (piece: string) => {
    if (pendingBlank && result !== '' && wouldFuse(result[result.length - 1], piece[0])) result += ' ';
    result += piece;
    pendingBlank = false;
  };
  for (const segment of scanSql(sql)) {
    const text = sql.slice(segment.start, segment.end);
    if (segment.kind === 'comment') pendingBlank = true;
    else if (segment.kind === 'quoted') append(text);
    else
      for (const piece of text.split(/([ \t\n\r\v\f]+)/)) {
        if (piece === '') continue;
        if (/^[ \t\n\r\v\f]+$/.test(piece)) pendingBlank = true;
        else append(piece);
      }
  }
  return result;
}

/** Two characters that would read as one token if the blank between them went: `<=`, `--`, `/*`, `'a''b'`, ... */
const FUSING_PAIRS = new Set(['<=', '>=', '<>', '!=', '=>', '<<', '>>', '&&', '||', ':=', '->', '--', '/*', '*/']);

function wouldFuse(before: string, after: string): boolean {
  const word = /[\p{L}\p{N}_$@]/u;
  if (word.test(before) && word.test(after)) return true;
  if (before === after && (before === "'" || before === '"' || before === '`')) return true;
  return FUSING_PAIRS.has(before + after);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
