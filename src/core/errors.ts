import type { Direction, LockHolder } from './model';

/**
 * Every failure Migration Lens reports. `message` starts with golang-migrate's own phrase for the same failure (so
 * users and scripts recognise it), then says what to do; `code` is stable for programs.
 */
/** What an error says, for a message: its own message, or whatever was thrown as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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

/**
 * The two versions a dirty database can honestly be forced to, which depend on the direction of the run that failed:
 * after a failed up of V, V (its changes were completed by hand) or the version below it (they were undone); after a
 * failed down of D, the version below D (the roll back was completed) or D (its down took no effect).
 */
export interface ForceChoices {
  readonly completed: bigint;
  readonly undone: bigint;
  /** The version whose down file failed, when the failed run went down. */
  readonly failedDown?: bigint;
}

/** A version as the `force` argument a shell takes: `-1` must follow `--`, or Go's flag parser reads it as a flag. */
export function forceArgument(version: bigint): string {
  return version < 0n ? `-- ${version}` : String(version);
}

/** "run `force 3` if ..., or `force 2` if ...": the advice that goes with a dirty version. */
export function forceAdvice(choices: ForceChoices): string {
  const completed = `\`force ${forceArgument(choices.completed)}\``;
  const undone = `\`force ${forceArgument(choices.undone)}\``;
  return choices.failedDown === undefined
    ? `run ${completed} if every change of that migration is now in place, or ${undone} if none of them is`
    : `run ${undone} if the down file of ${choices.failedDown} took no effect (or you restored what it removed), ` +
        `or ${completed} if you finished the roll back by hand`;
}

/** The database is dirty: a migration failed part way. golang-migrate refuses up, down and goto until `force`. */
export class DirtyDatabaseError extends MigrationLensError {
  readonly code = 'dirty-database';

  constructor(
    readonly version: bigint,
    readonly choices?: ForceChoices,
  ) {
    const run =
      choices?.failedDown === undefined
        ? `The migration run to reach version ${version} failed part way`
        : `The roll back of migration ${choices.failedDown} failed part way`;
    super(
      `Dirty database version ${version}. Fix and force version. ${run}: repair the schema by hand, then ` +
        `${choices ? forceAdvice(choices) : 'force the version the schema matches'}, and run the command again.`,
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

/** "connection 42 (user app, from 10.0.0.7:51234, Query for 12 s)", as far as the holder is known. */
export function describeLockHolder(holder: LockHolder): string {
  const who = [
    holder.user === undefined ? undefined : `user ${holder.user}`,
    holder.host === undefined ? undefined : `from ${holder.host}`,
    holder.seconds === undefined ? undefined : `${holder.command ?? 'connected'} for ${holder.seconds} s`,
  ].filter((part) => part !== undefined);
  return `connection ${holder.connectionId}${who.length > 0 ? ` (${who.join(', ')})` : ''}`;
}

/** Another session holds golang-migrate's advisory lock (a terminal `migrate`, a deploy, another editor). */
export class LockNotAcquiredError extends MigrationLensError {
  readonly code = 'lock-not-acquired';

  constructor(
    readonly lockName: string,
    readonly databaseName: string,
    readonly waitedSeconds: number,
    readonly holder?: LockHolder,
  ) {
    super(
      holder
        ? `can't acquire lock ${lockName} on database ${databaseName} after ${waitedSeconds} s: it is held by ` +
            `${describeLockHolder(holder)}, another migration run. Wait for it to finish, or if it is stuck end it ` +
            `with \`KILL ${holder.connectionId}\`, then retry.`
        : `can't acquire lock ${lockName} on database ${databaseName} after ${waitedSeconds} s: another migration ` +
            `is running. Find it with \`SELECT IS_USED_LOCK('${lockName}')\` (the connection id holding it), wait ` +
            'for it, then retry.',
    );
  }
}

/** The run was cancelled while another session still held the lock; nothing ran. */
export class LockWaitCancelledError extends MigrationLensError {
  readonly code = 'lock-wait-cancelled';

  constructor(
    readonly lockName: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `cancelled while waiting for lock ${lockName}${holder ? ` (held by connection ${holder.connectionId})` : ''}; ` +
        'nothing ran.',
    );
  }
}

/** The migrations folder, or a file in it, cannot be read: nothing was sent to the database for it. */
export class SourceUnreadableError extends MigrationLensError {
  readonly code = 'source-unreadable';

  /** `path` is the folder or file; `reason` what the system said, e.g. "no such directory". */
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot read ${path}: ${reason}.`);
  }
}

/** What the run would do differs from what was previewed and confirmed: nothing ran. */
export class PlanChangedError extends MigrationLensError {
  readonly code = 'plan-changed';

  constructor(readonly reason: string) {
    super(`the migrations to run changed since they were shown: ${reason}. Nothing ran; look again and rerun.`);
  }
}

/** Two files share a version and a direction: golang-migrate refuses the whole folder. */
export class DuplicateMigrationError extends MigrationLensError {
  readonly code = 'duplicate-migration';

  /**
   * `fileName` is the second in sorted order, the one golang-migrate names; `firstFileName` the one it clashes with;
   * `folder` where both are, when known.
   */
  constructor(
    readonly fileName: string,
    readonly firstFileName?: string,
    readonly folder?: string,
  ) {
    const clash = firstFileName === undefined ? '' : ` (same version and direction as ${firstFileName})`;
    const where = folder === undefined ? '' : ` in ${folder}`;
    super(`duplicate migration file: ${fileName}${clash}${where}. Renumber or remove one of them.`);
  }

  /** The same error, naming the folder. */
  in(folder: string): DuplicateMigrationError {
    return new DuplicateMigrationError(this.fileName, this.firstFileName, folder);
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
  /** The file ended inside a transaction, whose uncommitted changes were rolled back. */
  readonly openTransaction?: boolean;
  /** The versions to force once the schema is repaired. */
  readonly choices?: ForceChoices;
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
  readonly openTransaction?: boolean;
  readonly choices?: ForceChoices;

  constructor(failure: MigrationFailure) {
    const where = [
      failure.fileName ?? `${failure.version}/${failure.direction === 'up' ? 'u' : 'd'}`,
      ...failurePlace(failure),
    ].join(', ');
    const server = failure.openTransaction
      ? ': it left a transaction open; its uncommitted changes were rolled back'
      : failure.serverMessage === undefined
        ? ''
        : `: ${serverErrorText(failure.serverCode, failure.serverMessage)}`;
    const kept = failure.openTransaction
      ? 'what it committed before that transaction stays applied'
      : 'statements before the failing one stay applied';
    const then = failure.choices ? forceAdvice(failure.choices) : '`force` the version that matches the schema';
    super(
      `migration failed in ${where}${server}. The database is now dirty at version ${failure.targetVersion}; ` +
        `${kept}. Fix the schema and the file, then ${then}.`,
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
    this.openTransaction = failure.openTransaction;
    this.choices = failure.choices;
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
