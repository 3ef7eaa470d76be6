/**
 * `--dry-run` for up, down and goto: prints the plan and the SQL of each step, and runs nothing. The only query is
 * a plain `SELECT version, dirty` on the version table (missing, it reads as no version): no lock is
 * taken and no table created.
 */
import { listMigrationFolder, readSourceFile } from '../adapters/file-source';
import { readDatabaseVersion } from '../adapters/project-database-version';
import { redactDatabaseUrl } from '../adapters/mysql/dsn';
import { buildCatalog } from '../core/catalog';
import { planMigrations, type PlanRequest } from '../core/plan';
import { renderDryRun } from '../core/safety-dry-run';
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
  const folder = context.requireFolder();
  const config = context.requireDatabase();
  const [listing, current] = await Promise.all([listMigrationFolder(folder), readDatabaseVersion(config)]);
  const plan = planMigrations(buildCatalog(listing.files), current, request);
  const texts = new Map<string, string>();
  for (const step of plan.steps) {
    if (step.file) texts.set(step.file.fileName, (await readSourceFile(folder, step.file.fileName)).content);
  }
  const target = redactDatabaseUrl(context.options.databaseUrl ?? '');
  context.streams.stdout.write(renderDryRun({ request, current, plan, texts, target }));
  if (plan.outcome.kind === 'error') throw plan.outcome.error;
  return 0;
}
