import type { MigrationPlan } from './plan';
import { type DatabaseVersion, type Direction, NIL_VERSION } from './model';

/** A plan in words, for the confirmation dialog and the output channel before anything runs. */
export interface PlanSummary {
  /** One line: what moves where, e.g. "Roll back 2 migrations: version 5 → 3". */
  readonly headline: string;
  /** One line per step, in order: `5/d add_email (000005_add_email.down.sql)`. */
  readonly steps: readonly string[];
  /** Whether any step runs a down file (rolling back can lose data, so the user is asked first). */
  readonly goesDown: boolean;
}

/** Shows a version as users read it: the number, or "no version" for nil. */
export function versionLabel(version: bigint): string {
  return version === NIL_VERSION ? 'no version' : `version ${version}`;
}

/** golang-migrate's step label `V/u identifier` (or `/d`); a step without a file is `<empty>`, as in its log. */
export function stepLabel(version: bigint, direction: Direction, identifier: string | undefined): string {
  return `${version}/${direction === 'up' ? 'u' : 'd'} ${identifier ?? '<empty>'}`;
}

/** Describes the steps of a plan that has some; the caller handles refusals and "no change" from `plan.outcome`. */
export function summarisePlan(plan: MigrationPlan, current: DatabaseVersion): PlanSummary {
  const goesDown = plan.steps.some((step) => step.direction === 'down');
  const count = plan.steps.length;
  const final = plan.steps[count - 1]?.targetVersion ?? current.version;
  const verb = goesDown ? 'Roll back' : 'Apply';
  const destination = final === NIL_VERSION ? 'no version' : `${final}`;
  const headline = `${verb} ${count} migration${count === 1 ? '' : 's'}: ${versionLabel(current.version)} → ${destination}`;
  const steps = plan.steps.map(
    (step) =>
      `${stepLabel(step.version, step.direction, step.file?.identifier)} (${step.file?.fileName ?? `no ${step.direction} file: the version moves, no SQL runs`})`,
  );
  return { headline, steps, goesDown };
}
