import { failurePlace, isAccessDenied, type MigrationFailure, serverErrorText } from './errors';
import type { SchemaDifference } from './verify-compare';
import type { SchemaNameReference } from './verify-schema-names';
import type { Direction, Severity } from './model';

/** What Verify concluded about one version. */
export type Verdict =
  | { readonly kind: 'verified' }
  | { readonly kind: 'up-failed'; readonly failure: MigrationFailure }
  | { readonly kind: 'down-failed'; readonly failure: MigrationFailure }
  | { readonly kind: 'down-differs'; readonly differences: readonly SchemaDifference[] }
  /** The second up failed (`failure`) or left a schema unlike the first up's (`differences`). */
  | {
      readonly kind: 'up-not-repeatable';
      readonly failure?: MigrationFailure;
      readonly differences: readonly SchemaDifference[];
    }
  | { readonly kind: 'no-down' }
  | { readonly kind: 'no-up' }
  | { readonly kind: 'unverifiable'; readonly references: readonly FileSchemaNameReference[] }
  /**
   * The server refused a file for want of a privilege. The files run as an account whose privileges cover the
   * scratch database only, so the file reached for something beyond it: the real database, another account, the
   * server. `step` says which run of the file it was (a guard can make the second up act differently).
   */
  | { readonly kind: 'reaches-outside'; readonly step: 'up' | 'down' | 'up again'; readonly failure: MigrationFailure }
  | { readonly kind: 'not-verified'; readonly reason: string };

export interface FileSchemaNameReference extends SchemaNameReference {
  readonly direction: Direction;
  readonly fileName: string;
}

/** The words every report uses for a file the scratch database's privileges refused. */
export const REACHES_OUTSIDE = 'reaches outside the scratch database';

/** Whether the server refused a file the scratch database's account ran for want of a privilege. */
export function reachesOutside(failure: MigrationFailure): boolean {
  return isAccessDenied(failure.serverCode);
}

/** The three states a version's badge shows. */
export type VerifyOutcome = 'verified' | 'broken' | 'unverified';

export interface VersionVerdict {
  readonly version: bigint;
  readonly identifier: string;
  readonly upFile?: string;
  readonly downFile?: string;
  readonly verdict: Verdict;
}

export interface VerifyReport {
  readonly versions: readonly VersionVerdict[];
  /** Why verification ended before the last version; undefined when every version was tried or on cancel. */
  readonly stopped?: VerifyStop;
  readonly cancelled: boolean;
}

export interface VerifyStop {
  readonly reason: string;
  /** True when the cause is a failure (an up that fails), false when it is something Verify cannot do. */
  readonly broken: boolean;
}

export function outcomeOf(verdict: Verdict): VerifyOutcome {
  switch (verdict.kind) {
    case 'verified':
      return 'verified';
    case 'no-up':
    case 'unverifiable':
    case 'reaches-outside':
    case 'not-verified':
      return 'unverified';
    default:
      return 'broken';
  }
}

/** Whether the run found anything broken: the CLI's exit status 1. */
export function reportFails(report: VerifyReport): boolean {
  return report.versions.some((entry) => outcomeOf(entry.verdict) === 'broken') || report.stopped?.broken === true;
}

/** One sentence for a version's verdict, as the tree's tooltip and diagnostics show it. */
export function describeVerdict(verdict: Verdict): string {
  const details = verdictDetails(verdict);
  return details.length === 0 ? verdictHeadline(verdict) : `${verdictHeadline(verdict)}: ${details.join('; ')}`;
}

/** The verdict without its list of differences or schema names, e.g. "the down leaves 2 differences". */
export function verdictHeadline(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'verified':
      return 'verified: the down undoes the up, and the up runs again after it';
    case 'up-failed':
      return `the up fails: ${describeFailure(verdict.failure)}`;
    case 'down-failed':
      return `the down fails: ${describeFailure(verdict.failure)}`;
    case 'down-differs':
      return `the down leaves ${count(verdict.differences.length, 'difference')}`;
    case 'up-not-repeatable':
      return verdict.failure
        ? `the up is not repeatable after its down: ${describeFailure(verdict.failure)}`
        : `the up is not repeatable after its down: the second up leaves ${count(verdict.differences.length, 'difference')} from the first`;
    case 'no-down':
      return 'no down file: a rollback moves the version and changes nothing';
    case 'no-up':
      return 'no up file: the up moves the version and changes nothing, so there is nothing for the down to undo';
    case 'unverifiable':
      return 'unverifiable on a scratch database: hard-coded schema name';
    case 'reaches-outside': {
      const file = verdict.failure.fileName ?? `the ${verdict.failure.direction} file`;
      const again = verdict.step === 'up again' ? ' (run again after the down)' : '';
      return `${REACHES_OUTSIDE}: ${file}${again}, ${describeFailure(verdict.failure)}`;
    }
    case 'not-verified':
      return `not verified: ${verdict.reason}`;
  }
}

/** The differences or schema names a verdict lists, one item each. */
export function verdictDetails(verdict: Verdict): string[] {
  switch (verdict.kind) {
    case 'down-differs':
    case 'up-not-repeatable':
      return verdict.differences.map((difference) => difference.words);
    case 'unverifiable':
      return verdict.references.map((reference) => `${reference.text} (${reference.fileName} line ${reference.line})`);
    default:
      return [];
  }
}

/** "statement 2, line 5: Error 1553: Cannot drop index ..." from what the engine knows about a failed file. */
export function describeFailure(failure: MigrationFailure): string {
  const where = failurePlace(failure);
  const message = failure.serverMessage ?? (failure.cause instanceof Error ? failure.cause.message : 'failed');
  const server = serverErrorText(failure.serverCode, message);
  return where.length > 0 ? `${where.join(', ')}: ${server}` : server;
}

/** The codes Verify reports its verdicts under, one per kind of verdict that points at a file. */
export type VerifyCode =
  | 'verify-up-fails'
  | 'verify-down-fails'
  | 'verify-up-not-repeatable'
  | 'verify-down-differs'
  | 'verify-no-down'
  | 'verify-unverifiable'
  | 'verify-reaches-outside';

export const VERIFY_RULES: readonly { code: VerifyCode; severity: Severity; description: string }[] = [
  { code: 'verify-up-fails', severity: 'error', description: 'The up fails on the scratch database.' },
  {
    code: 'verify-down-fails',
    severity: 'error',
    description: 'The down fails on the scratch database right after its up.',
  },
  {
    code: 'verify-up-not-repeatable',
    severity: 'error',
    description: 'After the down, the up fails again or leaves a schema unlike the first time.',
  },
  {
    code: 'verify-down-differs',
    severity: 'error',
    description: 'The down leaves a schema unlike the one before the up (a column, index or table left behind).',
  },
  {
    code: 'verify-no-down',
    severity: 'warning',
    description: 'The version has no down file: a rollback moves the version and changes nothing.',
  },
  {
    code: 'verify-unverifiable',
    severity: 'warning',
    description: 'A migration names a database, so a scratch database cannot stand in for the real one.',
  },
  {
    code: 'verify-reaches-outside',
    severity: 'warning',
    description:
      'A migration needs a privilege beyond the scratch database (another database, a user, a global setting): the server refused it there.',
  },
];

export interface VerdictLocation {
  readonly code: VerifyCode;
  readonly fileName: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
  readonly severity: Severity;
}

/** Where a verdict points in the files (the failing statement's line, a hard-coded schema name), for diagnostics. */
export function verdictLocations(entry: VersionVerdict): VerdictLocation[] {
  const { verdict } = entry;
  const message = describeVerdict(verdict);
  const at = (code: VerifyCode, fileName: string | undefined, line = 1): VerdictLocation[] =>
    fileName === undefined ? [] : [{ code, fileName, line, message, severity: VERIFY_SEVERITY.get(code)! }];
  switch (verdict.kind) {
    case 'up-failed':
      return at('verify-up-fails', fileOf(entry, verdict.failure), verdict.failure.line);
    case 'down-failed':
      return at('verify-down-fails', fileOf(entry, verdict.failure), verdict.failure.line);
    case 'up-not-repeatable':
      return verdict.failure
        ? at('verify-up-not-repeatable', fileOf(entry, verdict.failure), verdict.failure.line)
        : at('verify-up-not-repeatable', entry.upFile);
    case 'down-differs':
      return at('verify-down-differs', entry.downFile);
    case 'no-down':
      return at('verify-no-down', entry.upFile);
    case 'unverifiable':
      return verdict.references.flatMap((reference) => at('verify-unverifiable', reference.fileName, reference.line));
    case 'reaches-outside':
      return at('verify-reaches-outside', fileOf(entry, verdict.failure), verdict.failure.line);
    default:
      return [];
  }
}

const VERIFY_SEVERITY = new Map(VERIFY_RULES.map((rule) => [rule.code, rule.severity]));

function fileOf(entry: VersionVerdict, failure: MigrationFailure): string | undefined {
  return failure.fileName ?? (failure.direction === 'up' ? entry.upFile : entry.downFile);
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}
