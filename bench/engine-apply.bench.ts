import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, type MigrateRequest } from '../src/adapters/migrator';
import type { MigrationDatabase } from '../src/adapters/mysql/database';
import { parseDatabaseUrl } from '../src/adapters/mysql/dsn';
import { createVersionTable, setVersion } from '../src/adapters/mysql/sql';
import { createTestDatabase, type TestDatabase } from '../test/db/support';
import { type Benchmark, nowMs } from './harness';

const MIGRATIONS = 1_000;

interface Migration {
  readonly version: number;
  readonly up: string;
  readonly down: string;
}

/** One CREATE TABLE each; every 25th also adds an index and seed rows (three statements in one file). */
function history(): Migration[] {
  return Array.from({ length: MIGRATIONS }, (_, index) => {
    const table = `table_${index + 1}`;
    const create = `CREATE TABLE ${table} (\n  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  name varchar(120) NOT NULL,\n  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n`;
    const several = (index + 1) % 25 === 0;
    return {
      version: index + 1,
      up: several
        ? `${create}CREATE INDEX idx_${table}_name ON ${table} (name);\nINSERT INTO ${table} (name) VALUES ('a'), ('b'), ('c');\n`
        : create,
      down: several ? `DROP INDEX idx_${table}_name ON ${table};\nDROP TABLE ${table};\n` : `DROP TABLE ${table};\n`,
    };
  });
}

/** Time and round trips of one way of applying the migrations. */
interface Tally {
  ms: number;
  roundTrips: number;
}

/** Runs one migration in one direction. */
type Runner = (migration: Migration, direction: 'up' | 'down') => Promise<void>;

/** The floor: the file's SQL on one connection, no bookkeeping. */
function floorRunner(database: TestDatabase, tally: Tally): Runner {
  return async (migration, direction) => {
    await database.sql.query(direction === 'up' ? migration.up : migration.down);
    tally.roundTrips++;
  };
}

/** golang-migrate's protocol on one connection: (target, dirty), the file, (target, clean), each write one query. */
function twoWritesRunner(database: TestDatabase, tally: Tally): Runner {
  return async (migration, direction) => {
    const target = BigInt(direction === 'up' ? migration.version : migration.version - 1);
    await database.sql.query(setVersion('schema_migrations', target, true).sql);
    await database.sql.query(direction === 'up' ? migration.up : migration.down);
    await database.sql.query(setVersion('schema_migrations', target, false).sql);
    tally.roundTrips += 3;
  };
}

/**
 * Times a runner inside the engine's step hook. Unlike the harness's `timed` it collects no garbage first: the engine's
 * time is its wall time less these samples, so a collection here would be charged to the engine.
 */
async function timed(tally: Tally, action: () => Promise<void>): Promise<number> {
  const started = nowMs();
  await action();
  const ms = nowMs() - started;
  tally.ms += ms;
  return ms;
}

/**
 * One engine command (`up` or `down` all) whose step hook runs the same migration with the other runners, each on its
 * own database: the load of other processes then falls on all of them alike, migration by migration. The engine's
 * time is the command's wall time less the time spent in those runners.
 */
async function interleaved(
  request: Extract<MigrateRequest, { kind: 'up' | 'down' }>,
  folder: string,
  engineDatabase: TestDatabase,
  engine: Tally,
  others: readonly [Tally, Runner][],
  migrations: ReadonlyMap<bigint, Migration>,
): Promise<void> {
  let othersMs = 0;
  let connection: MigrationDatabase | undefined;
  let turn = 0;
  const started = nowMs();
  const result = await migrate(request, {
    folder,
    database: parseDatabaseUrl(engineDatabase.url),
    hooks: {
      async onStepDone(step, _durationMs, opened) {
        connection = opened;
        const migration = migrations.get(step.version)!;
        turn++;
        for (let index = 0; index < others.length; index++) {
          const [tally, runner] = others[(turn + index) % others.length];
          othersMs += await timed(tally, () => runner(migration, step.direction));
        }
      },
    },
  });
  engine.ms += nowMs() - started - othersMs;
  engine.roundTrips += connection?.roundTrips ?? 0;
  if (result.outcome.kind !== 'ok' || result.steps.length !== migrations.size) {
    throw new Error(`engine ${request.kind}: ${JSON.stringify(result.outcome)} after ${result.steps.length} steps`);
  }
}

export const benchmark: Benchmark = {
  name: 'engine: apply and roll back 1,000 migrations',
  async run() {
    const migrations = history();
    const folder = await mkdtemp(path.join(tmpdir(), 'ml-apply-bench-'));
    const databases = await Promise.all(
      ['bench_floor', 'bench_two_writes', 'bench_engine'].map((label) => createTestDatabase(label)),
    );
    const [floorDatabase, twoWritesDatabase, engineDatabase] = databases;
    try {
      for (const migration of migrations) {
        const prefix = `${String(migration.version).padStart(6, '0')}_create_table_${migration.version}`;
        await writeFile(path.join(folder, `${prefix}.up.sql`), migration.up);
        await writeFile(path.join(folder, `${prefix}.down.sql`), migration.down);
      }
      await twoWritesDatabase.sql.query(createVersionTable('schema_migrations').sql);
      const [[flushRow]] = (await floorDatabase.sql.query(
        'SELECT @@innodb_flush_log_at_trx_commit AS flush',
      )) as unknown as [[{ flush: number }]];

      const floor: Tally = { ms: 0, roundTrips: 0 };
      const twoWrites: Tally = { ms: 0, roundTrips: 0 };
      const engine: Tally = { ms: 0, roundTrips: 0 };
      const others: [Tally, Runner][] = [
        [floor, floorRunner(floorDatabase, floor)],
        [twoWrites, twoWritesRunner(twoWritesDatabase, twoWrites)],
      ];
      const byVersion = new Map(migrations.map((migration) => [BigInt(migration.version), migration]));
      await interleaved({ kind: 'up' }, folder, engineDatabase, engine, others, byVersion);
      await interleaved({ kind: 'down' }, folder, engineDatabase, engine, others, byVersion);

      const steps = 2 * MIGRATIONS;
      const perStep = (tally: Tally) => tally.ms / steps;
      return {
        name: this.name,
        figures: {
          'migrations (up all, then down all)': `${MIGRATIONS} + ${MIGRATIONS}`,
          innodb_flush_log_at_trx_commit: flushRow.flush,
          'floor, SQL only (ms per migration)': perStep(floor).toFixed(2),
          'two writes, as golang-migrate (ms per migration)': perStep(twoWrites).toFixed(2),
          'engine (ms per migration)': perStep(engine).toFixed(2),
          'floor round trips per migration': (floor.roundTrips / steps).toFixed(2),
          'two writes round trips per migration': (twoWrites.roundTrips / steps).toFixed(2),
          'engine round trips per migration': (engine.roundTrips / steps).toFixed(2),
          'two writes / floor': (twoWrites.ms / floor.ms).toFixed(2),
          'engine total (s)': (engine.ms / 1000).toFixed(1),
        },
        targets: [
          { what: 'engine / floor (apply and roll back)', value: engine.ms / floor.ms, atMost: 1.6, unit: 'x' },
        ],
      };
    } finally {
      await Promise.all(databases.map((database) => database.drop()));
      await rm(folder, { recursive: true, force: true });
    }
  },
};
