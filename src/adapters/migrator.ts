/**
 * Runs one golang-migrate command against MySQL: connect, take the lock, make sure the version table exists, read the
 * version, plan with the core, then run the steps with one durable version write each (see `VersionMark`). The lock is
 * released and the connection closed whatever happens. Cancellation is honoured between migrations, never inside one.
 */
import { buildCatalog } from '../core/catalog';
import { InvalidVersionError, MigrationFailedError, NilVersionError, ShortLimitError } from '../core/errors';
import { type DatabaseVersion, type Direction, NIL_VERSION } from '../core/model';
import { type PlannedStep, planMigrations } from '../core/plan';
import { statementAt } from '../core/statements';
import { formatStepLog } from '../core/step-log';
import { listMigrationFolder, readSourceFile } from './file-source';
import { MigrationDatabase, ScriptFailedError } from './mysql/database';
import type { DatabaseConfig } from './mysql/dsn';

export type MigrateRequest =
  | { readonly kind: 'up'; readonly limit?: number }
  /** No limit: every applied migration (golang-migrate's `down -all`). */
  | { readonly kind: 'down'; readonly limit?: number }
  | { readonly kind: 'goto'; readonly version: bigint }
  | { readonly kind: 'force'; readonly version: bigint }
  | { readonly kind: 'version' }
  | { readonly kind: 'drop' };

/** One step as it runs. */
export interface StepInfo {
  readonly version: bigint;
  readonly direction: Direction;
  readonly targetVersion: bigint;
  /** Absent when the version has no file for this direction: the version moves and no SQL runs. */
  readonly fileName?: string;
  readonly identifier?: string;
}

export type ProgressEvent =
  | { readonly kind: 'start'; readonly step: StepInfo; readonly index: number; readonly total: number }
  | { readonly kind: 'done'; readonly step: StepInfo; readonly durationMs: number; readonly logLine: string }
  | { readonly kind: 'failed'; readonly step: StepInfo; readonly durationMs: number; readonly error: unknown };

/** Callbacks a later feature (a ledger of what ran) hooks into; the migrator awaits each. */
export interface MigrationHooks {
  onStepStart?(step: StepInfo, database: MigrationDatabase): Promise<void> | void;
  /**
   * The step's SQL finished; the table marks it dirty until the next step's write or the run's final clean one.
   * `sql` is the file's text as it ran (undefined for a step without a file).
   */
  onStepDone?(
    step: StepInfo,
    durationMs: number,
    database: MigrationDatabase,
    sql: string | undefined,
  ): Promise<void> | void;
  onStepFailed?(step: StepInfo, error: unknown, database: MigrationDatabase, durationMs: number): Promise<void> | void;
}

export interface MigratorOptions {
  /** The migrations folder. */
  readonly folder: string;
  readonly database: DatabaseConfig;
  /** Seconds to wait for another runner's lock (golang-migrate: 10). */
  readonly lockTimeoutSeconds?: number;
  /** Checked between migrations: once aborted, no further migration starts. */
  readonly signal?: AbortSignal;
  readonly hooks?: MigrationHooks;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export type MigrateOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'no-change' }
  /** Fewer migrations existed than asked for; the ones that existed were applied. A failure for the exit status. */
  | { readonly kind: 'short-limit'; readonly error: ShortLimitError }
  | { readonly kind: 'cancelled' };

export interface MigrateResult {
  readonly outcome: MigrateOutcome;
  readonly steps: readonly { readonly step: StepInfo; readonly durationMs: number }[];
  /** The version table after the command (for `drop`: nil, the table is gone). */
  readonly version: DatabaseVersion;
  /** Tables removed by `drop`. */
  readonly droppedTables?: readonly string[];
}

/** A file that cannot be sent as text: golang-migrate would send its raw bytes, we refuse instead. */
export class InvalidMigrationEncodingError extends Error {
  override readonly name = 'InvalidMigrationEncodingError';
  readonly code = 'invalid-migration-encoding';

  constructor(readonly fileName: string) {
    super(`${fileName} is not valid UTF-8: save it as UTF-8, then retry. Nothing ran for it.`);
  }
}

const NIL_CLEAN: DatabaseVersion = { version: NIL_VERSION, dirty: false };

/** Runs one command; throws the core's typed errors (dirty, no migration found, migration failed, lock, ...). */
export async function migrate(request: MigrateRequest, options: MigratorOptions): Promise<MigrateResult> {
  if (request.kind === 'force' && request.version < -1n) throw new InvalidVersionError(request.version, 'force');
  const database = await MigrationDatabase.open(options.database, {
    ...(options.lockTimeoutSeconds !== undefined && { lockTimeoutSeconds: options.lockTimeoutSeconds }),
  });
  try {
    await database.lock();
    await database.ensureVersionTable();
    switch (request.kind) {
      case 'version': {
        const version = await database.readVersion();
        if (version.version < 0n) throw new NilVersionError();
        return { outcome: { kind: 'ok' }, steps: [], version };
      }
      case 'force':
        await database.setVersion(request.version, false);
        return { outcome: { kind: 'ok' }, steps: [], version: { version: request.version, dirty: false } };
      case 'drop': {
        const droppedTables = await database.dropAllTables();
        return { outcome: { kind: 'ok' }, steps: [], version: NIL_CLEAN, droppedTables };
      }
      default:
        return await runPlan(database, request, options);
    }
  } finally {
    await database.close();
  }
}

async function runPlan(
  database: MigrationDatabase,
  request: Extract<MigrateRequest, { kind: 'up' | 'down' | 'goto' }>,
  options: MigratorOptions,
): Promise<MigrateResult> {
  const current = await database.readVersion();
  const catalog = buildCatalog((await listMigrationFolder(options.folder)).files);
  const plan = planMigrations(catalog, current, request);
  if (plan.outcome.kind === 'error' && !(plan.outcome.error instanceof ShortLimitError)) throw plan.outcome.error;

  const done: { step: StepInfo; durationMs: number }[] = [];
  const mark = new VersionMark(database);
  let version = current;
  const steps = plan.steps.map(stepInfo);
  let nextText = readAhead(options.folder, steps[0]);
  try {
    for (const [index, step] of steps.entries()) {
      if (options.signal?.aborted) break;
      // The next file is read while this one runs, as golang-migrate prefetches; its errors surface at its turn.
      const text = nextText;
      nextText = readAhead(options.folder, steps[index + 1]);
      const durationMs = await runStep(database, mark, step, text, index, steps.length, options);
      done.push({ step, durationMs });
      version = { version: step.targetVersion, dirty: false };
    }
  } catch (error) {
    // A failed migration keeps its own (target, dirty); anything else stops after a finished one, which is then clean.
    await mark.settle().catch(() => undefined);
    throw error;
  }
  await mark.settle();
  if (done.length < steps.length) return { outcome: { kind: 'cancelled' }, steps: done, version };
  switch (plan.outcome.kind) {
    case 'ok':
      return { outcome: { kind: 'ok' }, steps: done, version };
    case 'no-change':
      return { outcome: { kind: 'no-change' }, steps: done, version };
    case 'error':
      return { outcome: { kind: 'short-limit', error: plan.outcome.error as ShortLimitError }, steps: done, version };
  }
}

function stepInfo(planned: PlannedStep): StepInfo {
  return {
    version: planned.version,
    direction: planned.direction,
    targetVersion: planned.targetVersion,
    ...(planned.file && { fileName: planned.file.fileName, identifier: planned.file.identifier }),
  };
}

/**
 * golang-migrate writes (target, dirty), runs the file, writes (target, clean) for every step: two durable version
 * transactions per migration. This writes (target, dirty) before each step and nothing after it: the next step's dirty
 * write also records that this one finished, and `settle` writes (last, clean) once when the run stops. The table
 * only ever holds states golang-migrate also passes through, a failed step leaves exactly (target, dirty) as
 * golang-migrate does, and a crash after a step finished leaves it dirty, as a crash before golang-migrate's clean
 * write does.
 */
class VersionMark {
  /** The target of the last finished step while the table still marks it dirty. */
  private finishedDirty: bigint | undefined;

  constructor(private readonly database: MigrationDatabase) {}

  async running(targetVersion: bigint): Promise<void> {
    await this.database.setVersion(targetVersion, true);
    this.finishedDirty = undefined;
  }

  finished(targetVersion: bigint): void {
    this.finishedDirty = targetVersion;
  }

  /** Writes (last finished, clean) if the table still marks it dirty. */
  async settle(): Promise<void> {
    if (this.finishedDirty === undefined) return;
    await this.database.setVersion(this.finishedDirty, false);
    this.finishedDirty = undefined;
  }
}

/** One step; returns its duration in milliseconds. */
async function runStep(
  database: MigrationDatabase,
  mark: VersionMark,
  step: StepInfo,
  readText: Promise<string | undefined>,
  index: number,
  total: number,
  options: MigratorOptions,
): Promise<number> {
  const started = performance.now();
  options.onProgress?.({ kind: 'start', step, index, total });
  await options.hooks?.onStepStart?.(step, database);
  let text: string | undefined;
  try {
    text = await readText;
    await mark.running(step.targetVersion);
    if (text !== undefined) await runMigrationText(database, step, text);
    mark.finished(step.targetVersion);
  } catch (error) {
    const durationMs = performance.now() - started;
    options.onProgress?.({ kind: 'failed', step, durationMs, error });
    await options.hooks?.onStepFailed?.(step, error, database, durationMs);
    throw error;
  }
  const durationMs = performance.now() - started;
  await options.hooks?.onStepDone?.(step, durationMs, database, text);
  const logLine = formatStepLog(step.version, step.direction, step.identifier, durationMs * 1e6);
  options.onProgress?.({ kind: 'done', step, durationMs, logLine });
  return durationMs;
}

/** Starts reading a step's file (undefined when it has none); a failure is kept for whoever awaits the promise. */
function readAhead(folder: string, step: StepInfo | undefined): Promise<string | undefined> {
  if (step?.fileName === undefined) return Promise.resolve(undefined);
  const text = readMigrationText(folder, step.fileName);
  // Handled where the step awaits it; a run that stops earlier never needs it.
  text.catch(() => undefined);
  return text;
}

async function readMigrationText(folder: string, fileName: string): Promise<string> {
  const file = await readSourceFile(folder, fileName);
  if (file.invalidUtf8) throw new InvalidMigrationEncodingError(fileName);
  return file.content;
}

async function runMigrationText(database: MigrationDatabase, step: StepInfo, text: string): Promise<void> {
  try {
    await database.runScript(text);
  } catch (error) {
    if (!(error instanceof ScriptFailedError)) throw error;
    const statement = statementAt(text, error.statementIndex);
    const timedOut =
      error.timedOutAfterMs === undefined ? '' : ` (stopped by x-statement-timeout after ${error.timedOutAfterMs} ms)`;
    throw new MigrationFailedError({
      version: step.version,
      direction: step.direction,
      ...(step.fileName !== undefined && { fileName: step.fileName }),
      targetVersion: step.targetVersion,
      statementIndex: error.statementIndex,
      ...(statement && { line: statement.line }),
      ...(error.serverError.errno !== undefined && { serverCode: error.serverError.errno }),
      serverMessage: `${error.message.replace(/\.+$/, '')}${timedOut}`,
      cause: error,
    });
  }
}
