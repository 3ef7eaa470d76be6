/**
 * A fleet run in words and numbers: which databases a shard takes, how each database's run ended, the line printed
 * as each one finishes and the matrix at the end. Pure: the runner (`src/app/fleet.ts`) fills the rows.
 */
import { crc32Ieee } from './lock';
import { type DatabaseVersion, NIL_VERSION } from './model';
import { formatGoDuration } from './step-log';
import { alignedColumns } from './text-table';

/** How many databases of a fleet run at once unless told otherwise (`-parallel`, `migrationLens.fleet.parallel`). */
export const DEFAULT_FLEET_PARALLEL = 4;

/** `-shard i/N`: the i-th of N disjoint parts of a fleet (i from 0, as Kubernetes numbers indexed Jobs). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Reads `i/N`; a problem in words when it is not two whole numbers with 0 <= i < N. */
export function parseShard(text: string): { readonly shard: Shard } | { readonly problem: string } {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    return { problem: `-shard takes i/N with 0 <= i < N (such as 0/4 for the first of four), not "${text}"` };
  }
  return { shard: { index, count } };
}

/**
 * Whether a database belongs to a shard. Decided by its name alone (CRC-32 modulo N), so a database stays in its
 * shard when others are added or removed, and N jobs given the same list never both take one.
 */
export function inShard(database: string, shard: Shard): boolean {
  return crc32Ieee(new TextEncoder().encode(database)) % shard.count === shard.index;
}

/** How one database of a fleet run ended. */
export type FleetResult =
  /** It reached the target. */
  | 'migrated'
  /** It was at the target already. */
  | 'no-change'
  /** A migration failed (the database is dirty at its version), or the run failed otherwise after it started. */
  | 'failed'
  /** Dirty before the run: refused, nothing ran. */
  | 'dirty'
  /** Another run held the lock for the whole lock timeout: nothing ran. */
  | 'locked'
  /** No session could be opened (server down, unknown database, login refused): nothing ran. */
  | 'unreachable'
  /** The fleet run stopped (Cancel, or a failure elsewhere) while this one ran: it stopped clean after a migration. */
  | 'stopped'
  /** The fleet run stopped before this one started: untouched. */
  | 'not-started';

export interface FleetRow {
  readonly database: string;
  /** The version before the run; absent when it was never read. */
  readonly from?: DatabaseVersion;
  /** The version after the run; absent when it was never read. */
  readonly to?: DatabaseVersion;
  readonly result: FleetResult;
  /** Why: the error's message for failed, dirty, locked and unreachable. */
  readonly detail?: string;
  readonly durationMs?: number;
}

/** Every database reached the target or had no change: the exit status 0 of a fleet run. */
export function fleetSucceeded(rows: readonly FleetRow[]): boolean {
  return rows.every((row) => row.result === 'migrated' || row.result === 'no-change');
}

/** `tenant_7: 3 -> 10 migrated (1.2s)`, or with the reason: `tenant_9: 5 dirty: Dirty database version 5. ...`. */
export function fleetRowLine(row: FleetRow): string {
  const versions = row.from === undefined ? '' : ` ${versionCell(row.from)} -> ${versionCell(row.to ?? row.from)}`;
  const time = row.durationMs === undefined ? '' : ` (${durationCell(row.durationMs)})`;
  const detail = row.detail === undefined ? '' : `: ${row.detail}`;
  return `${row.database}:${versions} ${resultWords(row.result)}${time}${detail}`;
}

/** The summary matrix: a header, one row per database (in the fleet's order), and a line of counts. */
export function fleetMatrix(rows: readonly FleetRow[]): string[] {
  const header = ['DATABASE', 'FROM', 'TO', 'RESULT', 'TIME'];
  const cells = rows.map((row) => [
    row.database,
    row.from === undefined ? '-' : versionCell(row.from),
    row.to === undefined ? '-' : versionCell(row.to),
    resultWords(row.result),
    row.durationMs === undefined ? '-' : durationCell(row.durationMs),
  ]);
  return [...alignedColumns(header, cells), '', fleetCountsLine(rows)];
}

const RESULT_ORDER: readonly FleetResult[] = [
  'migrated',
  'no-change',
  'failed',
  'dirty',
  'locked',
  'unreachable',
  'stopped',
  'not-started',
];

/** `200 databases: 185 migrated, 12 no change, 1 failed, 2 dirty`. */
export function fleetCountsLine(rows: readonly FleetRow[]): string {
  const counts = RESULT_ORDER.map((result) => [result, rows.filter((row) => row.result === result).length] as const)
    .filter(([, count]) => count > 0)
    .map(([result, count]) => `${count} ${resultWords(result)}`);
  return `${rows.length} database${rows.length === 1 ? '' : 's'}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`;
}

function resultWords(result: FleetResult): string {
  return result.replace('-', ' ');
}

/** `10`, `10 dirty`, `nil`. */
function versionCell(version: DatabaseVersion): string {
  return `${version.version === NIL_VERSION ? 'nil' : version.version}${version.dirty ? ' dirty' : ''}`;
}

/** Go's duration to the millisecond: `1.234s`, `85ms`. */
function durationCell(ms: number): string {
  return formatGoDuration(Math.round(ms) * 1e6);
}
