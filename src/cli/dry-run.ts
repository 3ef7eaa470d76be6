/**
 * `--dry-run` for up, down and goto: prints the preview (the plan and the SQL of each step) with what preflight finds
 * in each step, and runs nothing. The target is only read: the version table and the lock (missing, the table reads
 * as no version), then preflight's SELECTs; no lock is taken and no table created. Preflight tries the statements on
 * a scratch database, dropped afterwards.
 */
import { FolderSource } from '../adapters/file-source';
import { dryRunDocument } from '../app/dry-run';
import { preflightPreview, type PreflightResult } from '../app/preflight';
import type { Preview } from '../app/run-session';
import type { PlanRequest } from '../core/plan';
import type { CliContext } from './context';
import type { FlagSpecs } from './flags';

export const DRY_RUN_FLAG: FlagSpecs = {
  'dry-run': {
    kind: 'boolean',
    description:
      'Print the plan, its SQL and what preflight finds, without running anything (SELECTs only; no lock, no table made)',
  },
};

/** Prints the dry run on stdout, then throws the error the real run would end with (exit status 1), if any. */
export async function printDryRun(request: PlanRequest, context: CliContext): Promise<number> {
  const preview = await context.withSession((session) => session.preview(request));
  let found: PreflightResult | { error: string } | undefined;
  if (preview.plan.steps.length > 0) {
    found = await commandLinePreflight(preview, context).catch((error: unknown) => ({
      error: (error as Error).message,
    }));
  }
  const target = await context.databaseLabel();
  context.streams.stdout.write(dryRunDocument(preview, target, found));
  if (preview.plan.outcome.kind === 'error') throw preview.plan.outcome.error;
  return 0;
}

/** Preflight of a preview from the command line: the folder on disk, the project's settings, Ctrl+C. */
export async function commandLinePreflight(
  preview: Preview,
  context: CliContext,
  options: Pick<Parameters<typeof preflightPreview>[2], 'scratchServer'> = {},
): Promise<PreflightResult> {
  return preflightPreview(preview, new FolderSource(await context.requireFolder()), {
    ...options,
    database: await context.requireDatabase(),
    config: await context.projectConfig(),
    signal: context.signal,
  });
}
