/**
 * `--dry-run` for up, down and goto: prints the plan, the SQL of each step and what preflight finds in it, and runs
 * nothing. The target is only read: `SELECT version, dirty` on the version table (missing, it reads as no version)
 * and preflight's SELECTs; no lock is taken and no table created. Preflight's probes run on a scratch database that
 * is dropped afterwards.
 */
import { readMigrationFolder } from '../adapters/file-source';
import { readDatabaseVersion } from '../adapters/project-database-version';
import { type DatabaseConfig, redactDatabaseUrl } from '../adapters/mysql/dsn';
import { preflight } from '../app/preflight';
import { buildCatalog, type Catalog } from '../core/catalog';
import type { DatabaseVersion } from '../core/model';
import { type MigrationPlan, planMigrations, type PlanRequest } from '../core/plan';
import { renderDryRun } from '../core/safety-dry-run';
import type { CliContext } from './context';
import type { FlagSpecs } from './flags';
import { projectConfig } from './project-config';

export const DRY_RUN_FLAG: FlagSpecs = {
  'dry-run': {
    kind: 'boolean',
    description:
      'Print the plan, its SQL and what preflight finds, without running anything (reads the version and runs SELECTs only; no lock, no table made)',
  },
};

/** A run as planned from the folder on disk and the database's version, before anything runs. */
export interface PlannedRun {
  readonly folder: string;
  readonly database: DatabaseConfig;
  readonly catalog: Catalog;
  readonly current: DatabaseVersion;
  readonly plan: MigrationPlan;
  /** Every migration file's text by name: the planned steps' and the applied ones preflight rebuilds the schema from. */
  readonly texts: ReadonlyMap<string, string>;
}

/** Reads the folder once and the database's version, and plans the request with the core. */
export async function planFromDisk(request: PlanRequest, context: CliContext): Promise<PlannedRun> {
  const folder = context.requireFolder();
  const database = context.requireDatabase();
  const [listing, current] = await Promise.all([readMigrationFolder(folder), readDatabaseVersion(database)]);
  const catalog = buildCatalog(listing.files);
  const texts = new Map(listing.files.map((file) => [file.name, file.content]));
  return { folder, database, catalog, current, plan: planMigrations(catalog, current, request), texts };
}

/** Prints the dry run on stdout, then throws the error the real run would end with (exit status 1), if any. */
export async function printDryRun(request: PlanRequest, context: CliContext): Promise<number> {
  const run = await planFromDisk(request, context);
  const { plan, current, texts } = run;
  let found: Parameters<typeof renderDryRun>[0]['preflight'];
  if (plan.steps.length > 0) {
    try {
      const config = await projectConfig(context, run.folder);
      found = await preflight({ ...run, config, signal: context.signal });
    } catch (error) {
      found = { error: (error as Error).message };
    }
  }
  const target = redactDatabaseUrl(context.options.databaseUrl ?? '');
  context.streams.stdout.write(renderDryRun({ request, current, plan, texts, target, preflight: found }));
  if (plan.outcome.kind === 'error') throw plan.outcome.error;
  return 0;
}
