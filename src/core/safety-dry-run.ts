import type { DatabaseVersion } from './model';
import type { MigrationPlan, PlanRequest } from './plan';
import { summarisePlan, versionLabel } from './plan-summary';
import type { PreflightFinding } from './preflight-findings';

export interface DryRunInput {
  readonly request: PlanRequest;
  readonly current: DatabaseVersion;
  readonly plan: MigrationPlan;
  /** The text of each file the plan runs, by file name. */
  readonly texts: ReadonlyMap<string, string>;
  /** Where the plan would run, e.g. the redacted database URL. */
  readonly target?: string;
  /** What preflight found in the steps' files, or why it could not look. */
  readonly preflight?: { readonly findings: readonly PreflightFinding[] } | { readonly error: string };
}

/** `up`, `up 2`, `down`, `down 1`, `goto 5`: the command as the user would type it. */
export function describeRequest(request: PlanRequest): string {
  if (request.kind === 'goto') return `goto ${request.version}`;
  return request.limit === undefined ? request.kind : `${request.kind} ${request.limit}`;
}

/**
 * The plan as a SQL document: a commented header (command, database version, outcome), then each step's version,
 * direction and file with that file's SQL, in the order it would run. The same text is printed by the command line's
 * `--dry-run` and shown read-only in the editor before Apply.
 */
export function renderDryRun({ request, current, plan, texts, target, preflight }: DryRunInput): string {
  const state = `${versionLabel(current.version)}${current.dirty ? ' (dirty)' : ''}`;
  const lines = [
    `-- Dry run of \`${describeRequest(request)}\`: nothing has run yet.`,
    ...(target === undefined ? [] : [`-- Database: ${target}`]),
    `-- The database is at ${state}.`,
  ];
  const error = plan.outcome.kind === 'error' ? plan.outcome.error : undefined;
  if (plan.steps.length === 0) {
    lines.push(
      error === undefined
        ? `-- No change: nothing to run, the database stays at ${versionLabel(current.version)}.`
        : `-- Refused, nothing would run: ${error.message}`,
    );
    return `${lines.join('\n')}\n`;
  }
  const summary = summarisePlan(plan, current);
  lines.push(`-- ${summary.headline}`);
  if (error !== undefined) lines.push(`-- Then it stops with: ${error.message}`);
  if (preflight !== undefined && 'error' in preflight) lines.push(`-- Preflight could not look: ${preflight.error}`);
  const findings = preflight !== undefined && 'findings' in preflight ? preflight.findings : [];
  plan.steps.forEach((step, index) => {
    lines.push(
      '',
      `-- Step ${index + 1} of ${plan.steps.length}: version ${step.version} ${step.direction}, leaving the database at ` +
        `${versionLabel(step.targetVersion)}: ${summary.steps[index]}`,
    );
    for (const finding of findings.filter((candidate) => candidate.fileName === step.file?.fileName)) {
      const [first, ...rest] = finding.message.split('\n');
      lines.push(`-- Preflight, line ${finding.line}, ${finding.severity} ${finding.code}: ${first}`);
      for (const more of rest) lines.push(`--   ${more}`);
    }
    const text = step.file && texts.get(step.file.fileName);
    if (step.file && text === undefined) lines.push('-- (the file could not be read)');
    else if (text !== undefined) lines.push(text.replace(/\s+$/, ''));
  });
  return `${lines.join('\n')}\n`;
}
