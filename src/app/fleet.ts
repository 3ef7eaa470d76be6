/**
 * One request (`up`, `goto V`) over the databases of a fleet, for both faces: a bounded pool in this process, each
 * database in a run session of its own (its own connection, lock and version table) opened for its run and closed
 * after it. A canary stage runs the first K and stops if one fails; the rest follow, stopping at the first failure
 * unless told to continue. When the run stops (a failure, or Cancel) no further database starts, and the running ones
 * stop after the migration they are running, clean: a database is never left further from golang-migrate's states
 * than one dirty version, the one whose migration failed.
 */
import { DatabaseConnectionError } from '../adapters/mysql/connection';
import { NoDatabaseNameError } from '../adapters/mysql/database';
import {
  DirtyDatabaseError,
  errorMessage,
  LockNotAcquiredError,
  LockWaitCancelledError,
  MigrationFailedError,
} from '../core/errors';
import type { FleetRow } from '../core/fleet';
import { type DatabaseVersion, type LockHolder, NIL_VERSION } from '../core/model';
import type { PlanRequest } from '../core/plan';
import type { BackupPolicy, Preview, RunResult, RunSession } from './run-session';
import type { ProgressEvent } from './run-steps';

/** A database of the fleet: its name, and a run session on it (opened once per run, closed after it). */
export interface FleetMember {
  readonly database: string;
  open(): RunSession;
}

export interface FleetOptions {
  /** How many databases run at once (at least 1). */
  readonly parallel: number;
  /** The first K databases run first; the others start only if none of them failed. */
  readonly canary: number;
  /** After the canary stage, a failure does not stop the others from starting. */
  readonly continueOnFailure: boolean;
  /** Cancel: no further database starts, the running ones stop after their current migration. */
  readonly signal?: AbortSignal;
  /** Per database, before going down (goto V below the current version); run unattended (see `unattended`). */
  readonly backup?: BackupPolicy;
  readonly onEvent?: (event: FleetEvent) => void;
}

export type FleetStop = 'canary' | 'failure' | 'cancel';

export type FleetEvent =
  | { readonly kind: 'stage'; readonly stage: 'canary' | 'rest'; readonly databases: number }
  | { readonly kind: 'started'; readonly database: string }
  | { readonly kind: 'progress'; readonly database: string; readonly event: ProgressEvent }
  | {
      readonly kind: 'waiting';
      readonly database: string;
      readonly holder: LockHolder | undefined;
      readonly waitedSeconds: number;
    }
  | { readonly kind: 'ledger-problem'; readonly database: string; readonly error: unknown }
  | { readonly kind: 'finished'; readonly row: FleetRow; readonly finished: number; readonly total: number }
  | { readonly kind: 'stopping'; readonly why: FleetStop };

export interface FleetSummary {
  /** One row per member, in the members' order. */
  readonly rows: readonly FleetRow[];
  /** Why databases were left unstarted, if the run stopped. */
  readonly stopped?: FleetStop;
}

export async function runFleet(
  members: readonly FleetMember[],
  request: PlanRequest,
  options: FleetOptions,
): Promise<FleetSummary> {
  const emit = options.onEvent ?? (() => undefined);
  const stop = new AbortController();
  let stopped: FleetStop | undefined;
  const stopWith = (why: FleetStop) => {
    if (stopped !== undefined) return;
    stopped = why;
    emit({ kind: 'stopping', why });
    stop.abort();
  };
  const cancel = () => stopWith('cancel');
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel);

  const rows = new Map<string, FleetRow>();
  const canary = members.slice(0, Math.max(0, options.canary));
  const rest = members.slice(canary.length);
  const runStage = (stage: readonly FleetMember[], stopOnFailure: boolean, why: FleetStop) =>
    eachBounded(stage, options.parallel, stop.signal, async (member) => {
      emit({ kind: 'started', database: member.database });
      const row = await migrateMember(member, request, stop.signal, options);
      rows.set(member.database, row);
      emit({ kind: 'finished', row, finished: rows.size, total: members.length });
      if (row.result === 'failed' && stopOnFailure) stopWith(why);
    });
  try {
    if (canary.length > 0 && !stop.signal.aborted) {
      emit({ kind: 'stage', stage: 'canary', databases: canary.length });
      await runStage(canary, true, 'canary');
    }
    if (rest.length > 0 && !stop.signal.aborted) {
      if (canary.length > 0) emit({ kind: 'stage', stage: 'rest', databases: rest.length });
      await runStage(rest, !options.continueOnFailure, 'failure');
    }
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
  return {
    rows: members.map((member) => rows.get(member.database) ?? { database: member.database, result: 'not-started' }),
    ...(stopped !== undefined && { stopped }),
  };
}

/** What a dry run found on one database: its preview, or why there is none. */
export type FleetPreview =
  { readonly database: string; readonly preview: Preview } | { readonly database: string; readonly error: string };

/** Previews `request` on every member, `parallel` at a time (read-only: no lock, nothing created). */
export async function previewFleet(
  members: readonly FleetMember[],
  request: PlanRequest,
  parallel: number,
): Promise<FleetPreview[]> {
  const previews: FleetPreview[] = [];
  await eachBounded(members, parallel, undefined, async (member, index) => {
    const session = member.open();
    try {
      previews[index] = { database: member.database, preview: await session.preview(request) };
    } catch (error) {
      previews[index] = { database: member.database, error: errorMessage(error) };
    } finally {
      await session.close();
    }
  });
  return previews;
}

/**
 * Calls `work` for each item and its index, at most `limit` at a time, in order of the items; once `signal` is
 * aborted no further item starts, and the ones started are awaited.
 */
export async function eachBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** One database's run in its own session: a look for the version before, the run, and how it ended. */
async function migrateMember(
  member: FleetMember,
  request: PlanRequest,
  signal: AbortSignal,
  options: FleetOptions,
): Promise<FleetRow> {
  const { database } = member;
  const started = performance.now();
  const session = member.open();
  let from: DatabaseVersion | undefined;
  const row = (fields: Omit<FleetRow, 'database' | 'durationMs'>): FleetRow => ({
    database,
    ...fields,
    durationMs: performance.now() - started,
  });
  try {
    const look = await session.lookAtVersion();
    from = look.version ?? { version: NIL_VERSION, dirty: false };
    const result = await session.run(request, {
      signal,
      onProgress: (event) => options.onEvent?.({ kind: 'progress', database, event }),
      onLockWait: (holder, waitedSeconds) => options.onEvent?.({ kind: 'waiting', database, holder, waitedSeconds }),
      onLedgerProblem: (error) => options.onEvent?.({ kind: 'ledger-problem', database, error }),
      ...(options.backup && { backup: unattended(options.backup) }),
    });
    return row({ from, to: result.version, ...resultOf(result) });
  } catch (error) {
    return row({ ...(from && { from }), ...failureOf(error, from) });
  } finally {
    await session.close();
  }
}

/**
 * Nobody answers a question per database: `ask` backs up, which loses nothing, and a failed backup stops that
 * database rather than asking whether to go on without one.
 */
function unattended(policy: BackupPolicy): BackupPolicy {
  return {
    mode: policy.mode === 'never' ? 'never' : 'always',
    folder: policy.folder,
    ...(policy.onResult && { onResult: policy.onResult }),
  };
}

function resultOf(result: RunResult): Pick<FleetRow, 'result' | 'detail'> {
  switch (result.outcome.kind) {
    case 'ok':
      return { result: 'migrated' };
    case 'no-change':
      return { result: 'no-change' };
    case 'short-limit':
      return { result: 'failed', detail: result.outcome.error.message };
    case 'cancelled':
      return { result: 'stopped', detail: `stopped after ${result.steps.length} migration(s), clean` };
    case 'declined':
      return { result: 'stopped', detail: 'the backup was declined: nothing ran' };
  }
}

/** What an error means for the row: nothing ran (dirty, locked, unreachable, stopped while waiting) or a failure. */
function failureOf(error: unknown, from: DatabaseVersion | undefined): Pick<FleetRow, 'result' | 'detail' | 'to'> {
  const detail = errorMessage(error);
  if (error instanceof DirtyDatabaseError) return { result: 'dirty', detail, ...(from && { to: from }) };
  if (error instanceof LockNotAcquiredError) return { result: 'locked', detail, ...(from && { to: from }) };
  if (error instanceof LockWaitCancelledError) return { result: 'stopped', detail, ...(from && { to: from }) };
  if (from === undefined && (error instanceof DatabaseConnectionError || error instanceof NoDatabaseNameError)) {
    return { result: 'unreachable', detail };
  }
  if (error instanceof MigrationFailedError) {
    return { result: 'failed', detail, to: { version: error.targetVersion, dirty: true } };
  }
  return { result: 'failed', detail };
}
