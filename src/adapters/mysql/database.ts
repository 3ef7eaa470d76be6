/**
 * golang-migrate's MySQL driver over one session: the version table, the advisory lock, running a file and drop, with
 * the same statements in the same order so both tools leave the same state, and the ledger beside the version table
 * written in the version table's own transactions.
 */
import { LockNotAcquiredError, LockWaitCancelledError } from '../../core/errors';
import { ledgerTableName } from '../../core/ledger-table';
import { advisoryLockName } from '../../core/lock';
import { type DatabaseVersion, type LockHolder, NIL_VERSION } from '../../core/model';
import type {
  BackupResult,
  DatabaseLook,
  LedgerRecord,
  LockWait,
  MigrationTarget,
  ScriptOutcome,
} from '../../core/run-ports';
import type { LedgerEntry } from '../../core/safety-drift';
import { writeBackup } from '../backup-run';
import { countLedgerColumns, createLedgerTable, LEDGER_COLUMNS, ledgerTableExists, selectLedger } from '../ledger-sql';
import { ledgerEntryOfRow, ledgerRecordStatement, type LedgerRow, type LedgerSettings } from '../ledger-store';
import { MysqlSession, ScriptError } from './connection';
import type { DatabaseConfig } from './dsn';
import {
  createVersionTable,
  describeLockHolder,
  dropTables,
  ENABLE_FOREIGN_KEY_CHECKS,
  getLock,
  releaseLock,
  ROLLBACK,
  ROLLBACK_AND_AUTOCOMMIT,
  selectVersion,
  setVersion,
  setVersionStatements,
  showAllTables,
  showVersionTable,
} from './sql';

const ER_NO_SUCH_TABLE = 1146;

/** Each GET_LOCK waits at most this long, so the holder is reported and a cancel is seen every second. */
const LOCK_ATTEMPT_SECONDS = 1;

/** The URL names no database and the server has no current one (golang-migrate's `no database name`). */
export class NoDatabaseNameError extends Error {
  override readonly name = 'NoDatabaseNameError';
  readonly code = 'no-database-name';

  constructor() {
    super('no database name: add it to the database URL, as in mysql://user@tcp(host:3306)/dbname.');
  }
}

export class MigrationDatabase implements MigrationTarget {
  private locked = false;
  /** Set once `prepareLedger` found or made the ledger table: rows are written from then on. */
  private ledgerReady = false;

  private constructor(
    private readonly session: MysqlSession,
    readonly config: DatabaseConfig,
    readonly databaseName: string,
    /** The ledger table beside the version table. */
    readonly ledgerTable: string,
  ) {}

  /** Connects and finds the database name; touches no table. */
  static async open(config: DatabaseConfig, ledger: LedgerSettings = {}): Promise<MigrationDatabase> {
    const session = await MysqlSession.open(config);
    try {
      const databaseName = await session.databaseName(config.database);
      if (databaseName === '') throw new NoDatabaseNameError();
      return new MigrationDatabase(
        session,
        config,
        databaseName,
        ledgerTableName(config.migrationsTable, ledger.table),
      );
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get migrationsTable(): string {
    return this.config.migrationsTable;
  }

  get lockName(): string {
    return advisoryLockName(this.databaseName, this.config.migrationsTable);
  }

  /** Queries sent so far on this session. */
  get roundTrips(): number {
    return this.session.roundTrips;
  }

  get connectionId(): number {
    return this.session.connectionId;
  }

  async look(): Promise<DatabaseLook> {
    const holder = await this.lockHolder();
    const version = await this.readVersion().catch((error: unknown) => {
      if ((error as { errno?: number }).errno === ER_NO_SUCH_TABLE) return undefined;
      throw error;
    });
    return { version, ...(holder && { lockHolder: holder }) };
  }

  async lock(wait: LockWait): Promise<void> {
    if (this.locked) return;
    if (!this.config.noLock) await this.waitForLock(wait);
    this.locked = true;
  }

  /**
   * GET_LOCK in attempts of a second, naming the holder between them; a cancel ends the connection at once (the
   * server drops the waiting GET_LOCK with it), so nothing waits for the attempt to run out.
   */
  private async waitForLock({ totalSeconds, signal, onWaiting }: LockWait): Promise<void> {
    const started = performance.now();
    let holder: LockHolder | undefined;
    if (signal?.aborted) throw new LockWaitCancelledError(this.lockName, holder);
    const onAbort = () => this.session.destroy();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const waited = (performance.now() - started) / 1000;
        const attempt = Math.max(0, Math.min(LOCK_ATTEMPT_SECONDS, totalSeconds - waited));
        const [row] = await this.session.rows<{ acquired: number | string | null }>(getLock(this.lockName, attempt));
        if (Number(row?.acquired) === 1) return;
        holder = await this.lockHolder();
        const total = (performance.now() - started) / 1000;
        if (total >= totalSeconds)
          throw new LockNotAcquiredError(this.lockName, this.databaseName, totalSeconds, holder);
        onWaiting?.(holder, total);
      }
    } catch (error) {
      if (signal?.aborted) throw new LockWaitCancelledError(this.lockName, holder);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unlock(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    if (!this.config.noLock) await this.session.execute(releaseLock(this.lockName));
  }

  async ensureVersionTable(): Promise<void> {
    const found = await this.session.rows(showVersionTable(this.databaseName, this.migrationsTable));
    if (found.length === 0) await this.session.execute(createVersionTable(this.databaseName, this.migrationsTable));
  }

  /** The table's row, or NIL_VERSION clean when it has none. */
  async readVersion(): Promise<DatabaseVersion> {
    const [row] = await this.session.rows<{ version: string | number; dirty: number | string }>(
      selectVersion(this.databaseName, this.migrationsTable),
    );
    if (!row) return { version: NIL_VERSION, dirty: false };
    return { version: BigInt(row.version), dirty: Number(row.dirty) !== 0 };
  }

  /** golang-migrate's SetVersion in one round trip, with the ledger rows in its transaction; rolls back on failure. */
  async setVersion(version: bigint, dirty: boolean, ledger: readonly LedgerRecord[] = []): Promise<void> {
    const rows = this.ledgerReady ? ledger.map((record) => this.ledgerStatement(record)) : [];
    try {
      await this.session.execute(setVersion(this.databaseName, this.migrationsTable, version, dirty, rows));
    } catch (error) {
      await this.session.execute(ROLLBACK).catch(() => undefined);
      throw error;
    }
  }

  /** Runs a migration file's whole text as one query, applying x-statement-timeout. */
  runScript(text: string): Promise<ScriptOutcome> {
    return this.runAfter([], text);
  }

  /**
   * The dirty write and the file in one query: the server runs the write's statements, its COMMIT included, before
   * the file's first statement, exactly as two queries would, with one round trip fewer per migration. A blank file
   * goes alone after the write, as the server must see it to answer "Query was empty" as it does to golang-migrate.
   */
  async markDirtyAndRun(version: bigint, ledger: readonly LedgerRecord[], text: string): Promise<ScriptOutcome> {
    if (text.trim() === '') {
      await this.setVersion(version, true, ledger);
      return this.runScript(text);
    }
    const rows = this.ledgerReady ? ledger.map((record) => this.ledgerStatement(record)) : [];
    return this.runAfter(setVersionStatements(this.databaseName, this.migrationsTable, version, true, rows), text);
  }

  /**
   * Sends `before` then the file's text as one query. A failure within `before` is thrown (after a rollback); one
   * within the file is returned, its statement counted from the file's start.
   */
  private async runAfter(before: readonly string[], text: string): Promise<ScriptOutcome> {
    const sql = before.length === 0 ? text : `${before.join('; ')};\n${text}`;
    try {
      const { transactionOpen } = await this.session.runScript(sql, this.config.statementTimeoutMs);
      return { kind: 'done', transactionOpen };
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      if (error.completedStatements < before.length) {
        await this.session.execute(ROLLBACK).catch(() => undefined);
        throw error;
      }
      const { serverError } = error;
      return {
        kind: 'failed',
        statementIndex: error.completedStatements - before.length + 1,
        ...(serverError.errno !== undefined && { serverCode: serverError.errno }),
        serverMessage: serverError.sqlMessage ?? serverError.message,
        ...(error.timedOutAfterMs !== undefined && { timedOutAfterMs: error.timedOutAfterMs }),
      };
    }
  }

  async rollbackOpenTransaction(): Promise<void> {
    await this.session.execute(ROLLBACK_AND_AUTOCOMMIT);
  }

  async dropAllTables(): Promise<string[]> {
    const rows = await this.session.rows<Record<string, string>>(showAllTables(this.databaseName));
    const tables = rows.map((row) => String(Object.values(row)[0])).filter((name) => name !== '');
    if (tables.length === 0) return [];
    try {
      await this.session.execute(dropTables(this.databaseName, tables));
    } catch (error) {
      await this.session.execute(ENABLE_FOREIGN_KEY_CHECKS).catch(() => undefined);
      throw error;
    }
    return tables;
  }

  /**
   * Its rows share the version table's transactions, so a table of that name that is not our ledger (other columns)
   * would fail every version write: it is left alone and nothing is recorded.
   */
  async prepareLedger(create: boolean): Promise<boolean> {
    this.ledgerReady = false;
    if (create) await this.session.execute(createLedgerTable(this.databaseName, this.ledgerTable));
    const [row] = await this.session.rows<{ columns: number | string; ours: number | string }>(
      countLedgerColumns(this.databaseName, this.ledgerTable),
    );
    if (Number(row?.columns ?? 0) === 0) return false;
    if (Number(row?.ours) !== LEDGER_COLUMNS.length) {
      throw new Error(
        `table ${this.ledgerTable} exists without the ledger's columns; nothing is recorded in it (rename it, or ` +
          'name another ledger table)',
      );
    }
    this.ledgerReady = true;
    return true;
  }

  async ledgerEntries(): Promise<LedgerEntry[] | undefined> {
    if (!(await this.hasLedgerTable())) return undefined;
    return (await this.session.rows<LedgerRow>(selectLedger(this.databaseName, this.ledgerTable))).map(
      ledgerEntryOfRow,
    );
  }

  async recordLedger(records: readonly LedgerRecord[]): Promise<void> {
    if (!this.ledgerReady || records.length === 0) return;
    await this.session.execute({ sql: records.map((record) => this.ledgerStatement(record)).join(';\n') });
  }

  backup(tables: readonly string[] | 'all', version: bigint, folder: string): Promise<BackupResult | undefined> {
    return writeBackup({
      session: this.session,
      database: this.config,
      databaseName: this.databaseName,
      version,
      tables,
      folder,
    });
  }

  async close(): Promise<void> {
    await this.unlock().catch(() => undefined);
    await this.session.close();
  }

  private ledgerStatement(record: LedgerRecord): string {
    return ledgerRecordStatement(this.databaseName, this.ledgerTable, record);
  }

  private async hasLedgerTable(): Promise<boolean> {
    const [row] = await this.session.rows<{ found: number | string }>(
      ledgerTableExists(this.databaseName, this.ledgerTable),
    );
    return Number(row?.found) > 0;
  }

  /** Who holds the lock, unless it is free or held by this session. */
  private async lockHolder(): Promise<LockHolder | undefined> {
    try {
      const [row] = await this.session.rows<{
        id: number | string | null;
        user: string | null;
        host: string | null;
        command: string | null;
        time: number | string | null;
      }>(describeLockHolder(this.lockName));
      if (!row || row.id === null || Number(row.id) === this.connectionId) return undefined;
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
