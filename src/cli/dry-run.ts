/**
 * `--dry-run` for up, down and goto: prints the preview (the plan and the SQL of each step), and runs nothing. The
 * only queries read the version table and the lock (missing, the table reads as no version): no lock is taken and no
 * table created.
 */
import { dryRunDocument } from '../app/dry-run';
import type { PlanRequest } from '../core/plan';
import type { CliContext } from './context';
import type { FlagSpecs } from './flags';

export const DRY_RUN_FLAG: FlagSpecs = {
  'dry-run': {
    kind: 'boolean',
    description: 'Print the plan and its SQL without running anything (reads the version only; no lock, no table made)',
  },
};

/** Prints the dry run on stdout, then throws the error the real run would end with (exit status 1), if any. */
export async function printDryRun(request: PlanRequest, context: CliContext): Promise<number> {
  const preview = await context.withSession((session) => session.preview(request));
  const target = await context.databaseLabel();
  context.streams.stdout.write(dryRunDocument(preview, target));
  if (preview.plan.outcome.kind === 'error') throw preview.plan.outcome.error;
  return 0;
}
