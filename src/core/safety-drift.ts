import type { Catalog } from './catalog';
import type { DatabaseVersion, Direction, Severity } from './model';
import { safetySeverity } from './rules';
import { normalizedChecksum, rawChecksum } from './safety-checksum';
import { migrationStatuses } from './status';

/** How the last run of a version by Migration Lens ended. */
export type LedgerState = 'applied' | 'failed' | 'reverted';

/** What the ledger kept about a version Migration Lens ran, beside golang-migrate's version table. */
export interface LedgerEntry {
  readonly version: bigint;
  readonly state: LedgerState;
  /** The up file's checksums when it last ran up; absent when the version had no up file. */
  readonly upChecksum?: string;
  readonly upChecksumNormalized?: string;
  readonly fileName?: string;
  readonly appliedAt?: Date;
  readonly durationMs?: number;
  readonly osUser?: string;
  readonly lastError?: LedgerError;
}

/** The last failed run of a version: where it stopped and what the server said. */
export interface LedgerError {
  readonly direction: Direction;
  readonly message: string;
  readonly fileName?: string;
  readonly statementIndex?: number;
  readonly line?: number;
  readonly at?: Date;
}

export type DriftKind =
  /** The up file on disk is the one that ran. */
  | 'unchanged'
  /** Only layout or comments changed since it ran: information. */
  | 'reformatted'
  /** The code changed since it ran: the database does not hold what the file says. */
  | 'edited'
  /** Applied, but not by Migration Lens (or its last run here did not finish), so nothing to compare with. */
  | 'outside';

export interface DriftVerdict {
  readonly version: bigint;
  readonly kind: DriftKind;
  /** The up file the verdict is about. */
  readonly fileName: string;
  readonly severity?: Severity;
  readonly message?: string;
  readonly entry?: LedgerEntry;
}

/** Compares an applied version's up file with what the ledger recorded when it ran. */
export function driftOf(
  version: bigint,
  fileName: string,
  content: string,
  entry: LedgerEntry | undefined,
): DriftVerdict {
  if (entry?.state !== 'applied' || entry.upChecksum === undefined) {
    return {
      version,
      kind: 'outside',
      fileName,
      severity: safetySeverity('drift-outside'),
      message: `version ${version} was applied outside Migration Lens: there is no record of the file it ran.`,
      ...(entry && { entry }),
    };
  }
  // The editor asks after every change of a file: most files are unchanged, and the exact text settles them.
  if (rawChecksum(content) === entry.upChecksum) return { version, kind: 'unchanged', fileName, entry };
  const when = entry.appliedAt === undefined ? '' : ` on ${entry.appliedAt.toISOString()}`;
  if (normalizedChecksum(content) === entry.upChecksumNormalized) {
    return {
      version,
      kind: 'reformatted',
      fileName,
      severity: safetySeverity('drift-reformatted'),
      message:
        `${fileName} was reformatted after it was applied${when}: only layout or comments changed, the SQL that ` +
        'ran is the same.',
      entry,
    };
  }
  return {
    version,
    kind: 'edited',
    fileName,
    severity: safetySeverity('drift-edited'),
    message:
      `${fileName} was edited after it was applied${when}: the database holds what the earlier text did, and ` +
      'golang-migrate will not run it again. Put the change in a new migration, or restore the file.',
    entry,
  };
}

/**
 * A verdict for every applied version (current included, dirty excluded) that has an up file whose content is given.
 * Versions above the current one have not run, so they have no drift. Without a ledger (`undefined`: Migration Lens
 * never recorded anything for this database) there is nothing to compare with and no verdict.
 */
export function driftVerdicts(
  catalog: Catalog,
  database: DatabaseVersion,
  contents: ReadonlyMap<string, string>,
  ledger: readonly LedgerEntry[] | undefined,
): DriftVerdict[] {
  if (!ledger) return [];
  const byVersion = new Map(ledger.map((entry) => [entry.version, entry]));
  const verdicts: DriftVerdict[] = [];
  for (const row of migrationStatuses(catalog, database).rows) {
    if (row.state !== 'applied' && row.state !== 'current') continue;
    const content = row.up && contents.get(row.up.fileName);
    if (!row.up || content === undefined) continue;
    verdicts.push(driftOf(row.version, row.up.fileName, content, byVersion.get(row.version)));
  }
  return verdicts;
}

/** A short tag for tree rows and the CLI's status column; undefined when nothing needs saying. */
export function driftLabel(kind: DriftKind): string | undefined {
  switch (kind) {
    case 'edited':
      return 'edited after it was applied';
    case 'reformatted':
      return 'reformatted after it was applied';
    case 'outside':
      return 'applied outside Migration Lens';
    case 'unchanged':
      return undefined;
  }
}
