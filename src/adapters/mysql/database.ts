/**
 * golang-migrate's MySQL driver over one session: the version table, the advisory lock, running a file and drop, with
 * the same statements in the same order so both tools leave the same state.
 */
import { LockNotAcquiredError } from '../../core/errors';
import { advisoryLockName } from '../../core/lock';
import { type DatabaseVersion, NIL_VERSION } from '../../core/model';
import { MysqlSession, ScriptError, type ServerError } from './connection';
import type { DatabaseConfig } from './dsn';
import {
  createVersionTable,
  dropTables,
  ENABLE_FOREIGN_KEY_CHECKS,
  describeLockHolder,
  getLock,
  releaseLock,
  ROLLBACK,
  selectVersion,
  setVersion,
  SHOW_ALL_TABLES,
  showVersionTable,
} from './sql';

/** golang-migrate waits 10 s for the lock. */
const DEFAULT_LOCK_TIMEOUT_SECONDS = 10;

/** The URL names no database and the server has no current one (golang-migrate's `no database name`). */
export class NoDatabaseNameError extends Error {
  override readonly name = 'NoDatabaseNameError';
  readonly code = 'no-database-name';

  constructor() {
    super('no database name: add it to the database URL, as in mysql://user@tcp(host:3306)/dbname.');
  }
}

/** The session holding the lock, as far as this user may see it in the process list. */
export interface LockHolder {
  readonly connectionId: number;
  readonly user?: string;
  readonly host?: string;
  readonly command?: string;
  readonly seconds?: number;
}

/** LockNotAcquiredError that also names the session holding the lock when the server tells. */
export class LockHeldError extends LockNotAcquiredError {
  constructor(
    lockName: string,
    databaseName: string,
    waitedSeconds: number,
    readonly holder: LockHolder | undefined,
  ) {
    super(lockName, databaseName, waitedSeconds);
    if (holder) {
      const who = [
        holder.user === undefined ? undefined : `user ${holder.user}`,
        holder.host === undefined ? undefined : `from ${holder.host}`,
        holder.seconds === undefined ? undefined : `${holder.command ?? 'connected'} for ${holder.seconds} s`,
      ].filter((part) => part !== undefined);
      this.message =
        `can't acquire lock ${lockName} on database ${databaseName} after ${waitedSeconds} s: it is held by ` +
        `connection ${holder.connectionId}${who.length > 0 ? ` (${who.join(', ')})` : ''}, another migration run. ` +
        `Wait for it to finish, or if it is stuck end it with \`KILL ${holder.connectionId}\`, then retry.`;
    }
  }
}

/** A migration file's SQL failed; `statementIndex` is 1-based and counts the statements MariaDB finished first. */
export class ScriptFailedError extends Error {
  override readonly name = 'ScriptFailedError';

  constructor(
    readonly statementIndex: number,
    readonly serverError: ServerError,
    readonly timedOutAfterMs: number | undefined,
  ) {
    super(serverError.sqlMessage ?? serverError.message, { cause: serverError });
  }
}

export interface OpenOptions {
  /** Seconds GET_LOCK waits for another session; golang-migrate's 10 by default. */
  readonly lockTimeoutSeconds?: number;
}

export class MigrationDatabase {
  private locked = false;

  private constructor(
    private readonly session: MysqlSession,
    readonly config: DatabaseConfig,
    /** The database the version table lives in (from the URL or the server's current one). */
    readonly databaseName: string,
    private readonly lockTimeoutSeconds: number,
  ) {}

  /** Connects and finds the database name; does not touch the version table yet. */
  static async open(config: DatabaseConfig, options: OpenOptions = {}): Promise<MigrationDatabase> {
    const session = await MysqlSession.open(config);
    try {
      const databaseName = await session.databaseName(config.database);
      if (databaseName === '') throw new NoDatabaseNameError();
      const lockTimeout = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
      return new MigrationDatabase(session, config, databaseName, lockTimeout);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get migrationsTable(): string {
    return this.config.migrationsTable;
  }

  /** golang-migrate's lock name for this database and version table. */
  get lockName(): string {
    return advisoryLockName(this.databaseName, this.config.migrationsTable);
  }

  /** Queries sent so far on this connection. */
  get roundTrips(): number {
    return this.session.roundTrips;
  }

  get connectionId(): number {
    return this.session.connectionId;
  }

  /** Takes golang-migrate's advisory lock (skipped with x-no-lock); fails naming the holder when another has it. */
  async lock(): Promise<void> {
    if (this.locked) return;
    if (!this.config.noLock) {
      const [row] = await this.session.rows<{ acquired: number | string | null }>(
        getLock(this.lockName, this.lockTimeoutSeconds),
      );
      if (Number(row?.acquired) !== 1) {
        throw new LockHeldError(this.lockName, this.databaseName, this.lockTimeoutSeconds, await this.lockHolder());
      }
    }
    this.locked = true;
  }

  async unlock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    if (!this.config.noLock) await this.session.execute(releaseLock(this.lockName));
  }

  /** Creates the version table when missing. Call it holding the lock, as golang-migrate does. */
  async ensureVersionTable(): Promise<void> {
    if (!(await this.hasVersionTable())) await this.session.execute(createVersionTable(this.migrationsTable));
  }

  async hasVersionTable(): Promise<boolean> {
    const found = await this.session.rows(showVersionTable(this.migrationsTable));
    return found.length > 0;
  }

  /** The table's row, or NIL_VERSION clean when it has none. */
  async readVersion(): Promise<DatabaseVersion> {
    const [row] = await this.session.rows<{ version: string | number; dirty: number | string }>(
      selectVersion(this.migrationsTable),
    );
    if (!row) return { version: NIL_VERSION, dirty: false };
    return { version: BigInt(row.version), dirty: Number(row.dirty) !== 0 };
  }

  /** golang-migrate's SetVersion in one round trip; rolls back if any part fails. */
  async setVersion(version: bigint, dirty: boolean): Promise<void> {
    try {
      await this.session.execute(setVersion(this.migrationsTable, version, dirty));
    } catch (error) {
      await this.session.execute(ROLLBACK).catch(() => undefined);
      throw error;
    }
  }

  /** Runs a migration file's whole text as one query, applying x-statement-timeout. */
  async runScript(text: string): Promise<void> {
    try {
      await this.session.runScript(text, this.config.statementTimeoutMs);
    } catch (error) {
      if (error instanceof ScriptError) {
        throw new ScriptFailedError(error.completedStatements + 1, error.serverError, error.timedOutAfterMs);
      }
      throw error;
    }
  }

  /** Drops every table of the database, the version table included, with foreign key checks off meanwhile. */
  async dropAllTables(): Promise<string[]> {
    const rows = await this.session.rows<Record<string, string>>(SHOW_ALL_TABLES);
    const tables = rows.map((row) => String(Object.values(row)[0])).filter((name) => name !== '');
    if (tables.length === 0) return [];
    try {
      await this.session.execute(dropTables(tables));
    } catch (error) {
      await this.session.execute(ENABLE_FOREIGN_KEY_CHECKS).catch(() => undefined);
      throw error;
    }
    return tables;
  }

  /** Releases the lock if held and closes the connection; never throws. */
  async close(): Promise<void> {
    await this.unlock().catch(() => undefined);
    await this.session.close();
  }

  private async lockHolder(): Promise<LockHolder | undefined> {
    try {
      const [row] = await this.session.rows<{
        id: number | string | null;
        user: string | null;
        host: string | null;
        command: string | null;
        time: number | string | null;
      }>(describeLockHolder(this.lockName));
      if (!row || row.id === null) return undefined;
      return {
        connectionId: Number(row.id),
        ...(row.user !== null && { user: row.user }),
        ...(row.host !== null && { host: row.host }),
        ...(row.command !== null && { command: row.command }),
        ...(row.time !== null && { seconds: Number(row.time) }),
      };
    } catch {
      return undefined;
    }
  }
}
