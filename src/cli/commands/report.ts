import type { RunResult } from '../../app/run-session';
import type { PlanRequest } from '../../core/plan';
import type { CliContext } from '../context';
import { printDryRun } from '../dry-run';
import { fleetFlags, migrateFleet } from '../fleet';
import { UsageError, type ParsedFlags } from '../flags';

/**
 * `up`, `down` and `goto`: run the request, planned under the lock as golang-migrate plans it (nobody confirmed a
 * preview here), or with `--dry-run` only print the preview. With `-env` naming a fleet, `up` and `goto` (whose
 * `flags` take the fleet's) run across its databases.
 */
export async function migrateOrPrintPlan(
  request: PlanRequest,
  dryRun: boolean,
  context: CliContext,
  flags?: ParsedFlags,
): Promise<number> {
  const fleet = flags && fleetFlags(flags);
  const environment = flags && (await context.environment());
  if (environment?.spec.fleet) return migrateFleet(request, dryRun, fleet, environment, context);
  if (fleet) throw new UsageError('-parallel, -canary, -continue and -shard work across a fleet: name one with -env');
  if (dryRun) return printDryRun(request, context);
  const result = await context.withWritingSession(request.kind, (session) =>
    session.run(request, context.runOptions()),
  );
  return reportRun(result, context);
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
