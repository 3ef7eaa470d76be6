/**
 * In-memory implementations of the run session's ports: a migrations folder and a database that keeps the version
 * table, golang-migrate's lock and the ledger, and records what it was asked to do, so the session's rules are
 * tested without a server.
 */
import { LockNotAcquiredError, LockWaitCancelledError, SourceUnreadableError } from '../../src/core/errors';
import { type DatabaseVersion, type LockHolder, NIL_VERSION } from '../../src/core/model';
import type {
  BackupResult,
  DatabaseLook,
  LedgerRecord,
  LockWait,
  MigrationSource,
  MigrationTarget,
  ScriptOutcome,
  SourceListing,
} from '../../src/core/run-ports';
import type { LedgerEntry } from '../../src/core/safety-drift';
import { RunSession, type RunSettings } from '../../src/app/run-session';
import type { FleetMember } from '../../src/app/fleet';
import { DatabaseConnectionError } from '../../src/adapters/mysql/connection';

/** Three versions with both files: users, its email column, orders. */
export const THREE = {
  '1_users.up.sql': 'CREATE TABLE users (id int);',
  '1_users.down.sql': 'DROP TABLE users;',
  '2_email.up.sql': 'ALTER TABLE users ADD email text;',
  '2_email.down.sql': 'ALTER TABLE users DROP email;',
  '3_orders.up.sql': 'CREATE TABLE orders (id int);',
  '3_orders.down.sql': 'DROP TABLE orders;',
};

export class FakeSource implements MigrationSource {
  readonly location = '/migrations';
  /** Entries listed but unreadable, with the reason. */
  readonly unreadable = new Map<string, string>();
  listError: string | undefined;

  constructor(readonly files: Map<string, string>) {}

  list(): Promise<SourceListing> {
    if (this.listError !== undefined) return Promise.reject(new SourceUnreadableError(this.location, this.listError));
    const files = [
      ...[...this.files.keys()].map((name) => ({ name })),
      ...[...this.unreadable].map(([name, unreadable]) => ({ name, unreadable })),
    ];
    return Promise.resolve({ files, subdirectories: [] });
  }

  read(fileName: string): Promise<string> {
    const text = this.files.get(fileName);
    if (text === undefined) return Promise.reject(new SourceUnreadableError(fileName, 'no such file'));
    return Promise.resolve(text);
  }
}

/** A database as the run sees it; `events` lists every call in order, `committed` every version state written. */
export class FakeTarget implements MigrationTarget {
  readonly databaseName = 'app';
  readonly lockName = '42';
  /** The version table's row; undefined when the table does not exist. */
  table: DatabaseVersion | undefined;
  ledgerTable: Map<bigint, LedgerRecord> | undefined;
  /** Another session holding the lock. */
  heldBy: LockHolder | undefined;
  /** How each file's text ends; `done` without an open transaction when not given. */
  scriptOutcome: (text: string) => ScriptOutcome = () => ({ kind: 'done', transactionOpen: false });
  /** Called when a script runs, before its outcome (e.g. to abort the run); awaited, so it can hold the script. */
  onScript: (text: string) => void | Promise<void> = () => undefined;
  /** What a ledger write outside a version write throws, as on a session lost during the file. */
  ledgerWriteFails: Error | undefined;
  readonly events: string[] = [];
  /** Every (version, dirty) committed, with the ledger rows committed with it. */
  readonly committed: { state: string; ledger: string[] }[] = [];
  readonly backups: { tables: readonly string[] | 'all'; version: bigint }[] = [];
  private locked = false;
  closed = false;

  look(): Promise<DatabaseLook> {
    this.events.push('look');
    return Promise.resolve({ version: this.table, ...(this.heldBy && { lockHolder: this.heldBy }) });
  }

  async lock(wait: LockWait): Promise<void> {
    this.events.push('lock');
    if (this.heldBy) {
      wait.onWaiting?.(this.heldBy, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (wait.signal?.aborted) throw new LockWaitCancelledError(this.lockName, this.heldBy);
      throw new LockNotAcquiredError(this.lockName, this.databaseName, wait.totalSeconds, this.heldBy);
    }
    this.locked = true;
  }

  unlock(): Promise<void> {
    if (this.locked) this.events.push('unlock');
    this.locked = false;
    return Promise.resolve();
  }

  ensureVersionTable(): Promise<void> {
    this.events.push('ensureVersionTable');
    this.table ??= { version: NIL_VERSION, dirty: false };
    return Promise.resolve();
  }

  readVersion(): Promise<DatabaseVersion> {
    this.events.push('readVersion');
    return Promise.resolve(this.table ?? { version: NIL_VERSION, dirty: false });
  }

  setVersion(version: bigint, dirty: boolean, ledger: readonly LedgerRecord[] = []): Promise<void> {
    const state = `${version}/${dirty ? 'dirty' : 'clean'}`;
    this.events.push(`set ${state}`);
    this.table = { version, dirty };
    const written = this.ledgerTable ? ledger : [];
    for (const record of written) this.ledgerTable!.set(record.version, record);
    this.committed.push({ state, ledger: written.map(describeRecord) });
    return Promise.resolve();
  }

  async runScript(text: string): Promise<ScriptOutcome> {
    this.events.push(`run ${text}`);
    await this.onScript(text);
    return this.scriptOutcome(text);
  }

  async markDirtyAndRun(version: bigint, ledger: readonly LedgerRecord[], text: string): Promise<ScriptOutcome> {
    await this.setVersion(version, true, ledger);
    return this.runScript(text);
  }

  rollbackOpenTransaction(): Promise<void> {
    this.events.push('rollback');
    return Promise.resolve();
  }

  dropAllTables(): Promise<string[]> {
    this.events.push('drop');
    this.table = undefined;
    return Promise.resolve(['schema_migrations']);
  }

  prepareLedger(create: boolean): Promise<boolean> {
    if (create) this.ledgerTable ??= new Map();
    return Promise.resolve(this.ledgerTable !== undefined);
  }

  ledgerEntries(): Promise<LedgerEntry[] | undefined> {
    if (!this.ledgerTable) return Promise.resolve(undefined);
    return Promise.resolve(
      [...this.ledgerTable.values()].map((record) => ({
        version: record.version,
        state: record.kind,
        ...(record.kind === 'failed' && { lastError: record.failure }),
      })),
    );
  }

  recordLedger(records: readonly LedgerRecord[]): Promise<void> {
    if (this.ledgerWriteFails) return Promise.reject(this.ledgerWriteFails);
    this.events.push(`ledger ${records.map(describeRecord).join(', ')}`);
    for (const record of records) this.ledgerTable?.set(record.version, record);
    return Promise.resolve();
  }

  backup(tables: readonly string[] | 'all', version: bigint, folder: string): Promise<BackupResult | undefined> {
    this.events.push(`backup ${tables === 'all' ? 'all' : tables.join(',')}`);
    this.backups.push({ tables, version });
    return Promise.resolve({
      file: `${folder}/app-${version}.sql`,
      tool: 'builtin',
      tables: tables === 'all' ? [] : tables,
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function describeRecord(record: LedgerRecord): string {
  return `${record.kind} ${record.version}`;
}

export const SETTINGS: RunSettings = { lockTimeoutSeconds: 1, createLedger: true };

/** A session over a fake folder and database; `connects` counts how often it connected. */
export function fakeSession(
  files: Record<string, string>,
  target = new FakeTarget(),
  settings: RunSettings = SETTINGS,
): { session: RunSession; source: FakeSource; target: FakeTarget; connects: () => number } {
  const source = new FakeSource(new Map(Object.entries(files)));
  let connects = 0;
  const session = new RunSession(
    source,
    () => {
      connects++;
      return Promise.resolve(target);
    },
    settings,
  );
  return { session, source, target, connects: () => connects };
}

/**
 * A database of a fleet over a fake folder and database, a new session each time it is opened; `unreachable` makes
 * connecting fail as a server that is down does.
 */
export function fakeMember(
  database: string,
  files: Record<string, string>,
  target = new FakeTarget(),
  unreachable?: string,
): { member: FleetMember; target: FakeTarget; opened: () => number } {
  let opened = 0;
  const member: FleetMember = {
    database,
    open: () => {
      opened++;
      const source = new FakeSource(new Map(Object.entries(files)));
      const connect = () =>
        unreachable === undefined ? Promise.resolve(target) : Promise.reject(new DatabaseConnectionError(unreachable));
      return new RunSession(source, connect, SETTINGS);
    },
  };
  return { member, target, opened: () => opened };
}
