/**
 * Preflight's findings: each has a stable code (the rules page documents every one), a severity the project can
 * change, and the statement and line it is about. Also the words of an execution verdict ("copies the table and
 * blocks writes: users, about 1.2 M rows, 380 MB"), the pt-online-schema-change command offered instead, and the
 * paragraph a confirmation shows.
 */
import type { Direction, Severity } from './model';
import { effectOf, type Execution } from './preflight-probe';
import { effectiveSeverity, ignoreDirectives, type RuleSettings } from './rule-settings';

export type PreflightCode =
  | 'preflight-execution'
  | 'preflight-copies-table'
  | 'preflight-blocks-writes'
  | 'preflight-refused-as-written'
  | 'preflight-statement-fails'
  | 'preflight-not-probed'
  | 'preflight-foreign-key-column'
  | 'preflight-duplicates-under-unique'
  | 'preflight-nulls-under-not-null'
  | 'preflight-values-too-long'
  | 'preflight-values-out-of-range'
  | 'preflight-values-not-convertible'
  | 'preflight-orphan-rows'
  | 'preflight-drops-data'
  | 'preflight-check-skipped';

export interface PreflightRule {
  readonly code: PreflightCode;
  readonly severity: Severity;
  readonly description: string;
}

export const PREFLIGHT_RULES: readonly PreflightRule[] = [
  {
    code: 'preflight-execution',
    severity: 'info',
    description:
      'How the server will execute a schema change that blocks no writes to rows already there: instant, in place with writes allowed, or a change of a table that is empty or not on this database yet.',
  },
  {
    code: 'preflight-copies-table',
    severity: 'warning',
    description: 'The server will copy the table and block writes to it until the copy is done.',
  },
  {
    code: 'preflight-blocks-writes',
    severity: 'warning',
    description:
      'The server will change the table in place but block writes to it meanwhile (e.g. a first FULLTEXT index).',
  },
  {
    code: 'preflight-refused-as-written',
    severity: 'error',
    description:
      'The statement names an ALGORITHM or LOCK the server refuses for it: it fails and leaves the database dirty.',
  },
  {
    code: 'preflight-statement-fails',
    severity: 'error',
    description: 'The statement fails on a copy of the schema it will meet, whatever the data.',
  },
  {
    code: 'preflight-not-probed',
    severity: 'info',
    description: 'Why a statement could not be asked about, so nothing is said of how it runs.',
  },
  {
    code: 'preflight-foreign-key-column',
    severity: 'warning',
    description:
      'The statement changes a column that a foreign key of this database uses: the server may refuse (error 1832), which a copy of the schema without that key does not show.',
  },
  {
    code: 'preflight-duplicates-under-unique',
    severity: 'error',
    description:
      'Rows already share the values of a new UNIQUE index or primary key: the statement fails (error 1062).',
  },
  {
    code: 'preflight-nulls-under-not-null',
    severity: 'error',
    description:
      'Rows hold NULL in a column made NOT NULL or part of a new primary key: the statement fails (1265), or writes 0 or "" without strict mode.',
  },
  {
    code: 'preflight-values-too-long',
    severity: 'error',
    description:
      'Values are longer than a column made shorter: the statement fails (1265), or cuts them without strict mode.',
  },
  {
    code: 'preflight-values-out-of-range',
    severity: 'error',
    description:
      'Values do not fit a column given a narrower numeric type: the statement fails (1264), or clips them without strict mode.',
  },
  {
    code: 'preflight-values-not-convertible',
    severity: 'error',
    description:
      'Values do not read as the new type (text that is not a whole number): the statement fails (1292, 1366), or writes 0 without strict mode.',
  },
  {
    code: 'preflight-orphan-rows',
    severity: 'error',
    description: 'Rows reference no row of the parent table of a new foreign key: the statement fails (1452).',
  },
  {
    code: 'preflight-drops-data',
    severity: 'warning',
    description: 'A dropped column or table still holds data on this database.',
  },
  {
    code: 'preflight-check-skipped',
    severity: 'info',
    description:
      'A check of the rows was not made: the table is above the size limit, the count ran out of time, or an earlier statement changes the rows first.',
  },
];

const DEFAULT_SEVERITY = new Map(PREFLIGHT_RULES.map((rule) => [rule.code, rule.severity]));

/** Where a finding points: a statement of a file a planned step runs. */
export interface StatementPlace {
  readonly version: bigint;
  readonly direction: Direction;
  readonly fileName: string;
  /** 1-based, among the file's statements. */
  readonly statementIndex: number;
  /** 1-based line of the statement's first character. */
  readonly line: number;
}

/** An edit of the file that makes the server refuse rather than lock: the statement's text replaced. */
export interface StatementFix {
  readonly title: string;
  /** Offsets of the statement in the file, and the text it was when the fix was made. */
  readonly start: number;
  readonly end: number;
  readonly original: string;
  readonly replacement: string;
}

export interface PreflightFinding extends StatementPlace {
  readonly code: PreflightCode;
  readonly severity: Severity;
  readonly message: string;
  /** How the server will execute the statement, for the findings that say so. */
  readonly execution?: Execution;
  readonly fix?: StatementFix;
  /** A pt-online-schema-change command line that runs the change without blocking writes (no password in it). */
  readonly onlineCommand?: string;
}

/** A finding before the project's settings: its severity is the rule's default. */
export type RawFinding = Omit<PreflightFinding, 'severity'>;

/**
 * The findings as the project wants them: severities from its rules, rules it turned off and those a file silences
 * with `migration-lens:ignore` left out; in file order.
 */
export function settleFindings(
  findings: readonly RawFinding[],
  settings: RuleSettings | undefined,
  textOf: (fileName: string) => string | undefined,
): PreflightFinding[] {
  const silenced = new Map<string, ReadonlySet<string>>();
  const settled: PreflightFinding[] = [];
  for (const finding of findings) {
    let rules = silenced.get(finding.fileName);
    if (!rules) silenced.set(finding.fileName, (rules = ignoreDirectives(textOf(finding.fileName) ?? '')));
    if (rules.has(finding.code)) continue;
    const severity = effectiveSeverity(finding.code, DEFAULT_SEVERITY.get(finding.code)!, settings);
    if (severity !== undefined) settled.push({ ...finding, severity });
  }
  return settled;
}

/** A table as the target's statistics estimate it; undefined fields: not on this database. */
export interface TableSize {
  readonly rows: number;
  readonly bytes: number;
}

/** "about 1.2 M rows, 380 MB": the estimates of information_schema, worded as estimates. */
export function sizeWords(size: TableSize): string {
  return `about ${rowWords(size.rows)}, ${byteWords(size.bytes)}`;
}

export function rowWords(rows: number): string {
  if (rows < 1000) return `${rows} row${rows === 1 ? '' : 's'}`;
  if (rows < 1_000_000) return `${trimmed(rows / 1000)} k rows`;
  return `${trimmed(rows / 1_000_000)} M rows`;
}

function byteWords(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${trimmed(value)} ${units[unit]}`;
}

/** One decimal below 10, none above: 1.2, 38, 380. */
function trimmed(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

/** The words of a verdict, and the code it is reported under. */
export interface ExecutionWords {
  readonly code: PreflightCode;
  readonly words: string;
  /** Whether it blocks writes to a table that holds rows: the case that offers the alternatives. */
  readonly blocking: boolean;
}

/**
 * "instant", "rebuilds the table in place, writes allowed: users, about 1.2 M rows, 380 MB", "copies the table and
 * blocks writes: users, ...". `size` undefined: the table is not on this database yet (a pending step creates it).
 */
export function executionWords(execution: Execution, table: string, size: TableSize | undefined): ExecutionWords {
  const effect = effectOf(execution);
  const written = execution.asWritten ? 'as written, ' : '';
  const engine = execution.engineChange ? ' (a change of engine copies whatever ALGORITHM allows)' : '';
  const where = size === undefined ? `${table}, not on this database yet` : `${table}, ${sizeWords(size)}`;
  const holdsRows = size !== undefined && size.rows > 0;
  if (!effect.rebuilds && !effect.blocksWrites && execution.algorithm === 'INSTANT' && !execution.engineChange) {
    return {
      code: 'preflight-execution',
      words: `${written}instant: changes only the table definition`,
      blocking: false,
    };
  }
  let how: string;
  if (effect.copies) how = 'copies the table';
  else if (effect.rebuilds) how = 'rebuilds the table in place';
  else how = 'works in place without rebuilding the table';
  const lock = effect.blocksReads
    ? 'blocks reads and writes'
    : effect.blocksWrites
      ? 'blocks writes'
      : 'writes allowed';
  const words = `${written}${how}${effect.blocksWrites ? ' and ' : ', '}${lock}${engine}: ${where}`;
  if (!effect.blocksWrites || !holdsRows) return { code: 'preflight-execution', words, blocking: false };
  return { code: effect.copies ? 'preflight-copies-table' : 'preflight-blocks-writes', words, blocking: true };
}

/** The server a pt-online-schema-change command connects to; never a password. */
export interface OnlineToolTarget {
  readonly database: string;
  readonly user: string;
  readonly host?: string;
  readonly port?: number;
  readonly socket?: string;
}

/**
 * `pt-online-schema-change --ask-pass --alter '...' h=...,P=...,u=...,D=...,t=... --dry-run`: ready to paste, the
 * password asked for at the prompt (`--ask-pass`) rather than written anywhere. After the dry run, `--execute`.
 */
export function onlineSchemaChangeCommand(target: OnlineToolTarget, table: string, alter: string): string {
  const dsn = [
    ...(target.socket !== undefined
      ? [`S=${target.socket}`]
      : [
          ...(target.host !== undefined ? [`h=${target.host}`] : []),
          ...(target.port !== undefined ? [`P=${target.port}`] : []),
        ]),
    ...(target.user !== '' ? [`u=${target.user}`] : []),
    `D=${target.database}`,
    `t=${table}`,
  ].join(',');
  return `pt-online-schema-change --ask-pass --alter ${shellQuote(alter)} ${shellQuote(dsn)} --dry-run`;
}

/** A POSIX shell word that is the text exactly: single quotes, with each `'` written `'\''`. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_=,./:@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The findings a confirmation stops on: errors, and warnings about blocked writes or lost data. */
export function blockingFindings(findings: readonly PreflightFinding[]): PreflightFinding[] {
  return findings.filter(
    (finding) =>
      finding.severity === 'error' ||
      (finding.severity === 'warning' &&
        (finding.code === 'preflight-copies-table' ||
          finding.code === 'preflight-blocks-writes' ||
          finding.code === 'preflight-drops-data')),
  );
}

/**
 * One paragraph for the confirmation before a run: how many findings would stop it, then each in a short sentence
 * with its file and line. Empty when nothing blocks.
 */
export function confirmationParagraph(findings: readonly PreflightFinding[]): string {
  const blocking = blockingFindings(findings);
  if (blocking.length === 0) return '';
  const errors = blocking.filter((finding) => finding.severity === 'error').length;
  const head =
    errors > 0
      ? `Preflight: ${errors} statement${errors === 1 ? '' : 's'} will fail on this database`
      : 'Preflight: nothing will fail, but';
  const rest = blocking.length - errors;
  const tail = rest > 0 ? `${errors > 0 ? ', and ' : ' '}${rest} will block writes or lose data` : '';
  const items = blocking.map(
    (finding) => `${finding.fileName} line ${finding.line}: ${firstSentence(finding.message)}`,
  );
  return `${head}${tail}. ${items.join('; ')}.`;
}

/** What a finding found, without what to do about it: its message up to the first full stop ending a sentence. */
function firstSentence(message: string): string {
  return (/^(.*?)\.(?:\s+[A-Z]|\n|$)/s.exec(message)?.[1] ?? message).trim();
}
