/**
 * The shared vocabulary of the engine. Versions are `bigint` because golang-migrate parses them as unsigned 64-bit
 * integers and `unixNano` timestamps do not fit in a double.
 */

/** The version golang-migrate calls "nil": no row in the version table. */
export const NIL_VERSION = -1n;

export type Direction = 'up' | 'down';

/** A file name that matches golang-migrate's rule `^([0-9]+)_(.*)\.(down|up)\.(.*)$`. */
export interface MigrationFileName {
  readonly fileName: string;
  readonly version: bigint;
  readonly identifier: string;
  readonly direction: Direction;
  readonly extension: string;
}

/** A file of the migrations folder as the source adapter saw it; `content` is absent for a names-only scan. */
export interface SourceFile {
  readonly name: string;
  readonly content?: string;
  /** Why the entry cannot be read (a broken or looping link, a named pipe); golang-migrate lists it all the same. */
  readonly unreadable?: string;
}

/** What the version table says: `version` is NIL_VERSION when the table has no row. */
export interface DatabaseVersion {
  readonly version: bigint;
  readonly dirty: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

/** The session holding golang-migrate's lock, as far as the server lets this user see it. */
export interface LockHolder {
  readonly connectionId: number;
  readonly user?: string;
  readonly host?: string;
  readonly command?: string;
  readonly seconds?: number;
}
