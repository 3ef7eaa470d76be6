/**
 * One run against one database, for both faces: the source is read and checked before anything connects, then one
 * database session serves the preview, the run, the ledger and the look afterwards. `preview` plans from the files on
 * disk without locking or creating anything; `run` takes the lock, plans again and refuses when the files or the
 * database moved since the preview, backs up before going down, and runs the steps.
 */
import { buildCatalog, type Catalog } from '../core/catalog';
import {
  type ForceChoices,
  InvalidVersionError,
  NilVersionError,
  PlanChangedError,
  ShortLimitError,
  SourceUnreadableError,
} from '../core/errors';
import { type DatabaseVersion, type LockHolder, NIL_VERSION } from '../core/model';
import { planMigrations, type MigrationPlan, type PlanRequest } from '../core/plan';
import type {
  BackupResult,
  DatabaseLook,
  LedgerRecord,
  MigrationSource,
  MigrationTarget,
  SourceListing,
} from '../core/run-ports';
import { driftVerdicts, type DriftVerdict, type LedgerEntry } from '../core/safety-drift';
import { forceChoicesFromLedger } from '../core/safety-recovery';
import type { BackupPolicy as BackupMode } from '../core/safety-settings';
import { backupScopeOfScripts } from '../core/safety-tables';
import { runSteps, type FinishedStep, type ProgressEvent, type StepWithText } from './run-steps';

export interface RunSettings {
  /** Seconds to wait for another run's lock (golang-migrate: 10). */
  readonly lockTimeoutSeconds: number;
  /** Create the ledger table when missing (the default); false records only into one that exists. */
  readonly createLedger: boolean;
  /** The sql_mode the database URL starts sessions in, which decides how down files are read for the backup scope. */
  readonly sqlMode?: string;
}

/** What a run would do, read from the files on disk and the database as they are now. */
export interface Preview {
  readonly request: PlanRequest;
  readonly catalog: Catalog;
  readonly subdirectories: readonly string[];
  /** The database's version; nil when the version table does not exist yet. */
  readonly current: DatabaseVersion;
  /** Another session holds golang-migrate's lock: a run is going on there. */
  readonly lockHolder?: LockHolder;
  readonly plan: MigrationPlan;
  /** The plan's steps with the text each runs. */
  readonly steps: readonly StepWithText[];
}

/** How Backup Before Going Down decides; the faces supply `ask` (a dialog, a terminal question). */
export interface BackupPolicy {
  readonly mode: BackupMode;
  /** Absolute folder for the dump. */
  readonly folder: string;
  /** For `ask`: back up, go on without, or stop before anything runs. */
  readonly ask?: (what: readonly string[] | 'all') => Promise<'back-up' | 'skip' | 'cancel'>;
  /** The backup failed: true goes on without it; stopping is the default. */
  readonly goOnAfterFailure?: (error: unknown) => Promise<boolean>;
  /** Told when a backup was written, or why none was needed. */
  readonly onResult?: (result: BackupResult | undefined, scope: readonly string[] | 'all') => void;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Awaited when it returns a promise: nothing more is sent to the server until it settles. */
  readonly onProgress?: (event: ProgressEvent) => void | Promise<void>;
  /** Called about once a second while another session holds the lock. */
  readonly onLockWait?: (holder: LockHolder | undefined, waitedSeconds: number) => void;
  /** Without a policy nothing is backed up. */
  readonly backup?: BackupPolicy;
  /** A ledger that cannot be written never stops a run: this hears why nothing is recorded. */
  readonly onLedgerProblem?: (error: unknown) => void;
}

export type RunOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'no-change' }
  /** Fewer migrations existed than asked for; the ones that existed were applied. A failure for the exit status. */
  | { readonly kind: 'short-limit'; readonly error: ShortLimitError }
  | { readonly kind: 'cancelled' }
  /** The backup question was answered with cancel: nothing ran. */
  | { readonly kind: 'declined' };

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly steps: readonly FinishedStep[];
  /** The version table after the command. */
  readonly version: DatabaseVersion;
  readonly backup?: BackupResult;
  /** Tables removed by `drop`. */
  readonly droppedTables?: readonly string[];
}

/** A look at the database, read-only, with what the ledger recorded. */
export interface DatabaseState {
  /** Undefined when the version table does not exist yet. */
  readonly version: DatabaseVersion | undefined;
  readonly lockHolder?: LockHolder;
  /** Undefined when there is no ledger table. */
  readonly ledger: readonly LedgerEntry[] | undefined;
}

/** What `status` reads: the folder, the database and what the ledger says of each applied file. */
export interface StatusSnapshot {
  readonly catalog: Catalog;
  readonly subdirectories: readonly string[];
  readonly state: DatabaseState;
  /** By version: how each applied up file compares with what ran. */
  readonly drift: ReadonlyMap<bigint, DriftVerdict>;
  /** The two versions to force, when the database is dirty and no run holds the lock. */
  readonly choices?: ForceChoices;
}

export class RunSession {
  private opened: Promise<MigrationTarget> | undefined;

  constructor(
    private readonly source: MigrationSource,
    private readonly connect: () => Promise<MigrationTarget>,
    private readonly settings: RunSettings,
  ) {}

  /** The folder read and checked as golang-migrate opens its source: before any connection. */
  async readSource(): Promise<{ catalog: Catalog; listing: SourceListing }> {
    const listing = await this.source.list();
    const catalog = buildCatalog(listing.files);
    if (catalog.sourceError) throw catalog.sourceError.in(this.source.location);
    return { catalog, listing };
  }

  /** Plans `request` from the files on disk and the database's version; locks nothing, creates nothing. */
  async preview(request: PlanRequest): Promise<Preview> {
    const { catalog, listing } = await this.readSource();
    const target = await this.target();
    const look = await target.look();
    const current = look.version ?? { version: NIL_VERSION, dirty: false };
    const plan = await this.plan(target, catalog, current, request);
    return {
      request,
      catalog,
      subdirectories: listing.subdirectories,
      current,
      ...(look.lockHolder && { lockHolder: look.lockHolder }),
      plan,
      steps: await this.withTexts(listing, plan),
    };
  }

  /**
   * Runs a request as golang-migrate does, planned under the lock (the command line), or exactly what a `preview`
   * showed someone: then, under the lock, it reads the version and the files again and refuses, with nothing run,
   * when the steps or their texts differ from the preview's. It backs up per `options.backup` before going down, and
   * runs the steps. Plan refusals (dirty, no migration found, ...) are thrown as the core's errors.
   */
  async run(what: Preview | PlanRequest, options: RunOptions = {}): Promise<RunResult> {
    const previewed = 'plan' in what ? what : undefined;
    const request = previewed?.request ?? (what as PlanRequest);
    const { catalog, listing } = await this.readSource();
    return this.underLock(options, async (target) => {
      const current = await target.readVersion();
      const plan = await this.plan(target, catalog, current, request);
      if (plan.outcome.kind === 'error' && !(plan.outcome.error instanceof ShortLimitError)) throw plan.outcome.error;
      const steps = await this.withTexts(listing, plan);
      const change = previewed && differenceFrom(previewed.steps, steps);
      if (change !== undefined) throw new PlanChangedError(change);
      if (plan.outcome.kind === 'no-change') return { outcome: { kind: 'no-change' }, steps: [], version: current };

      const backup = await this.backUpBeforeDown(target, steps, current.version, options.backup);
      if (backup === 'cancel') return { outcome: { kind: 'declined' }, steps: [], version: current };
      await this.prepareLedger(target, options);
      const ran = await runSteps(target, catalog, steps, current, options);
      const withBackup = backup === undefined ? {} : { backup };
      if (ran.done.length < steps.length)
        return { outcome: { kind: 'cancelled' }, steps: ran.done, version: ran.version, ...withBackup };
      const outcome =
        plan.outcome.kind === 'error'
          ? ({ kind: 'short-limit', error: plan.outcome.error as ShortLimitError } as const)
          : ({ kind: 'ok' } as const);
      return { outcome, steps: ran.done, version: ran.version, ...withBackup };
    });
  }

  /**
   * golang-migrate's `force V` (V >= -1): (V, clean) under the lock whatever the state. `ledger` rows (a recovery:
   * the failed migration marked applied or not) are written in the same transaction.
   */
  async force(version: bigint, options: RunOptions = {}, ledger: readonly LedgerRecord[] = []): Promise<RunResult> {
    if (version < NIL_VERSION) throw new InvalidVersionError(version, 'force');
    await this.readSource();
    return this.underLock(options, async (target) => {
      if (ledger.length > 0) await this.prepareLedger(target, options);
      await target.setVersion(version, false, ledger);
      return { outcome: { kind: 'ok' }, steps: [], version: { version, dirty: false } };
    });
  }

  /** golang-migrate's `drop`: every table, the version table included; backs up every table first per policy. */
  async drop(options: RunOptions = {}): Promise<RunResult> {
    await this.readSource();
    return this.underLock(options, async (target) => {
      const current = await target.readVersion();
      const backup = options.backup && (await this.backUp(target, 'all', current.version, options.backup));
      if (backup === 'cancel') return { outcome: { kind: 'declined' }, steps: [], version: current };
      const droppedTables = await target.dropAllTables();
      return {
        outcome: { kind: 'ok' },
        steps: [],
        version: { version: NIL_VERSION, dirty: false },
        droppedTables,
        ...(backup && { backup }),
      };
    });
  }

  /** golang-migrate's `version`: under the lock, making the version table if missing; no version is an error. */
  async version(options: RunOptions = {}): Promise<DatabaseVersion> {
    await this.readSource();
    return this.underLock(options, async (target) => {
      const version = await target.readVersion();
      if (version.version < 0n) throw new NilVersionError();
      return version;
    });
  }

  /** The version, the lock holder and the ledger, read-only (no lock, nothing created). */
  async look(): Promise<DatabaseState> {
    return lookAt(await this.target());
  }

  /** The version and the lock holder only, read-only: `look` without reading the ledger. */
  async lookAtVersion(): Promise<DatabaseLook> {
    return (await this.target()).look();
  }

  /** The database the version table lives in (the URL's, or the server's current one). */
  async databaseName(): Promise<string> {
    return (await this.target()).databaseName;
  }

  /**
   * The folder, the database and the ledger, read-only, with the drift of every applied up file from what the ledger
   * recorded when it ran (the files are read only when there is a ledger to compare them with).
   */
  async status(): Promise<StatusSnapshot> {
    const { catalog, listing } = await this.readSource();
    const state = await this.look();
    const current = state.version ?? { version: NIL_VERSION, dirty: false };
    const applied = catalog.migrations.filter((migration) => migration.version <= current.version && migration.up);
    const contents = new Map<string, string>();
    if (state.ledger !== undefined) {
      for (const { up } of applied) {
        const text = await this.source.read(up!.fileName).catch(() => undefined);
        if (text !== undefined) contents.set(up!.fileName, text);
      }
    }
    const drift = state.ledger === undefined ? [] : driftVerdicts(catalog, current, contents, state.ledger);
    const failed = current.dirty && state.lockHolder === undefined;
    return {
      catalog,
      subdirectories: listing.subdirectories,
      state,
      drift: new Map(drift.map((verdict) => [verdict.version, verdict])),
      ...(failed && { choices: forceChoicesFromLedger(catalog, current.version, state.ledger) }),
    };
  }

  /** Backs up every table now, whatever the policy's mode. */
  async backUpNow(folder: string): Promise<BackupResult | undefined> {
    const target = await this.target();
    const look = await target.look();
    return target.backup('all', look.version?.version ?? NIL_VERSION, folder);
  }

  /** Closes the database session, if one was opened; never throws. */
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    await (await opened?.catch(() => undefined))?.close();
  }

  private target(): Promise<MigrationTarget> {
    this.opened ??= this.connect();
    return this.opened;
  }

  /**
   * `work` on the session with golang-migrate's lock taken and the version table made, as golang-migrate does on
   * connect; the lock is released afterwards, whatever happens.
   */
  private async underLock<T>(options: RunOptions, work: (target: MigrationTarget) => Promise<T>): Promise<T> {
    const target = await this.target();
    await target.lock({
      totalSeconds: this.settings.lockTimeoutSeconds,
      ...(options.signal && { signal: options.signal }),
      ...(options.onLockWait && { onWaiting: options.onLockWait }),
    });
    try {
      await target.ensureVersionTable();
      return await work(target);
    } finally {
      // A session that was lost took its lock with it: failing to release it must not hide why the work stopped.
      await target.unlock().catch(() => undefined);
    }
  }

  private async prepareLedger(target: MigrationTarget, options: RunOptions): Promise<void> {
    try {
      await target.prepareLedger(this.settings.createLedger);
    } catch (error) {
      options.onLedgerProblem?.(error);
    }
  }

  /** Plans; a dirty database's advice names the right versions, which the ledger's record of the failure decides. */
  private async plan(
    target: MigrationTarget,
    catalog: Catalog,
    current: DatabaseVersion,
    request: PlanRequest,
  ): Promise<MigrationPlan> {
    if (!current.dirty) return planMigrations(catalog, current, request);
    return planMigrations(catalog, current, request, await target.ledgerEntries());
  }

  /**
   * The plan's steps with their files' text; a file that cannot be read keeps its error for its turn. An entry the
   * listing found unreadable is never opened (a named pipe would block the read).
   */
  private async withTexts(listing: SourceListing, plan: MigrationPlan): Promise<StepWithText[]> {
    const unreadable = new Map(
      listing.files.flatMap((file) => (file.unreadable === undefined ? [] : [[file.name, file.unreadable] as const])),
    );
    const steps: StepWithText[] = [];
    for (const planned of plan.steps) {
      const step = {
        version: planned.version,
        direction: planned.direction,
        targetVersion: planned.targetVersion,
        ...(planned.file && { fileName: planned.file.fileName, identifier: planned.file.identifier }),
      };
      if (!planned.file) {
        steps.push(step);
        continue;
      }
      const reason = unreadable.get(planned.file.fileName);
      if (reason !== undefined) {
        const where = `${this.source.location}/${planned.file.fileName}`;
        steps.push({ ...step, unreadable: new SourceUnreadableError(where, reason) });
        continue;
      }
      try {
        steps.push({ ...step, text: await this.source.read(planned.file.fileName) });
      } catch (error) {
        steps.push({ ...step, unreadable: error as Error });
      }
    }
    return steps;
  }

  /** Before the first down step: the tables the down files can lose data in, backed up per policy. */
  private async backUpBeforeDown(
    target: MigrationTarget,
    steps: readonly StepWithText[],
    version: bigint,
    policy: BackupPolicy | undefined,
  ): Promise<BackupResult | 'cancel' | undefined> {
    if (!policy || policy.mode === 'never') return undefined;
    const downs = steps.filter((step) => step.direction === 'down' && step.text !== undefined);
    if (downs.length === 0) return undefined;
    const scope = backupScopeOfScripts(
      downs.map((step) => step.text!),
      this.settings.sqlMode,
    );
    if (scope !== 'all' && scope.length === 0) {
      policy.onResult?.(undefined, scope);
      return undefined;
    }
    return this.backUp(target, scope, version, policy);
  }

  private async backUp(
    target: MigrationTarget,
    scope: readonly string[] | 'all',
    version: bigint,
    policy: BackupPolicy,
  ): Promise<BackupResult | 'cancel' | undefined> {
    if (policy.mode === 'never') return undefined;
    if (policy.mode === 'ask' && policy.ask) {
      const answer = await policy.ask(scope);
      if (answer === 'cancel') return 'cancel';
      if (answer === 'skip') return undefined;
    }
    try {
      const result = await target.backup(scope, version, policy.folder);
      policy.onResult?.(result, scope);
      return result;
    } catch (error) {
      if (await policy.goOnAfterFailure?.(error)) return undefined;
      throw error;
    }
  }
}

/** The version, the lock holder and the ledger of `target`, read-only. */
export async function lookAt(target: MigrationTarget): Promise<DatabaseState> {
  const look = await target.look();
  return { ...look, ledger: await target.ledgerEntries() };
}

/**
 * Why the steps about to run differ from the previewed ones (by version, direction and file text, not by name), or
 * undefined when they are the same.
 */
function differenceFrom(previewed: readonly StepWithText[], now: readonly StepWithText[]): string | undefined {
  const label = (step: StepWithText) => `${step.version}/${step.direction === 'up' ? 'u' : 'd'}`;
  for (let index = 0; index < Math.max(previewed.length, now.length); index++) {
    const before = previewed[index];
    const after = now[index];
    if (!before) return `${label(after)} would run, and was not in the preview`;
    if (!after) return `${label(before)} was in the preview, and would not run now`;
    if (before.version !== after.version || before.direction !== after.direction) {
      return `${label(after)} would run where the preview had ${label(before)}`;
    }
    if (before.text !== after.text) return `${after.fileName ?? label(after)} changed on disk`;
  }
  return undefined;
}
