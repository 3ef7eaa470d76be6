import type { Direction, MigrationFileName } from './model';

/**
 * golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$`. Go's `.` only excludes `\n` while JavaScript's also excludes
 * `\r` and the Unicode line separators, hence `[^\n]`.
 */
const MIGRATION_FILE_NAME = /^([0-9]+)_([^\n]*)\.(down|up)\.([^\n]*)$/;

/** The largest version golang-migrate accepts: it parses versions as unsigned 64-bit integers. */
export const MAX_VERSION = 2n ** 64n - 1n;

/** Parses a file name exactly as golang-migrate's source does; `undefined` when golang-migrate would ignore the file. */
export function parseMigrationFileName(fileName: string): MigrationFileName | undefined {
  const match = MIGRATION_FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const [, digits, identifier, direction, extension] = match as unknown as [string, string, string, Direction, string];
  const version = BigInt(digits);
  if (version > MAX_VERSION) return undefined;
  return { fileName, version, identifier, direction, extension };
}

/** Explains in one sentence why golang-migrate ignores a name; `undefined` when the name matches. */
export function explainIgnoredFileName(fileName: string): string | undefined {
  if (parseMigrationFileName(fileName)) return undefined;
  const digits = /^[0-9]+/.exec(fileName)?.[0];
  if (digits === undefined) return 'the name does not start with a version number';
  if (fileName[digits.length] !== '_') return `the version ${digits} is not followed by "_"`;
  if (BigInt(digits) > MAX_VERSION) return `the version ${digits} does not fit in an unsigned 64-bit integer`;
  if (fileName.includes('\n')) return 'the name contains a line break';
  const rest = fileName.slice(digits.length + 1);
  if (/\.(up|down)\./i.test(rest)) return 'the direction must be written in lower case: ".up." or ".down."';
  if (/\.(up|down)$/i.test(rest)) return 'the direction must be followed by "." and an extension, as in ".up.sql"';
  return 'the name has no ".up." or ".down." part';
}

/** Compares strings by Unicode code point, which is the byte order of their UTF-8 form that Go sorts file names by. */
export function compareFileNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
