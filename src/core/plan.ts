import type { Catalog } from './catalog';
import {
  DirtyDatabaseError,
  FileDoesNotExistError,
  InvalidVersionError,
  type MigrationLensError,
  NoMigrationForVersionError,
  ShortLimitError,
} from './errors';
import { type DatabaseVersion, type Direction, type MigrationFileName, NIL_VERSION } from './model';
import type { LedgerEntry } from './safety-drift';
import { forceChoicesFromLedger } from './safety-recovery';

/** What the user asked for: `up [N]`, `down [N]` (no limit: all) or `goto V`. */
export type PlanRequest =
  | { readonly kind: 'up'; readonly limit?: number }
  | { readonly kind: 'down'; readonly limit?: number }
  | { readonly kind: 'goto'; readonly version: bigint };

/** One step: set (targetVersion, dirty), run `file` if there is one, set (targetVersion, clean). */
export interface PlannedStep {
  /** The version whose file runs. */
  readonly version: bigint;
  readonly direction: Direction;
  /** The version recorded after the step; NIL_VERSION when going below the first migration. */
  readonly targetVersion: bigint;
  /** Absent when the version has no file for this direction: the version moves and no SQL runs. */
  readonly file?: MigrationFileName;
}

/** How golang-migrate ends once the steps have run: success, "no change" (also success) or an error. */
export type PlanOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'no-change' }
  | { readonly kind: 'error'; readonly error: MigrationLensError };

/** The steps golang-migrate would run, in order, then its outcome. A refusal is an error with no steps. */
export interface MigrationPlan {
  readonly steps: readonly PlannedStep[];
  readonly outcome: PlanOutcome;
}

const OK: PlanOutcome = { kind: 'ok' };
const NO_CHANGE: PlanOutcome = { kind: 'no-change' };

/**
 * Plans `up`, `down` or `goto` exactly as golang-migrate's `Steps`, `Up`, `Down` and `Migrate` with its `readUp`,
 * `readDown` and `read`: same checks in the same order, same steps, same final error. Limits must be non-negative
 * integers (the command line parses them).
 */
export function planMigrations(
  catalog: Catalog,
  current: DatabaseVersion,
  request: PlanRequest,
  /** What the ledger recorded, when known: a dirty database's advice depends on the direction of the failed run. */
  ledger?: readonly LedgerEntry[],
): MigrationPlan {
  const sourceError = catalog.sourceError;
  if (sourceError) return refuse(sourceError);
  if (request.kind === 'goto' && request.version < 0n) return refuse(new InvalidVersionError(request.version, 'goto'));
  if (request.kind !== 'goto' && request.limit !== undefined) {
    if (!Number.isSafeInteger(request.limit) || request.limit < 0) {
      throw new RangeError(`limit must be a non-negative integer, got ${request.limit}`);
    }
    // Steps(0) returns "no change" before it locks or reads the version.
    if (request.limit === 0) return { steps: [], outcome: NO_CHANGE };
  }
  if (current.dirty) {
    return refuse(new DirtyDatabaseError(current.version, forceChoicesFromLedger(catalog, current.version, ledger)));
  }
  if (current.version >= 0n && !catalog.has(current.version)) {
    return refuse(new NoMigrationForVersionError(current.version));
  }
  const planner = new Planner(catalog);
  switch (request.kind) {
    case 'up':
      return planner.readUp(current.version, request.limit ?? -1);
    case 'down':
      return planner.readDown(current.version, request.limit ?? -1);
    case 'goto':
      return planner.read(current.version, request.version);
  }
}

function refuse(error: MigrationLensError): MigrationPlan {
  return { steps: [], outcome: { kind: 'error', error } };
}

class Planner {
  private readonly steps: PlannedStep[] = [];

  constructor(private readonly catalog: Catalog) {}

  readUp(from: bigint, limit: number): MigrationPlan {
    let count = 0;
    while (count < limit || limit === -1) {
      if (from === NIL_VERSION) {
        const first = this.catalog.first();
        if (first === undefined) return this.fail(new FileDoesNotExistError('the folder has no migration to apply'));
        this.step(first, first);
        from = first;
        count++;
        continue;
      }
      const next = this.catalog.next(from);
      if (next === undefined) {
        if (limit === -1) return this.end(count === 0 ? NO_CHANGE : OK);
        if (count === 0) return this.fail(new FileDoesNotExistError(`no migration above version ${from} to apply`));
        return this.fail(new ShortLimitError(limit - count, 'up'));
      }
      this.step(next, next);
      from = next;
      count++;
    }
    return this.end(OK);
  }

  readDown(from: bigint, limit: number): MigrationPlan {
    if (from === NIL_VERSION) {
      if (limit === -1) return this.end(NO_CHANGE);
      return this.fail(new FileDoesNotExistError('the database has no version to roll back'));
    }
    let count = 0;
    while (count < limit || limit === -1) {
      const prev = this.catalog.prev(from);
      if (prev === undefined) {
        this.step(from, NIL_VERSION);
        count++;
        return count < limit ? this.fail(new ShortLimitError(limit - count, 'down')) : this.end(OK);
      }
      this.step(from, prev);
      from = prev;
      count++;
    }
    return this.end(OK);
  }

  read(from: bigint, to: bigint): MigrationPlan {
    if (!this.catalog.has(to)) return this.fail(new NoMigrationForVersionError(to));
    if (from === to) return this.end(NO_CHANGE);
    if (from < to) {
      if (from === NIL_VERSION) {
        from = this.catalog.first()!;
        this.step(from, from);
      }
      while (from < to) {
        from = this.catalog.next(from)!;
        this.step(from, from);
      }
      return this.end(OK);
    }
    while (from > to) {
      const prev = this.catalog.prev(from)!;
      this.step(from, prev);
      from = prev;
    }
    return this.end(OK);
  }

  /** golang-migrate's `newMigration`: the up file when the target is at or above the version, else the down file. */
  private step(version: bigint, targetVersion: bigint): void {
    const direction: Direction = targetVersion >= version ? 'up' : 'down';
    const migration = this.catalog.get(version);
    const file = direction === 'up' ? migration?.up : migration?.down;
    this.steps.push(file ? { version, direction, targetVersion, file } : { version, direction, targetVersion });
  }

  private end(outcome: PlanOutcome): MigrationPlan {
    return { steps: this.steps, outcome };
  }

  private fail(error: MigrationLensError): MigrationPlan {
    return this.end({ kind: 'error', error });
  }
}
