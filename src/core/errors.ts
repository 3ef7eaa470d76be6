import type { Direction } from './model';

/**
 * Every failure Migration Lens reports. `message` starts with golang-migrate's own phrase for the same failure (so
 * users and scripts recognise it), then says what to do; `code` is stable for programs.
 */
export abstract class MigrationLensError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The base of an error whose message never varies: its code and its whole message, given once. */
function fixedMessageError<Code extends string>(code: Code, message: string) {
  return class extends MigrationLensError {
    readonly code = code;

    constructor() {
      super(message);
    }
  };
}

/** The database is dirty: a migration failed part way. golang-migrate refuses up, down and goto until `force`. */
export class DirtyDatabaseError extends MigrationLensError {
  readonly code = 'dirty-database';

  /** `previousVersion` is the version below the dirty one on disk (NIL_VERSION when none), used for guidance. */
  constructor(
    readonly version: bigint,
    readonly previousVersion?: bigint,
  ) {
    const orPrevious =
      previousVersion === undefined ? '' : `, or \`force ${previousVersion}\` if it matches version ${previousVersion}`;
    super(
      `Dirty database version ${version}. Fix and force version. The migration run to reach version ${version} ` +
        `failed part way: repair the schema by hand, then run \`force ${version}\` if the schema matches version ` +
        `${version}${orPrevious}, and run the command again.`,
    );
  }
}

/** Nothing to do: golang-migrate's "no change". A success for the exit status, raised only to stop a run early. */
export class NoChangeError extends fixedMessageError('no-change', 'no change') {}

/** Fewer migrations existed than the limit asked for; the ones that existed were applied. */
export class ShortLimitError extends MigrationLensError {
  readonly code = 'short-limit';

  constructor(
    readonly short: number,
    readonly direction: Direction,
  ) {
    super(
      `limit ${short} short: ${short} fewer ${direction} migration${short === 1 ? '' : 's'} existed than asked for; ` +
        'the available ones were run.',
    );
  }
}

/** A version (the database's or a goto target) has neither an up nor a down file on disk. */
export class NoMigrationForVersionError extends MigrationLensError {
  readonly code = 'no-migration-for-version';

  constructor(readonly version: bigint) {
    super(
      `no migration found for version ${version}: no file ${version}_*.up.* or ${version}_*.down.* exists. ` +
        'Restore the missing file, or `force` a version that exists on disk.',
    );
  }
}

/** The version table has no version (golang-migrate's "no migration", even when it holds -1 dirty). */
export class NilVersionError extends fixedMessageError(
  'nil-version',
  'no migration: the database has no version yet; run `up` to apply the first migration.',
) {}

/** A step needed a migration that does not exist (golang-migrate's `file does not exist`). */
export class FileDoesNotExistError extends MigrationLensError {
  readonly code = 'file-does-not-exist';

  /** `reason` says which migration was looked for, e.g. "there is no migration to apply". */
  constructor(readonly reason: string) {
    super(`file does not exist: ${reason}.`);
  }
}

/** A version golang-migrate's command line rejects: goto takes a version >= 0, force a version >= -1. */
export class InvalidVersionError extends MigrationLensError {
  readonly code = 'invalid-version';

  constructor(
    readonly version: bigint,
    readonly command: 'goto' | 'force',
  ) {
    super(
      command === 'goto'
        ? `can't read version argument V: goto needs a version >= 0, got ${version}; use \`down -all\` to go below ` +
            'the first migration.'
        : `argument V must be >= -1, got ${version}.`,
    );
  }
}

/** Another session holds golang-migrate's advisory lock (a terminal `migrate`, a deploy, another editor). */
export class LockNotAcquiredError extends MigrationLensError {
  readonly code = 'lock-not-acquired';

  constructor(
    readonly lockName: string,
    readonly databaseName: string,
    readonly waitedSeconds: number,
  ) {
    super(
      `can't acquire lock ${lockName} on database ${databaseName} after ${waitedSeconds} s: another migration is ` +
        `running. Find it with \`SELECT IS_USED_LOCK('${lockName}')\` (the connection id holding it), wait for it, ` +
        'then retry.',
    );
  }
}

/** Two files share a version and a direction: golang-migrate refuses the whole folder. */
export class DuplicateMigrationError extends MigrationLensError {
  readonly code = 'duplicate-migration';

  /** `fileName` is the second in sorted order, the one golang-migrate names; `firstFileName` the one it clashes with. */
  constructor(
    readonly fileName: string,
    readonly firstFileName?: string,
  ) {
    const clash = firstFileName === undefined ? '' : ` (same version and direction as ${firstFileName})`;
    super(`duplicate migration file: ${fileName}${clash}. Renumber or remove one of them.`);
  }
}

/** What is known about a migration whose SQL failed. */
export interface MigrationFailure {
  readonly version: bigint;
  readonly direction: Direction;
  readonly fileName?: string;
  /** The version the table was set to (dirty) before running; the one to `force` after repairing. */
  readonly targetVersion: bigint;
  /** 1-based index of the failing statement within the file, when the server said. */
  readonly statementIndex?: number;
  /** 1-based line of the failing statement's start in the file. */
  readonly line?: number;
  readonly serverCode?: number;
  readonly serverMessage?: string;
  readonly cause?: unknown;
}

/** Where in its file a statement failed, as far as known: "statement 2", "line 5", both, or neither. */
export function failurePlace(failure: { readonly statementIndex?: number; readonly line?: number }): string[] {
  const parts: string[] = [];
  if (failure.statementIndex !== undefined) parts.push(`statement ${failure.statementIndex}`);
  if (failure.line !== undefined) parts.push(`line ${failure.line}`);
  return parts;
}

/** The server's error as MySQL clients print it: "Error 1553: message", or the message when there is no code. */
export function serverErrorText(code: number | undefined, message: string): string {
  return code === undefined ? message : `Error ${code}: ${message}`;
}

/**
 * The server's errors for a statement its account has no privilege for (MySQL and MariaDB share the codes): on a
 * database, a table, a column, a routine, another session's thread, or the server (SUPER, SET USER, CREATE USER).
 */
const ACCESS_DENIED_CODES: ReadonlySet<number> = new Set([1044, 1045, 1095, 1142, 1143, 1227, 1370, 1410]);

export function isAccessDenied(serverCode: number | undefined): boolean {
  return serverCode !== undefined && ACCESS_DENIED_CODES.has(serverCode);
}

/** A migration's SQL failed; statements before the failing one stay committed and the database is dirty. */
export class MigrationFailedError extends MigrationLensError implements MigrationFailure {
  readonly code = 'migration-failed';
  readonly version: bigint;
  readonly direction: Direction;
  readonly fileName?: string;
  readonly targetVersion: bigint;
  readonly statementIndex?: number;
  readonly line?: number;
  readonly serverCode?: number;
  readonly serverMessage?: string;

  constructor(failure: MigrationFailure) {
    const where = [
      failure.fileName ?? `${failure.version}/${failure.direction === 'up' ? 'u' : 'd'}`,
      ...failurePlace(failure),
    ].join(', ');
    const server =
      failure.serverMessage === undefined ? '' : `: ${serverErrorText(failure.serverCode, failure.serverMessage)}`;
    super(
      `migration failed in ${where}${server}. The database is now dirty at version ${failure.targetVersion}; ` +
        'statements before the failing one stay applied. Fix the schema and the file, then `force` the version ' +
        'that matches the schema.',
      { cause: failure.cause },
    );
    this.version = failure.version;
    this.direction = failure.direction;
    this.fileName = failure.fileName;
    this.targetVersion = failure.targetVersion;
    this.statementIndex = failure.statementIndex;
    this.line = failure.line;
    this.serverCode = failure.serverCode;
    this.serverMessage = failure.serverMessage;
  }
}

/** `create -digits` was not positive. */
export class InvalidSequenceWidthError extends MigrationLensError {
  readonly code = 'invalid-sequence-width';

  constructor(readonly digits: number) {
    super(`Digits must be positive, got ${digits}.`);
  }
}

/** `create -seq` together with `-format`. */
export class IncompatibleSeqAndFormatError extends fixedMessageError(
  'incompatible-seq-and-format',
  'The seq and format options are mutually exclusive: use one of them.',
) {}

/** `create -format ""`. */
export class EmptyTimeFormatError extends fixedMessageError(
  'empty-time-format',
  'Time format may not be empty: give a Go layout such as 20060102150405, or unix, or unixNano.',
) {}

/** `create` without an extension. */
export class MissingExtensionError extends fixedMessageError(
  'missing-extension',
  '-ext flag must be specified, e.g. sql.',
) {}

/** The time zone given to `create` is not an IANA zone name. */
export class UnknownTimeZoneError extends MigrationLensError {
  readonly code = 'unknown-time-zone';

  constructor(readonly timeZone: string) {
    super(`unknown time zone ${timeZone}: use an IANA name such as UTC or Europe/Paris.`);
  }
}

/** Sequential `create` could not read a number from the last migration file name. */
export class MalformedMigrationFileNameError extends MigrationLensError {
  readonly code = 'malformed-migration-file-name';

  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`Malformed migration filename: ${fileName} (${reason}). Rename it to start with its number and "_".`);
  }
}

/** The next sequence number needs more digits than `-digits` allows. */
export class SequenceTooLargeError extends MigrationLensError {
  readonly code = 'sequence-too-large';

  constructor(
    readonly nextSequence: string,
    readonly digits: number,
  ) {
    super(
      `Next sequence number ${nextSequence} too large. At most ${digits} digits are allowed; pass a larger -digits.`,
    );
  }
}

/** A file with the version `create` chose already exists. */
export class DuplicateMigrationVersionError extends MigrationLensError {
  readonly code = 'duplicate-migration-version';

  constructor(readonly version: string) {
    super(`duplicate migration version: ${version}. Wait a second or pick another number.`);
  }
}
