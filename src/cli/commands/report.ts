import type { RunResult } from '../../app/run-session';
import type { PlanRequest } from '../../core/plan';
import type { CliContext } from '../context';
import { printDryRun } from '../dry-run';

/**
 * `up`, `down` and `goto`: run the request, planned under the lock as golang-migrate plans it (nobody confirmed a
 * preview here), or with `--dry-run` only print the preview.
 */
export async function migrateOrPrintPlan(request: PlanRequest, dryRun: boolean, context: CliContext): Promise<number> {
  if (dryRun) return printDryRun(request, context);
  return reportRun(await context.withSession((session) => session.run(request, context.runOptions())), context);
}

/**
 * Turns a run's result into golang-migrate's reporting: "no change" is logged and succeeds, "limit K short" is an
 * error after the available migrations ran, a stop on Ctrl+C succeeds after the running migration.
 */
export function reportRun(result: RunResult, context: CliContext): number {
  switch (result.outcome.kind) {
    case 'ok':
      return 0;
    case 'no-change':
      context.log('no change');
      return 0;
    case 'short-limit':
      throw result.outcome.error;
    case 'cancelled':
      context.log(`Stopped after ${result.steps.length} migration${result.steps.length === 1 ? '' : 's'}.`);
      return 0;
    case 'declined':
      context.log('Cancelled before the backup: nothing ran.');
      return 1;
  }
}
