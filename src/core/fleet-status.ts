/**
 * Where each database of an environment stands against the migrations folder, and for a fleet the counts by version
 * and by standing with the exceptions listed (the 3 that are dirty, the 12 behind). The command line's
 * `status -all-envs` and the editor's Environments section both print these.
 */
import { describeLockHolder } from './errors';
import { type DatabaseVersion, type LockHolder, NIL_VERSION } from './model';
import type { StatusReport } from './status';

export type Standing =
  /** At the folder's last version, clean. */
  | 'current'
  /** Clean, with migrations to apply. */
  | 'behind'
  /** A migration failed part way there. */
  | 'dirty'
  /** Another run holds golang-migrate's lock. */
  | 'locked'
  /** At a version no file on disk has (newer files elsewhere, or renamed). */
  | 'unknown-version'
  /** Could not be read. */
  | 'unreachable';

export interface DatabaseStanding {
  readonly database: string;
  readonly standing: Standing;
  /** Absent when unreachable; nil when the version table does not exist yet. */
  readonly version?: DatabaseVersion;
  readonly pending: number;
  /** Applied up files edited since they ran (what the ledger recorded differs). */
  readonly edited: number;
  readonly lockHolder?: LockHolder;
  /** Why it could not be read. */
  readonly reason?: string;
}

/** A database's standing from its status report, the lock holder and the number of edited applied files. */
export function standingOf(
  database: string,
  report: StatusReport,
  lockHolder: LockHolder | undefined,
  edited: number,
): DatabaseStanding {
  const { summary } = report;
  const version = { version: summary.currentVersion ?? NIL_VERSION, dirty: summary.dirty };
  const standing: Standing = lockHolder
    ? 'locked'
    : summary.dirty
      ? 'dirty'
      : summary.currentMissingOnDisk
        ? 'unknown-version'
        : summary.pendingCount > 0
          ? 'behind'
          : 'current';
  return { database, standing, version, pending: summary.pendingCount, edited, ...(lockHolder && { lockHolder }) };
}

export function unreachableStanding(database: string, reason: string): DatabaseStanding {
  return { database, standing: 'unreachable', pending: 0, edited: 0, reason };
}

/** `v10 · 2 pending · 1 edited · locked by connection 42 (...)`: one database in a few words. */
export function standingWords(standing: DatabaseStanding): string {
  if (standing.standing === 'unreachable') return `unreachable: ${standing.reason ?? ''}`.trimEnd();
  const parts = [versionWords(standing.version)];
  if (standing.standing === 'unknown-version') parts.push('no file has this version');
  if (standing.pending > 0) parts.push(`${standing.pending} pending`);
  if (standing.edited > 0) parts.push(`${standing.edited} edited since applied`);
  if (standing.lockHolder) parts.push(`locked by ${describeLockHolder(standing.lockHolder)}`);
  return parts.join(' · ');
}

/** `v10`, `v5 dirty`, `no version`. */
export function versionWords(version: DatabaseVersion | undefined): string {
  if (version === undefined) return 'unknown';
  const number = version.version === NIL_VERSION ? 'no version' : `v${version.version}`;
  return `${number}${version.dirty ? ' dirty' : ''}`;
}

export interface FleetCounts {
  readonly total: number;
  /** Standings that occur, in the order of `STANDINGS`. */
  readonly byStanding: readonly (readonly [Standing, number])[];
  /** Versions that occur, highest first, `no version` last; unreachable databases are not counted here. */
  readonly byVersion: readonly (readonly [string, number])[];
}

const STANDINGS: readonly Standing[] = ['current', 'behind', 'dirty', 'locked', 'unknown-version', 'unreachable'];

export function fleetCounts(standings: readonly DatabaseStanding[]): FleetCounts {
  const byStanding = STANDINGS.map(
    (standing) => [standing, standings.filter((entry) => entry.standing === standing).length] as const,
  ).filter(([, count]) => count > 0);
  const versions = new Map<bigint, number>();
  for (const { version } of standings) {
    if (version) versions.set(version.version, (versions.get(version.version) ?? 0) + 1);
  }
  const byVersion = [...versions]
    .sort(([a], [b]) => (a === b ? 0 : a === NIL_VERSION ? 1 : b === NIL_VERSION ? -1 : a > b ? -1 : 1))
    .map(([version, count]) => [version === NIL_VERSION ? 'no version' : `v${version}`, count] as const);
  return { total: standings.length, byStanding, byVersion };
}

/** `200 databases: 185 current, 12 behind, 3 dirty; by version: v10 185, v9 12, v5 3`. */
export function fleetCountsWords(counts: FleetCounts): string {
  const standings = counts.byStanding.map(([standing, count]) => `${count} ${standing.replace('-', ' ')}`).join(', ');
  const versions = counts.byVersion.map(([version, count]) => `${version} ${count}`).join(', ');
  return (
    `${counts.total} database${counts.total === 1 ? '' : 's'}` +
    `${standings === '' ? '' : `: ${standings}`}${versions === '' ? '' : `; by version: ${versions}`}`
  );
}

/** The databases that are not simply current, by what is the matter; `edited` lists drift whatever the standing. */
export interface FleetException {
  readonly kind: Exclude<Standing, 'current'> | 'edited';
  readonly databases: readonly DatabaseStanding[];
}

export function fleetExceptions(standings: readonly DatabaseStanding[]): FleetException[] {
  const exceptions: FleetException[] = STANDINGS.filter((standing) => standing !== 'current')
    .map((kind) => ({
      kind,
      databases: standings.filter((entry) => entry.standing === kind),
    }))
    .filter((exception) => exception.databases.length > 0);
  const edited = standings.filter((entry) => entry.edited > 0);
  if (edited.length > 0) exceptions.push({ kind: 'edited', databases: edited });
  return exceptions;
}

/** `3 dirty: tenant_007 (v5 dirty), tenant_019 (v8 dirty), ...and 1 more`: at most `limit` names. */
export function exceptionWords(exception: FleetException, limit = 10): string {
  const shown = exception.databases
    .slice(0, limit)
    .map((entry) => `${entry.database} (${exceptionDetail(entry, exception.kind)})`);
  const more = exception.databases.length - shown.length;
  const kind = exception.kind === 'edited' ? 'with edited files' : exception.kind.replace('-', ' ');
  return `${exception.databases.length} ${kind}: ${shown.join(', ')}${more > 0 ? `, ...and ${more} more` : ''}`;
}

function exceptionDetail(entry: DatabaseStanding, kind: FleetException['kind']): string {
  if (entry.standing === 'unreachable') return entry.reason ?? 'unreachable';
  const version = versionWords(entry.version);
  if (kind === 'edited') return `${version}, ${entry.edited} edited`;
  if (entry.standing === 'behind') return `${version}, ${entry.pending} pending`;
  if (entry.lockHolder) return `${version}, ${describeLockHolder(entry.lockHolder)}`;
  return version;
}
