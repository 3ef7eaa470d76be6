import type { Catalog } from './catalog';
import type { DatabaseVersion, MigrationFileName } from './model';
import { NIL_VERSION } from './model';

/**
 * Where a version stands. golang-migrate records only the current version, so "applied" for a version below it is an
 * inference unless a ledger says which versions really ran.
 */
export type MigrationState =
  | 'applied'
  | 'current'
  | 'pending'
  /** The database is dirty at this version: its migration failed part way. */
  | 'dirty'
  /** Another session holds golang-migrate's lock and is running this migration (the table marks it dirty meanwhile). */
  | 'running'
  /** The database's version has no file on disk; golang-migrate refuses up, down and goto. */
  | 'missing-on-disk'
  /** Below the current version yet never run: golang-migrate will never apply it. */
  | 'pending-below-current'
  /** No database information. */
  | 'unknown';

/** One row per version on disk, plus one for a database version that has no file. */
export interface MigrationStatus {
  readonly version: bigint;
  readonly state: MigrationState;
  /** Absent for a missing-on-disk row. */
  readonly identifier?: string;
  readonly up?: MigrationFileName;
  readonly down?: MigrationFileName;
  readonly upOnly: boolean;
  readonly downOnly: boolean;
  /** More than one file shares this version and a direction. */
  readonly duplicate: boolean;
}

/** The folder against the database at a glance. */
export interface StatusSummary {
  /** Undefined without database information; NIL_VERSION when the table has no version. */
  readonly currentVersion?: bigint;
  readonly dirty: boolean;
  readonly pendingCount: number;
  /** Applied rows, the current one included. */
  readonly appliedCount: number;
  readonly pendingBelowCurrentCount: number;
  /** The database's version has no file on disk. */
  readonly currentMissingOnDisk: boolean;
}

/** Every row of `migrationStatuses`, in version order, and its summary. */
export interface StatusReport {
  readonly rows: readonly MigrationStatus[];
  readonly summary: StatusSummary;
}

/** What is known of the database besides its version table's row. */
export interface StatusContext {
  /** Versions a ledger kept beside the table says ran: those below the current one not in it are pending-below. */
  readonly knownApplied?: ReadonlySet<bigint>;
  /** Another session holds golang-migrate's lock: a dirty version is running, not failed. */
  readonly runningElsewhere?: boolean;
}

/** Computes the state of every version; without `knownApplied`, versions below the current one count as applied. */
export function migrationStatuses(
  catalog: Catalog,
  database: DatabaseVersion | undefined,
  context: StatusContext = {},
): StatusReport {
  const duplicated = new Set(catalog.duplicates.map((duplicate) => duplicate.version));
  const rows: MigrationStatus[] = [];
  const current = database?.version;
  const missingOnDisk = current !== undefined && current !== NIL_VERSION && !catalog.has(current);
  let pendingCount = 0;
  let appliedCount = 0;
  let pendingBelowCurrentCount = 0;
  let missingRowPending = missingOnDisk;
  const addMissingRow = () => {
    rows.push({ version: current!, state: 'missing-on-disk', upOnly: false, downOnly: false, duplicate: false });
    missingRowPending = false;
  };
  for (const migration of catalog.migrations) {
    if (missingRowPending && current! < migration.version) addMissingRow();
    const state = stateOf(migration.version, database, context);
    if (state === 'pending') pendingCount++;
    else if (state === 'applied' || state === 'current') appliedCount++;
    else if (state === 'pending-below-current') pendingBelowCurrentCount++;
    rows.push({
      version: migration.version,
      state,
      identifier: migration.identifier,
      up: migration.up,
      down: migration.down,
      upOnly: migration.down === undefined,
      downOnly: migration.up === undefined,
      duplicate: duplicated.has(migration.version),
    });
  }
  if (missingRowPending) addMissingRow();
  return {
    rows,
    summary: {
      currentVersion: current,
      dirty: database?.dirty ?? false,
      pendingCount,
      appliedCount,
      pendingBelowCurrentCount,
      currentMissingOnDisk: missingOnDisk,
    },
  };
}

function stateOf(version: bigint, database: DatabaseVersion | undefined, context: StatusContext): MigrationState {
  if (!database) return 'unknown';
  if (version === database.version) {
    if (!database.dirty) return 'current';
    return context.runningElsewhere ? 'running' : 'dirty';
  }
  if (version > database.version) return 'pending';
  return context.knownApplied && !context.knownApplied.has(version) ? 'pending-below-current' : 'applied';
}
