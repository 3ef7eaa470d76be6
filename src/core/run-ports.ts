/**
 * The ports a migration run works through. The application layer (`src/app/`) holds the rules of a run and talks only
 * to these interfaces; `src/adapters/` implements them over a migrations folder and one MySQL session, and the unit
 * tests over in-memory fakes, so every rule of a run is tested without a server.
 */
import type { DatabaseVersion, LockHolder, SourceFile } from './model';
import type { LedgerEntry, LedgerError } from './safety-drift';

/** A migrations folder as golang-migrate's file source sees it. */
export interface MigrationSource {
  /** The folder, for messages. */
  readonly location: string;
  /**
   * Every plain file at the top level, with the subdirectories apart. Throws `SourceUnreadableError` naming the folder
   * when it cannot be listed. An entry that is listed but cannot be read (a broken or looping link) is listed with
   * `unreadable` set: golang-migrate lists it too and fails when it reaches it.
   */
  list(): Promise<SourceListing>;
  /** A file's text; throws `SourceUnreadableError` naming the file when it cannot be read or is not UTF-8. */
  read(fileName: string): Promise<string>;
}

export interface SourceListing {
  readonly files: readonly SourceFile[];
  readonly subdirectories: readonly string[];
}

/** How to wait for golang-migrate's lock when another session holds it. */
export interface LockWait {
  /** How long to wait in all (golang-migrate: 10 s). */
  readonly totalSeconds: number;
  /** Aborting ends the wait at once with `LockWaitCancelledError`. */
  readonly signal?: AbortSignal;
  /** Called about once a second while another session holds the lock. */
  readonly onWaiting?: (holder: LockHolder | undefined, waitedSeconds: number) => void;
}

/** How a migration file's text ended on the server. */
export type ScriptOutcome =
  | {
      readonly kind: 'done';
      /** The file ended inside a transaction (BEGIN, START TRANSACTION or autocommit=0 without COMMIT). */
      readonly transactionOpen: boolean;
    }
  | {
      readonly kind: 'failed';
      /** 1-based index of the failing statement: the statements before it completed. */
      readonly statementIndex: number;
      readonly serverCode?: number;
      readonly serverMessage: string;
      /** Set when x-statement-timeout stopped it. */
      readonly timedOutAfterMs?: number;
    };

/** One row of the ledger to write, about one version. */
export type LedgerRecord =
  | {
      readonly kind: 'applied';
      readonly version: bigint;
      readonly fileName?: string;
      readonly checksums?: { readonly raw: string; readonly normalized: string };
      readonly durationMs: number;
    }
  | { readonly kind: 'reverted'; readonly version: bigint; readonly durationMs: number }
  | { readonly kind: 'failed'; readonly version: bigint; readonly failure: LedgerError; readonly durationMs: number };

/** A backup written before going down (or on request). */
export interface BackupResult {
  readonly file: string;
  readonly tool: 'mysqldump' | 'builtin';
  /** The tables written: those asked for that exist. */
  readonly tables: readonly string[];
}

/** What a look at the database shows, read-only: nothing is created and no lock is taken. */
export interface DatabaseLook {
  /** The version table's row; undefined when the table does not exist yet. */
  readonly version: DatabaseVersion | undefined;
  /** Another session holds golang-migrate's lock: a run is going on there. */
  readonly lockHolder?: LockHolder;
}

/**
 * golang-migrate's view of one database over one session: the version table, the advisory lock, running a file, the
 * ledger beside the version table, and drop. Every write of the version table is one transaction, as golang-migrate's.
 */
export interface MigrationTarget {
  /** The database the version table lives in. */
  readonly databaseName: string;

  /** Version and lock holder, read-only. */
  look(): Promise<DatabaseLook>;
  /** Takes the lock (a no-op with x-no-lock); throws `LockNotAcquiredError` naming the holder after `wait.totalSeconds`. */
  lock(wait: LockWait): Promise<void>;
  unlock(): Promise<void>;
  /** Creates the version table when missing (golang-migrate does on every connect, holding the lock). */
  ensureVersionTable(): Promise<void>;
  readVersion(): Promise<DatabaseVersion>;
  /**
   * golang-migrate's SetVersion, with `ledger` rows written in the same transaction: one commit records both, or
   * neither. Rows are left out when the ledger is not in use.
   */
  setVersion(version: bigint, dirty: boolean, ledger?: readonly LedgerRecord[]): Promise<void>;
  /**
   * `setVersion(version, true, ledger)`, then the file's whole text as one multi-statement query: the same statements
   * in the same order, the dirty version committed before the file's first statement starts. A failure of the version
   * write is thrown, one of the file's SQL returned with its statement counted from the file's start.
   */
  markDirtyAndRun(version: bigint, ledger: readonly LedgerRecord[], text: string): Promise<ScriptOutcome>;
  /** Ends a transaction a file left open, discarding its uncommitted changes, and turns autocommit back on. */
  rollbackOpenTransaction(): Promise<void>;
  /** Drops every table (foreign key checks off meanwhile), the version table included; returns their names. */
  dropAllTables(): Promise<string[]>;

  /**
   * Makes the ledger ready for this run: creates it when `create` allows, else uses it only if it exists. True when
   * ledger rows will be written.
   */
  prepareLedger(create: boolean): Promise<boolean>;
  /** The ledger's entries by version; undefined when there is no ledger table. Never creates it. */
  ledgerEntries(): Promise<LedgerEntry[] | undefined>;
  /** Writes rows outside a version write (after a failure, or a recovery). */
  recordLedger(records: readonly LedgerRecord[]): Promise<void>;

  /**
   * Dumps `tables` (every table and view for 'all') that exist into a new file in `folder`, named after the database,
   * `version` and the time; undefined when none of them exists.
   */
  backup(tables: readonly string[] | 'all', version: bigint, folder: string): Promise<BackupResult | undefined>;

  /** Releases the lock if held and closes the session; never throws. */
  close(): Promise<void>;
}
