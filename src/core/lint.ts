import type { Catalog, Migration } from './catalog';
import type { DatabaseVersion, MigrationFileName, Severity } from './model';
import { explainIgnoredFileName } from './names';
import { effectiveSeverity, ignoreDirectives, mayHoldIgnoreDirective, type RuleSettings } from './rule-settings';
import { codeOnly, isBlank } from './statements';
import { changesNotCreatedBy, losesData, tableChangesOfScript, type TableChange } from './safety-tables';
import { migrationStatuses } from './status';

/** The stable id of each lint rule. */
export type LintRuleId =
  | 'duplicate-version'
  | 'ignored-file'
  | 'missing-down'
  | 'missing-up'
  | 'numbering-gap'
  | 'mixed-numbering'
  | 'empty-file'
  | 'pending-below-current'
  | 'delimiter'
  | 'destructive-down';

/** A rule as the editor's settings and the documentation list it. */
export interface LintRule {
  readonly id: LintRuleId;
  readonly severity: Severity;
  readonly description: string;
}

/** Every rule, with its default severity and a one-line description. */
export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'duplicate-version',
    severity: 'error',
    description: 'Two files share a version and direction: golang-migrate refuses the whole folder.',
  },
  {
    id: 'ignored-file',
    severity: 'warning',
    description: 'A file that looks like a migration but does not match the name rule, so golang-migrate skips it.',
  },
  {
    id: 'missing-down',
    severity: 'warning',
    description: 'An up migration without a down file: rolling it back moves the version and runs no SQL.',
  },
  {
    id: 'missing-up',
    severity: 'warning',
    description: 'A down migration without an up file: applying it moves the version and runs no SQL.',
  },
  {
    id: 'numbering-gap',
    severity: 'info',
    description: 'Sequential numbering skips numbers (legal, but often a lost or misnamed file).',
  },
  {
    id: 'mixed-numbering',
    severity: 'warning',
    description: 'Sequential and timestamp versions in one folder: they run in numeric order, timestamps last.',
  },
  {
    id: 'empty-file',
    severity: 'error',
    description: 'An empty or blank file fails with MySQL error 1065 and leaves the database dirty.',
  },
  {
    id: 'pending-below-current',
    severity: 'warning',
    description: 'A migration below the current version that never ran: golang-migrate will never apply it.',
  },
  {
    id: 'delimiter',
    severity: 'error',
    description:
      'A DELIMITER line is a mysql client command: the server rejects it when golang-migrate sends the file.',
  },
  {
    id: 'destructive-down',
    severity: 'info',
    description:
      'A down migration drops or deletes data its up did not create (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE): rolling back loses it. Reported once per file.',
  },
];

const SEVERITY = new Map(LINT_RULES.map((rule) => [rule.id, rule.severity]));

/** Versions at or above this count as timestamps (YYYYMMDDhhmmss, unix, unixNano); below, as sequential numbers. */
const TIMESTAMP_VERSION_THRESHOLD = 1_000_000_000n;

/** One finding; `line` and `column` are 1-based. */
export interface LintProblem {
  readonly rule: LintRuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly fileName: string;
  readonly relatedFileNames?: readonly string[];
  readonly version?: bigint;
  readonly line?: number;
  readonly column?: number;
}

/** What the rules look at; rules that need file contents or the database skip what is not given. */
export interface LintInput {
  readonly catalog: Catalog;
  /** File contents by file name. */
  readonly contents?: ReadonlyMap<string, string>;
  readonly database?: DatabaseVersion;
  /** Versions a ledger says ran; needed to find pending migrations below the current version. */
  readonly knownApplied?: ReadonlySet<bigint>;
  /** The project's severities (`migration-lens.json`); a rule set to `off` reports nothing. */
  readonly rules?: RuleSettings;
}

type Finding = Omit<LintProblem, 'severity'>;

/**
 * The one rule set behind the command line's `lint`, the editor's diagnostics and its tree. A comment
 * `-- migration-lens:ignore <rule> [<rule>...]` in a file silences those rules for that file; the project's
 * `rules` change severities or turn rules off.
 */
export function lintMigrations(input: LintInput): LintProblem[] {
  const { catalog, contents } = input;
  const findings: Finding[] = [...duplicateVersions(catalog), ...ignoredFiles(catalog)];
  for (const migration of catalog.migrations) addMissingPartner(findings, migration);
  for (const finding of numbering(catalog)) findings.push(finding);
  for (const finding of pendingBelowCurrent(input)) findings.push(finding);
  if (contents) {
    for (const { up, down } of catalog.migrations) {
      const upContent = up && contents.get(up.fileName);
      if (upContent !== undefined) addContentFindings(findings, up!, upContent);
      const downContent = down && contents.get(down.fileName);
      if (downContent !== undefined) {
        addContentFindings(findings, down!, downContent);
        addDestructiveDown(findings, down!, downContent, upContent);
      }
    }
  }
  const silenced = new Map<string, ReadonlySet<string>>();
  const isSilenced = (finding: Finding) => {
    const content = contents?.get(finding.fileName);
    // Cheap test first: thousands of findings, hardly a file with a directive.
    if (content === undefined || !mayHoldIgnoreDirective(content)) return false;
    let rules = silenced.get(finding.fileName);
    if (!rules) silenced.set(finding.fileName, (rules = ignoreDirectives(content)));
    return rules.has(finding.rule);
  };
  const problems: LintProblem[] = [];
  for (const finding of findings) {
    if (isSilenced(finding)) continue;
    const severity = effectiveSeverity(finding.rule, SEVERITY.get(finding.rule)!, input.rules);
    if (severity === undefined) continue;
    // The findings are this call's own objects: given their severity in place, thousands of them are not copied.
    const problem = finding as Finding & { severity?: Severity };
    problem.severity = severity;
    problems.push(problem as LintProblem);
  }
  return problems.sort(compareProblems);
}

function compareProblems(a: LintProblem, b: LintProblem): number {
  if (a.version !== b.version) {
    if (a.version === undefined) return 1;
    if (b.version === undefined) return -1;
    return a.version < b.version ? -1 : 1;
  }
  if (a.fileName !== b.fileName) return a.fileName < b.fileName ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0);
}

function duplicateVersions(catalog: Catalog): Finding[] {
  return catalog.duplicates.flatMap(({ version, direction, fileNames }) =>
    fileNames.slice(1).map((fileName) => ({
      rule: 'duplicate-version' as const,
      message:
        `duplicate migration file: ${fileName}: version ${version} already has the ${direction} file ` +
        `${fileNames[0]}. golang-migrate refuses to run anything from this folder until one is renumbered or removed.`,
      fileName,
      relatedFileNames: [fileNames[0]],
      version,
    })),
  );
}

/** Only names that look meant as migrations are reported, not READMEs or editor files. */
function ignoredFiles(catalog: Catalog): Finding[] {
  if (catalog.ignored.length === 0) return [];
  // The extensions in use are collected only when a name needs them: most folders have no ignored names at all.
  let extensions: ReadonlySet<string | undefined> | undefined;
  const extensionInUse = (extension: string) => {
    extensions ??= new Set(catalog.migrations.flatMap((m) => [m.up?.extension, m.down?.extension]));
    return extensions.has(extension);
  };
  const looksLikeMigration = (name: string) =>
    /^[0-9]/.test(name) || /\.(up|down)(\.|$)/i.test(name) || extensionInUse(name.slice(name.indexOf('.') + 1));
  return catalog.ignored.filter(looksLikeMigration).map((fileName) => ({
    rule: 'ignored-file' as const,
    message: `golang-migrate ignores ${fileName}: ${explainIgnoredFileName(fileName)}. Expected NUMBER_name.up.sql or NUMBER_name.down.sql.`,
    fileName,
  }));
}

function versionDigits(file: MigrationFileName): string {
  return file.fileName.slice(0, file.fileName.indexOf('_'));
}

function addMissingPartner(findings: Finding[], migration: Migration): void {
  const { up, down, version } = migration;
  if (up && !down) {
    const expected = `${versionDigits(up)}_${up.identifier}.down.${up.extension}`;
    findings.push({
      rule: 'missing-down',
      message: `${up.fileName} has no down file (${expected}): rolling back version ${version} moves the version and runs no SQL.`,
      fileName: up.fileName,
      relatedFileNames: [expected],
      version,
    });
  } else if (down && !up) {
    const expected = `${versionDigits(down)}_${down.identifier}.up.${down.extension}`;
    findings.push({
      rule: 'missing-up',
      message: `${down.fileName} has no up file (${expected}): applying version ${version} moves the version and runs no SQL.`,
      fileName: down.fileName,
      relatedFileNames: [expected],
      version,
    });
  }
}

function primaryFile(migration: Migration): MigrationFileName {
  return (migration.up ?? migration.down)!;
}

function numbering(catalog: Catalog): Finding[] {
  const migrations = catalog.migrations;
  const timestamps = migrations.filter((m) => m.version >= TIMESTAMP_VERSION_THRESHOLD);
  const sequential = migrations.filter((m) => m.version < TIMESTAMP_VERSION_THRESHOLD);
  if (timestamps.length > 0 && sequential.length > 0) {
    const [minority, kind, majorityKind, majorityCount] =
      sequential.length <= timestamps.length
        ? [sequential, 'a sequential number', 'timestamps', timestamps.length]
        : [timestamps, 'a timestamp', 'sequential numbers', sequential.length];
    return minority.map((migration) => ({
      rule: 'mixed-numbering' as const,
      message:
        `version ${migration.version} is ${kind} while ${majorityCount} other version${majorityCount === 1 ? '' : 's'} ` +
        `use ${majorityKind}: migrations run in numeric order, so every timestamp runs after every sequential number.`,
      fileName: primaryFile(migration).fileName,
      version: migration.version,
    }));
  }
  if (timestamps.length > 0) return [];
  const gaps: Finding[] = [];
  for (let i = 1; i < migrations.length; i++) {
    const before = migrations[i - 1].version;
    const after = migrations[i];
    // Every version here is below the timestamp threshold, so a double holds it exactly (and costs no allocation).
    if (Number(after.version) - Number(before) <= 1) continue;
    const missing =
      after.version - before === 2n
        ? `version ${before + 1n} is`
        : `versions ${before + 1n} to ${after.version - 1n} are`;
    gaps.push({
      rule: 'numbering-gap',
      message: `${missing} missing between ${before} and ${after.version}.`,
      fileName: primaryFile(after).fileName,
      version: after.version,
    });
  }
  return gaps;
}

function pendingBelowCurrent({ catalog, database, knownApplied }: LintInput): Finding[] {
  if (!database || !knownApplied) return [];
  return migrationStatuses(catalog, database, { knownApplied })
    .rows.filter((row) => row.state === 'pending-below-current')
    .map((row) => ({
      rule: 'pending-below-current' as const,
      message:
        `version ${row.version} never ran but is below the current version ${database.version}: golang-migrate ` +
        'will never apply it. Renumber it above the current version.',
      fileName: (row.up ?? row.down)!.fileName,
      version: row.version,
    }));
}

function addContentFindings(findings: Finding[], file: MigrationFileName, content: string): void {
  const { fileName, version } = file;
  if (isBlank(content)) {
    findings.push({
      rule: 'empty-file',
      message:
        `${fileName} is empty: MySQL fails with error 1065 "Query was empty" and golang-migrate leaves the database ` +
        'dirty. Write the SQL, or a comment such as "-- nothing to do" (a comment-only file runs fine).',
      fileName,
      version,
      line: 1,
      column: 1,
    });
    return;
  }
  // Scanning out comments and strings costs far more than this test, and a file without the word has no DELIMITER.
  if (/DELIMITER/i.test(content)) {
    const code = codeOnly(content);
    for (const match of code.matchAll(/^[ \t]*(DELIMITER)(?=[ \t\r\n]|$)/gim)) {
      const { line, column } = positionInText(content, match.index + match[0].length - match[1].length);
      findings.push({
        rule: 'delimiter',
        message:
          'DELIMITER is a mysql client command, not SQL: the server rejects it when golang-migrate sends the file. ' +
          'Remove the DELIMITER lines and end the routine body with ";" (the file is sent whole, so inner ";" are fine).',
        fileName,
        version,
        line,
        column,
      });
    }
  }
}

/**
 * One finding per down file that loses data its up did not bring: a down that drops the table its up created, the
 * column it added or the rows it inserted only undoes the up, and says nothing worth reading. What is left, such as a
 * column or table the up never made, is listed in one message at the first such statement.
 */
function addDestructiveDown(
  findings: Finding[],
  file: MigrationFileName,
  content: string,
  upContent: string | undefined,
): void {
  const losses = tableChangesOfScript(content).filter(losesData);
  const lost = losses.length === 0 ? losses : changesNotCreatedBy(losses, upContent ?? '');
  if (lost.length === 0) return;
  const { line, column } = positionInText(content, lost[0].offset);
  const shown = lost.slice(0, 3).map(describeLoss);
  if (lost.length > 3) shown.push(`${lost.length - 3} more`);
  findings.push({
    rule: 'destructive-down',
    message:
      `${shown.join(', ')} in a down migration: rolling back version ${file.version} loses data its up did not ` +
      'create, for good.',
    fileName: file.fileName,
    version: file.version,
    line,
    column,
  });
}

function describeLoss(change: TableChange): string {
  if (change.what === 'DROP DATABASE') return 'DROP DATABASE';
  if (change.what === 'DROP COLUMN' && change.column !== undefined) {
    return `DROP COLUMN ${change.tables[0]}.${change.column}`;
  }
  return `${change.what} ${change.tables.join(', ')}`;
}

/** The 1-based line and column of an offset in a text, counted without listing where every line starts. */
function positionInText(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline >= 0 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
