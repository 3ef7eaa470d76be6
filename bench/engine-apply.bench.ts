/**
 * The engine against the floor (the same SQL with no bookkeeping) and against golang-migrate's protocol replayed
 * statement by statement, in one run against the same MariaDB. The engine runs as users run it: through the run
 * session, ledger on. Each migration is run by all three in turn (their order rotating), so a change in the load of
 * the machine falls on all of them alike.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { FolderSource } from '../src/adapters/file-source';
import { MigrationDatabase } from '../src/adapters/mysql/database';
import { parseDatabaseUrl } from '../src/adapters/mysql/dsn';
import { createVersionTable, quoteIdentifier } from '../src/adapters/mysql/sql';
import { RunSession } from '../src/app/run-session';
import type { PlanRequest } from '../src/core/plan';
import { createTestDatabase, type TestDatabase } from '../test/db/support';
import { type Benchmark, nowMs } from './harness';

const MIGRATIONS = 1_000;

interface Migration {
  readonly version: number;
  readonly up: string;
  readonly down: string;
}

/** One CREATE TABLE each; every 25th also adds an index and seed rows (three statements in one file). */
export function history(count: number): Migration[] {
  return Array.from({ length: count }, (_, index) => {
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

/** Writes the migrations as golang-migrate files into a new folder. */
export async function migrationsFolder(migrations: readonly Migration[]): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'ml-apply-bench-'));
  for (const migration of migrations) {
    const prefix = `${String(migration.version).padStart(6, '0')}_create_table_${migration.version}`;
    await writeFile(path.join(folder, `${prefix}.up.sql`), migration.up);
    await writeFile(path.join(folder, `${prefix}.down.sql`), migration.down);
  }
  return folder;
}

/** Time and round trips of one way of applying the migrations. */
interface Tally {
  ms: number;
  roundTrips: number;
}

/** Runs one migration in one direction. */
type Runner = (migration: Migration, direction: 'up' | 'down') => Promise<void>;

/** The floor: the file's SQL on one connection, no bookkeeping. */
export function floorRunner(database: TestDatabase, tally: Tally): Runner {
  return async (migration, direction) => {
    await database.sql.query(direction === 'up' ? migration.up : migration.down);
    tally.roundTrips++;
  };
}

/**
 * golang-migrate v4's MySQL driver as it talks to the server through go-sql-driver (without interpolateParams): each
 * SetVersion is a transaction of its own, `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`, `START TRANSACTION`, the
 * DELETE, the INSERT as a prepared statement (prepare, execute, close) and COMMIT, one round trip each, before and after
 * the file; the file is one query.
 */
function golangMigrateRunner(database: TestDatabase, tally: Tally): Runner {
  const table = quoteIdentifier('schema_migrations');
  const insertSql = `INSERT INTO ${table} (version, dirty) VALUES (?, ?)`;
  const setVersion = async (version: bigint, dirty: boolean) => {
    const sql = database.sql;
    await sql.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await sql.query('START TRANSACTION');
    await sql.query(`DELETE FROM ${table} LIMIT 1`);
    const insert: mysql.PreparedStatementInfo = await sql.prepare(insertSql);
    await insert.execute([version.toString(), dirty ? 1 : 0]);
    // go-sql-driver prepares the statement anew each time; mysql2 would keep it, so it is taken out of its cache.
    sql.unprepare(insertSql);
    await sql.query('COMMIT');
    tally.roundTrips += 6;
  };
  return async (migration, direction) => {
    const target = BigInt(direction === 'up' ? migration.version : migration.version - 1);
    await setVersion(target, true);
    await database.sql.query(direction === 'up' ? migration.up : migration.down);
    tally.roundTrips++;
    await setVersion(target, false);
  };
}

/** Times a runner inside the engine's progress handler; no garbage is collected, as the engine's time is net of it. */
async function timed(tally: Tally, action: () => Promise<void>): Promise<number> {
  const started = nowMs();
  await action();
  const ms = nowMs() - started;
  tally.ms += ms;
  return ms;
}

/** The run session over the real adapters, with access to its database for the round trips it sent. */
export function engineSession(folder: string, url: string, createLedger = true) {
  let database: MigrationDatabase | undefined;
  const session = new RunSession(
    new FolderSource(folder),
    async () => (database = await MigrationDatabase.open(parseDatabaseUrl(url), { create: createLedger })),
    { lockTimeoutSeconds: 10, createLedger },
  );
  return { session, roundTrips: () => database?.roundTrips ?? 0 };
}

/**
 * One engine command whose progress handler (the run waits for it) runs the same migration with the other runners,
 * each on its own database. The engine's time is the command's wall time less the time spent in those runners.
 */
async function interleaved(
  request: PlanRequest,
  engine: { folder: string; database: TestDatabase; tally: Tally; createLedger: boolean },
  others: readonly [Tally, Runner][],
  migrations: ReadonlyMap<bigint, Migration>,
): Promise<void> {
  let othersMs = 0;
  let turn = 0;
  const { session, roundTrips } = engineSession(engine.folder, engine.database.url, engine.createLedger);
  try {
    const started = nowMs();
    const preview = await session.preview(request);
    const result = await session.run(preview, {
      onProgress: async (event) => {
        if (event.kind !== 'done') return;
        const migration = migrations.get(event.step.version)!;
        turn++;
        for (let index = 0; index < others.length; index++) {
          const [tally, runner] = others[(turn + index) % others.length];
          othersMs += await timed(tally, () => runner(migration, event.step.direction));
        }
      },
    });
    engine.tally.ms += nowMs() - started - othersMs;
    engine.tally.roundTrips += roundTrips();
    if (result.outcome.kind !== 'ok' || result.steps.length !== migrations.size) {
      throw new Error(`engine ${request.kind}: ${JSON.stringify(result.outcome)} after ${result.steps.length} steps`);
    }
  } finally {
    await session.close();
  }
}

export const benchmark: Benchmark = {
  name: 'engine: apply and roll back 1,000 migrations (ledger on, as users run it)',
  async run() {
    const migrations = history(MIGRATIONS);
    const folder = await migrationsFolder(migrations);
    const databases = await Promise.all(
      ['bench_floor', 'bench_golang_migrate', 'bench_engine', 'bench_engine_no_ledger'].map((label) =>
        createTestDatabase(label),
      ),
    );
    const [floorDatabase, replayDatabase, engineDatabase, noLedgerDatabase] = databases;
    try {
      await replayDatabase.sql.query(createVersionTable(replayDatabase.name, 'schema_migrations').sql);
      const [[flushRow]] = (await floorDatabase.sql.query(
        'SELECT @@innodb_flush_log_at_trx_commit AS flush',
      )) as unknown as [[{ flush: number }]];

      const floor: Tally = { ms: 0, roundTrips: 0 };
      const replay: Tally = { ms: 0, roundTrips: 0 };
      const engine: Tally = { ms: 0, roundTrips: 0 };
      const noLedger: Tally = { ms: 0, roundTrips: 0 };
      const others: [Tally, Runner][] = [
        [floor, floorRunner(floorDatabase, floor)],
        [replay, golangMigrateRunner(replayDatabase, replay)],
      ];
      const byVersion = new Map(migrations.map((migration) => [BigInt(migration.version), migration]));
      const withLedger = { folder, database: engineDatabase, tally: engine, createLedger: true };
      await interleaved({ kind: 'up' }, withLedger, others, byVersion);
      await interleaved({ kind: 'down' }, withLedger, others, byVersion);
      // The option that changes the figure: no ledger table (-no-ledger-create), measured against a floor of its own.
      const floorAgain: Tally = { ms: 0, roundTrips: 0 };
      const withoutLedger = { folder, database: noLedgerDatabase, tally: noLedger, createLedger: false };
      const floorOnly: [Tally, Runner][] = [[floorAgain, floorRunner(floorDatabase, floorAgain)]];
      await interleaved({ kind: 'up' }, withoutLedger, floorOnly, byVersion);
      await interleaved({ kind: 'down' }, withoutLedger, floorOnly, byVersion);

      const steps = 2 * MIGRATIONS;
      const perStep = (tally: Tally) => tally.ms / steps;
      return {
        name: this.name,
        figures: {
          'migrations (up all, then down all)': `${MIGRATIONS} + ${MIGRATIONS}`,
          innodb_flush_log_at_trx_commit: flushRow.flush,
          'floor, SQL only (ms per migration)': perStep(floor).toFixed(2),
          'golang-migrate protocol replayed (ms per migration)': perStep(replay).toFixed(2),
          'engine, ledger on (ms per migration)': perStep(engine).toFixed(2),
          'round trips per migration: floor / golang-migrate / engine': [floor, replay, engine]
            .map((tally) => (tally.roundTrips / steps).toFixed(2))
            .join(' / '),
          'golang-migrate replay / floor': (replay.ms / floor.ms).toFixed(2),
          'engine without a ledger (-no-ledger-create) / floor': (noLedger.ms / floorAgain.ms).toFixed(2),
          'engine total (s)': (engine.ms / 1000).toFixed(1),
        },
        targets: [
          { what: 'engine / floor, ledger on', value: engine.ms / floor.ms, atMost: 1.35, unit: 'x' },
          { what: 'engine / golang-migrate replay', value: engine.ms / replay.ms, atMost: 1, unit: 'x' },
        ],
      };
    } finally {
      await Promise.all(databases.map((database) => database.drop()));
      await rm(folder, { recursive: true, force: true });
    }
  },
};
