import type { Direction, MigrationFileName } from './model';

/** The largest version golang-migrate accepts: it parses versions as unsigned 64-bit integers. */
export const MAX_VERSION = 2n ** 64n - 1n;

/** Versions of at most this many digits fit in a double exactly, so they need no BigInt parse. */
const SAFE_DIGITS = 15;

/**
 * Parses a file name exactly as golang-migrate's source does, by its rule `^([0-9]+)_(.*)\.(down|up)\.(.*)$`;
 * `undefined` when golang-migrate would ignore the file. Written out by hand because a folder scan parses every name:
 * the greedy `(.*)` puts the direction at the last ".up." or ".down.", and Go's `.` matches anything but "\n".
 */
export function parseMigrationFileName(fileName: string): MigrationFileName | undefined {
  let digitsEnd = 0;
  let value = 0;
  let code = fileName.charCodeAt(0);
  while (code >= 48 && code <= 57) {
    value = value * 10 + code - 48;
    code = fileName.charCodeAt(++digitsEnd);
  }
  if (digitsEnd === 0 || code !== 95 /* _ */) return undefined;
  const up = fileName.lastIndexOf('.up.');
  const down = fileName.lastIndexOf('.down.');
  const directionStart = up > down ? up : down;
  if (directionStart <= digitsEnd || fileName.includes('\n')) return undefined;
  const version = digitsEnd <= SAFE_DIGITS ? BigInt(value) : BigInt(fileName.slice(0, digitsEnd));
  if (version > MAX_VERSION) return undefined;
  const direction: Direction = up > down ? 'up' : 'down';
  return {
    fileName,
    version,
    identifier: fileName.slice(digitsEnd + 1, directionStart),
    direction,
    extension: fileName.slice(directionStart + direction.length + 2),
  };
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
