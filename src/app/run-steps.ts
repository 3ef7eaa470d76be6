/**
 * Runs the steps of a plan against a locked database: one durable version write per migration, the ledger's rows in
 * those same transactions, the open-transaction rule, and cancellation between migrations only.
 */
import type { Catalog } from '../core/catalog';
import { MigrationFailedError, serverErrorText, type MigrationFailure } from '../core/errors';
import type { DatabaseVersion, Direction } from '../core/model';
import type { LedgerRecord, MigrationTarget, ScriptOutcome } from '../core/run-ports';
import { checksumsOf } from '../core/safety-checksum';
import type { LedgerError } from '../core/safety-drift';
import { forceChoices } from '../core/safety-recovery';
import { statementAt } from '../core/statements';
import { formatStepLog } from '../core/step-log';

/** One step as it runs. */
export interface StepInfo {
  readonly version: bigint;
  readonly direction: Direction;
  readonly targetVersion: bigint;
  /** Absent when the version has no file for this direction: the version moves and no SQL runs. */
  readonly fileName?: string;
  readonly identifier?: string;
}

/** A step with the text it runs, read before the run started; `unreadable` when its file could not be read. */
export interface StepWithText extends StepInfo {
  readonly text?: string;
  readonly unreadable?: Error;
}

export type ProgressEvent =
  | { readonly kind: 'start'; readonly step: StepInfo; readonly index: number; readonly total: number }
  | { readonly kind: 'done'; readonly step: StepInfo; readonly durationMs: number; readonly logLine: string }
  | { readonly kind: 'failed'; readonly step: StepInfo; readonly durationMs: number; readonly error: unknown };

export interface FinishedStep {
  readonly step: StepInfo;
  readonly durationMs: number;
}

export interface StepsOutcome {
  readonly done: readonly FinishedStep[];
  /** The version after the steps that finished (the one before them when none did). */
  readonly version: DatabaseVersion;
}

export interface StepOptions {
  readonly signal?: AbortSignal;
  /** Awaited when it returns a promise: nothing more is sent to the server until it settles. */
  readonly onProgress?: (event: ProgressEvent) => void | Promise<void>;
  /** A failure the ledger could not record (the failure itself is what the run throws). */
  readonly onLedgerProblem?: (error: unknown) => void;
}

/**
 * Runs `steps` in order. A step's SQL failing, or its file ending inside a transaction, throws
 * `MigrationFailedError` with the table at (target, dirty) as golang-migrate leaves it; a file that cannot be read
 * stops the run before its step touches the table, as golang-migrate stops. An abort takes effect between steps.
 */
export async function runSteps(
  target: MigrationTarget,
  catalog: Catalog,
  steps: readonly StepWithText[],
  start: DatabaseVersion,
  options: StepOptions,
): Promise<StepsOutcome> {
  const mark = new VersionMark(target);
  const done: FinishedStep[] = [];
  let version = start;
  try {
    for (const [index, step] of steps.entries()) {
      if (options.signal?.aborted) break;
      const started = performance.now();
      await options.onProgress?.({ kind: 'start', step, index, total: steps.length });
      try {
        if (step.unreadable) throw step.unreadable;
        if (step.text === undefined) await mark.running(step.targetVersion);
        else await failOn(await mark.runningWith(step.targetVersion, step.text), target, catalog, step, step.text);
      } catch (error) {
        const durationMs = performance.now() - started;
        await options.onProgress?.({ kind: 'failed', step, durationMs, error });
        if (error instanceof MigrationFailedError) {
          // The failure is what the run reports: a ledger that cannot record it (the session lost with the file) says
          // so apart.
          await target
            .recordLedger([{ kind: 'failed', version: step.version, failure: ledgerError(step, error), durationMs }])
            .catch((problem: unknown) => options.onLedgerProblem?.(problem));
        }
        throw error;
      }
      const durationMs = performance.now() - started;
      mark.finished(step.targetVersion, ledgerRecordOf(step, durationMs));
      done.push({ step, durationMs });
      version = { version: step.targetVersion, dirty: false };
      const logLine = formatStepLog(step.version, step.direction, step.identifier, durationMs * 1e6);
      await options.onProgress?.({ kind: 'done', step, durationMs, logLine });
    }
  } catch (error) {
    // A failed migration keeps its own (target, dirty); anything else stops after a finished one, which is then clean.
    if (!(error instanceof MigrationFailedError)) await mark.settle().catch(() => undefined);
    throw error;
  }
  await mark.settle();
  return { done, version };
}

/**
 * golang-migrate writes (target, dirty), runs the file, writes (target, clean) for every step: two durable version
 * transactions per migration. This writes (target, dirty) before each step and nothing after it: the next step's dirty
 * write also records that this one finished, together with its ledger row, and `settle` writes (last, clean) once
 * when the run stops. The table only ever holds states golang-migrate also passes through, a failed step leaves
 * exactly (target, dirty) as golang-migrate does, and a crash after a step finished leaves it dirty, as a crash before
 * golang-migrate's clean write does.
 */
class VersionMark {
  /** The target of the last finished step while the table still marks it dirty, and its ledger row not yet written. */
  private finishedDirty: { readonly version: bigint; readonly record: LedgerRecord } | undefined;

  constructor(private readonly target: MigrationTarget) {}

  /** Marks `targetVersion` dirty, for a step without a file: the version moves and no SQL runs. */
  async running(targetVersion: bigint): Promise<void> {
    await this.target.setVersion(targetVersion, true, this.pendingRecords());
    this.finishedDirty = undefined;
  }

  /** Marks `targetVersion` dirty and runs the step's file after it, in one round trip. */
  async runningWith(targetVersion: bigint, text: string): Promise<ScriptOutcome> {
    const outcome = await this.target.markDirtyAndRun(targetVersion, this.pendingRecords(), text);
    this.finishedDirty = undefined;
    return outcome;
  }

  private pendingRecords(): LedgerRecord[] {
    return this.finishedDirty ? [this.finishedDirty.record] : [];
  }

  finished(targetVersion: bigint, record: LedgerRecord): void {
    this.finishedDirty = { version: targetVersion, record };
  }

  /** Writes (last finished, clean) with its ledger row if the table still marks it dirty. */
  async settle(): Promise<void> {
    const finished = this.finishedDirty;
    if (finished === undefined) return;
    await this.target.setVersion(finished.version, false, [finished.record]);
    this.finishedDirty = undefined;
  }
}

/** How a step's file ended: a SQL failure, or a transaction left open, is the failure golang-migrate would report. */
async function failOn(
  outcome: ScriptOutcome,
  target: MigrationTarget,
  catalog: Catalog,
  step: StepInfo,
  text: string,
): Promise<void> {
  if (outcome.kind === 'done' && !outcome.transactionOpen) return;
  const failure: Omit<MigrationFailure, 'openTransaction' | 'serverMessage'> = {
    version: step.version,
    direction: step.direction,
    ...(step.fileName !== undefined && { fileName: step.fileName }),
    targetVersion: step.targetVersion,
    choices: forceChoices(catalog, step.targetVersion, step.direction === 'down' ? step.version : undefined),
  };
  if (outcome.kind === 'done') {
    // golang-migrate's next version write fails on the open transaction and its connection closes, which rolls the
    // transaction back: the changes are lost either way, so say so, and keep the version dirty.
    await target.rollbackOpenTransaction();
    throw new MigrationFailedError({ ...failure, openTransaction: true });
  }
  const statement = statementAt(text, outcome.statementIndex);
  const timedOut =
    outcome.timedOutAfterMs === undefined
      ? ''
      : ` (stopped by x-statement-timeout after ${outcome.timedOutAfterMs} ms)`;
  throw new MigrationFailedError({
    ...failure,
    statementIndex: outcome.statementIndex,
    ...(statement && { line: statement.line }),
    ...(outcome.serverCode !== undefined && { serverCode: outcome.serverCode }),
    serverMessage: `${outcome.serverMessage.replace(/\.+$/, '')}${timedOut}`,
  });
}

function ledgerRecordOf(step: StepWithText, durationMs: number): LedgerRecord {
  return step.direction === 'up'
    ? {
        kind: 'applied',
        version: step.version,
        ...(step.fileName !== undefined && { fileName: step.fileName }),
        ...(step.text !== undefined && { checksums: checksumsOf(step.text) }),
        durationMs,
      }
    : { kind: 'reverted', version: step.version, durationMs };
}

function ledgerError(step: StepInfo, error: MigrationFailedError): LedgerError {
  return {
    direction: step.direction,
    message: error.openTransaction
      ? 'left a transaction open; its uncommitted changes were rolled back'
      : serverErrorText(error.serverCode, error.serverMessage ?? error.message),
    ...(step.fileName !== undefined && { fileName: step.fileName }),
    ...(error.statementIndex !== undefined && { statementIndex: error.statementIndex }),
    ...(error.line !== undefined && { line: error.line }),
    at: new Date(),
  };
}
