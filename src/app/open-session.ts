/**
 * The run session over the real adapters: the migrations folder on disk and one MySQL session, opened at the first
 * database access and closed with the session.
 */
import { FolderSource } from '../adapters/file-source';
import type { LedgerSettings } from '../adapters/ledger-store';
import { MigrationDatabase } from '../adapters/mysql/database';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import type { PlanRequest } from '../core/plan';
import type { MigrationSource } from '../core/run-ports';
import { lookAt, RunSession, type DatabaseState, type RunOptions, type RunResult } from './run-session';

/** golang-migrate waits 10 s for the lock. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 10;

/** What a run works on. */
export interface RunTarget {
  /** The migrations folder, absolute. */
  readonly folder: string;
  readonly database: DatabaseConfig;
  readonly ledger?: LedgerSettings;
  readonly lockTimeoutSeconds?: number;
}

/** A session on the target; `source` when its folder is shared with other sessions that only look. */
export function openRunSession(
  target: RunTarget,
  source: MigrationSource = new FolderSource(target.folder),
): RunSession {
  const sqlMode = target.database.sessionSettings.find((setting) => setting.name.toLowerCase() === 'sql_mode')?.value;
  return new RunSession(source, () => MigrationDatabase.open(target.database, target.ledger), {
    lockTimeoutSeconds: target.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
    createLedger: target.ledger?.create ?? true,
    ...(sqlMode !== undefined && { sqlMode }),
  });
}

/** Opens a session for `work` and closes it afterwards, whatever happens. */
export async function withRunSession<T>(target: RunTarget, work: (session: RunSession) => Promise<T>): Promise<T> {
  const session = openRunSession(target);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** Runs `request` in one session as the command line does: golang-migrate's up, down and goto. */
export function migrate(request: PlanRequest, target: RunTarget, options: RunOptions = {}): Promise<RunResult> {
  return withRunSession(target, (session) => session.run(request, options));
}

/** A look at a database without a migrations folder (the editor's tree and status bar): one session, read-only. */
export async function lookAtDatabase(database: DatabaseConfig, ledger?: LedgerSettings): Promise<DatabaseState> {
  const target = await MigrationDatabase.open(database, ledger);
  try {
    return await lookAt(target);
  } finally {
    await target.close();
  }
}
