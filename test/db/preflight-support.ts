import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { preflight, type PreflightPorts, type PreflightResult } from '../../src/app/preflight';
import { buildCatalog } from '../../src/core/catalog';
import { NIL_VERSION, type DatabaseVersion } from '../../src/core/model';
import { planMigrations, type PlanRequest } from '../../src/core/plan';
import { DEFAULT_PROJECT_CONFIG, type ProjectConfig } from '../../src/core/project-file';
import type { TestDatabase } from './support';

/** A folder's files by name, applied ones first: `applied` run on the database before preflight looks at `pending`. */
export interface PreflightCase {
  readonly applied?: Readonly<Record<string, string>>;
  readonly pending: Readonly<Record<string, string>>;
  /** Rows (or anything else) put in after the applied files ran, before preflight; statistics are refreshed after. */
  readonly data?: string;
  readonly request?: PlanRequest;
  readonly config?: Partial<ProjectConfig>;
  /** Another URL for the target (another user, session settings); the test database's by default. */
  readonly url?: string;
  readonly scratchUrl?: string;
  readonly ports?: PreflightPorts;
}

/**
 * Builds the case on the test database (which it empties first), then runs preflight for `up` (or the request) from
 * the highest applied version, the way a caller hands it a plan.
 */
export async function preflightCase(db: TestDatabase, test: PreflightCase): Promise<PreflightResult> {
  return (await prepareCase(db, test))();
}

/** Builds the case, and gives the preflight run to make when the test is ready for it. */
export async function prepareCase(db: TestDatabase, test: PreflightCase): Promise<() => Promise<PreflightResult>> {
  await db.dropAllTables();
  const applied = test.applied ?? {};
  for (const [name, sql] of Object.entries(applied)) if (name.includes('.up.')) await db.sql.query(sql);
  if (test.data !== undefined) await db.sql.query(test.data);
  const tables = await db.tables();
  if (tables.length > 0) await db.sql.query(`ANALYZE TABLE ${tables.map((name) => `\`${name}\``).join(', ')}`);
  const files = { ...applied, ...test.pending };
  const catalog = buildCatalog(Object.keys(files).map((name) => ({ name })));
  const versions = Object.keys(applied).map((name) => BigInt(/^\d+/.exec(name)![0]));
  const current: DatabaseVersion = {
    version: versions.reduce((high, version) => (version > high ? version : high), NIL_VERSION),
    dirty: false,
  };
  const plan = planMigrations(catalog, current, test.request ?? { kind: 'up' });
  return () =>
    preflight(
      {
        plan,
        catalog,
        current,
        texts: new Map(Object.entries(files)),
        database: parseDatabaseUrl(test.url ?? db.url),
        ...(test.scratchUrl !== undefined && { scratchServer: parseDatabaseUrl(test.scratchUrl) }),
        config: { ...DEFAULT_PROJECT_CONFIG, ...test.config },
      },
      ...(test.ports ? [test.ports] : []),
    );
}

/** `code@line` of each finding, in order, for assertions that read like the files. */
export function codes(result: PreflightResult): string[] {
  return result.findings.map((finding) => `${finding.code}@${finding.line}`);
}

/** Runs the pending files for real on the test database, in order: what the prediction is checked against. */
export async function runPending(
  db: TestDatabase,
  pending: Readonly<Record<string, string>>,
): Promise<number | undefined> {
  try {
    for (const [name, sql] of Object.entries(pending)) if (name.includes('.up.')) await db.sql.query(sql);
    return undefined;
  } catch (error) {
    return (error as { errno?: number }).errno;
  }
}
