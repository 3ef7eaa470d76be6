import type { Catalog } from './catalog';
import { failurePlace, type ForceChoices } from './errors';
import { NIL_VERSION } from './model';
import type { LedgerEntry, LedgerError } from './safety-drift';

/**
 * The two honest ways out of a dirty database at `version`, computed from the versions that exist on disk: golang-migrate
 * only says "Fix and force version" and leaves the arithmetic to the user.
 */
export interface DirtyRecovery {
  readonly dirtyVersion: bigint;
  /** The version whose down file failed, when the failed run went down. */
  readonly failedDown?: bigint;
  /** The migration's effects were completed by hand: mark it clean where it is. */
  readonly markCompleted: RecoveryChoice;
  /** The migration's partial effects were undone: go back to the version below it on disk (NIL_VERSION if none). */
  readonly markUndone: RecoveryChoice;
}

export interface RecoveryChoice {
  readonly forceVersion: bigint;
  /** A short label, e.g. "Mark 3 as completed (force 3)". */
  readonly title: string;
  /** When this choice is the right one, in plain words. */
  readonly explanation: string;
}

/**
 * The ways out of a dirty database at `dirtyVersion`. golang-migrate records the version a step was going to, so after
 * a failed up of V the table says V, and after a failed down of V it says the version below V: `failedDown` is that V
 * when the ledger knows the failure was a down, and then "undone" means back at V rather than below.
 */
export function dirtyRecovery(catalog: Catalog, dirtyVersion: bigint, failedDown?: bigint): DirtyRecovery {
  // Only a down of the first migration targets nil, so a database dirty at nil is always a failed down of it.
  failedDown ??= dirtyVersion === NIL_VERSION ? catalog.first() : undefined;
  if (failedDown !== undefined) {
    return {
      dirtyVersion,
      failedDown,
      markCompleted: {
        forceVersion: dirtyVersion,
        title: `Mark the roll back of ${failedDown} as completed (force ${dirtyVersion})`,
        explanation:
          `Choose this when migration ${failedDown} is fully rolled back, because you finished by hand what its ` +
          `failed down file left. The database is marked clean at ${versionWords(dirtyVersion)}.`,
      },
      markUndone: {
        forceVersion: failedDown,
        title: `Mark the roll back of ${failedDown} as undone (force ${failedDown})`,
        explanation:
          `Choose this when every change of migration ${failedDown} is in place again, because you restored what ` +
          `its down file's first statements removed. The database goes back to version ${failedDown}, clean.`,
      },
    };
  }
  const previous = catalog.below(dirtyVersion) ?? NIL_VERSION;
  return {
    dirtyVersion,
    markCompleted: {
      forceVersion: dirtyVersion,
      title: `Mark ${dirtyVersion} as completed (force ${dirtyVersion})`,
      explanation:
        `Choose this when every change of migration ${dirtyVersion} is now in the database, because you finished ` +
        `by hand what the failed run left undone. The version stays ${dirtyVersion} and is marked clean.`,
    },
    markUndone: {
      forceVersion: previous,
      title: `Mark ${dirtyVersion} as undone (force ${previous})`,
      explanation:
        `Choose this when none of migration ${dirtyVersion}'s changes remain, because you reverted what its first ` +
        `statements did (its down file can help). The database goes back to ${versionWords(previous)}, the one ` +
        `before it on disk, and a later up runs ${dirtyVersion} again.`,
    },
  };
}

/** The two versions of `dirtyRecovery`, as errors and messages state them. */
export function forceChoices(catalog: Catalog, dirtyVersion: bigint, failedDown?: bigint): ForceChoices {
  const recovery = dirtyRecovery(catalog, dirtyVersion, failedDown);
  return {
    completed: recovery.markCompleted.forceVersion,
    undone: recovery.markUndone.forceVersion,
    ...(recovery.failedDown !== undefined && { failedDown: recovery.failedDown }),
  };
}

/** The two versions to force after a failure at `dirtyVersion`, the direction of the failed run read from the ledger. */
export function forceChoicesFromLedger(
  catalog: Catalog,
  dirtyVersion: bigint,
  ledger: readonly LedgerEntry[] | undefined,
): ForceChoices {
  const behind = failureBehind(ledger ?? [], catalog, dirtyVersion);
  return forceChoices(catalog, dirtyVersion, behind?.failure.direction === 'down' ? behind.version : undefined);
}

/** "version 3", or "no version (-1)" for nil. */
export function versionWords(version: bigint): string {
  return version === NIL_VERSION ? 'no version (-1)' : `version ${version}`;
}

/** A version to force, as a number: "3", or "-1 (no version)" for nil. */
export function forceTargetWords(version: bigint): string {
  return version === NIL_VERSION ? '-1 (no version)' : String(version);
}

/** What can be done when the database is at `version` and no file of that version exists on disk. */
export interface MissingFileRecovery {
  readonly version: bigint;
  /** The highest version below it that exists on disk (NIL_VERSION when none): the safe place to force to. */
  readonly forceVersion: bigint;
  readonly likelyCauses: readonly string[];
}

export function missingFileRecovery(catalog: Catalog, version: bigint): MissingFileRecovery {
  return {
    version,
    forceVersion: catalog.below(version) ?? NIL_VERSION,
    likelyCauses: [
      `the files of migration ${version} were deleted or renamed after it was applied`,
      `the database was migrated from another branch that has migration ${version}`,
      'the migrations folder setting points at a different folder than the one used to migrate this database',
    ],
  };
}

/** Plain-text guidance for a dirty database, shared by the CLI and the editor. */
export function describeDirtyRecovery(recovery: DirtyRecovery): string {
  const failed =
    recovery.failedDown === undefined
      ? `migration ${recovery.dirtyVersion} failed part way`
      : `the roll back of migration ${recovery.failedDown} failed part way`;
  return [
    `The database is dirty at ${versionWords(recovery.dirtyVersion)}: ${failed} and the statements before the ` +
      'failing one stayed applied. Two honest ways out:',
    `  1. ${recovery.markCompleted.title}: ${recovery.markCompleted.explanation}`,
    `  2. ${recovery.markUndone.title}: ${recovery.markUndone.explanation}`,
  ].join('\n');
}

/** Plain-text guidance for a database version that has no file on disk. */
export function describeMissingFileRecovery(recovery: MissingFileRecovery): string {
  const target = forceTargetWords(recovery.forceVersion);
  return [
    `The database is at version ${recovery.version}, but no file of that version exists on disk. Likely causes:`,
    ...recovery.likelyCauses.map((cause) => `  - ${cause}`),
    `Restore the file (for example from git history), or force ${target}, the highest version below it on disk, ` +
      'once the schema matches it.',
  ].join('\n');
}

/** A failed run behind a dirty version: the version whose file failed, and what the ledger kept of it. */
export interface DirtyFailure {
  readonly version: bigint;
  readonly failure: LedgerError;
}

/**
 * The failure the ledger kept behind a database dirty at `dirtyVersion`: a failed up of that version, or a failed
 * down of the version above it on disk (which leaves the version below it, dirty). Undefined when Migration Lens did
 * not run it, or its last run of that version did not fail.
 */
export function failureBehind(
  ledger: readonly LedgerEntry[],
  catalog: Catalog,
  dirtyVersion: bigint,
): DirtyFailure | undefined {
  for (const entry of ledger) {
    const failure = entry.state === 'failed' ? entry.lastError : undefined;
    if (!failure) continue;
    if (failure.direction === 'up' && entry.version === dirtyVersion) return { version: entry.version, failure };
    const target = catalog.below(entry.version) ?? NIL_VERSION;
    if (failure.direction === 'down' && target === dirtyVersion) return { version: entry.version, failure };
  }
  return undefined;
}

/** "Statement 2 (line 3 of 3_email.up.sql) failed: Error 1072: ..." for the recovery flow's explanation. */
export function describeFailure(failure: LedgerError): string {
  const where = failurePlace(failure);
  const file = failure.fileName ?? `the ${failure.direction} file`;
  const place = where.length === 0 ? file : `${where.join(', ')} of ${file}`;
  return `The ${failure.direction} run failed at ${place}: ${failure.message}`;
}
