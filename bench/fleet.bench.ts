/**
 * A fleet on the local MariaDB: 200 tenant databases, 10 migrations each. `up` across the fleet with `-parallel 8`
 * against the same work one database at a time (`-parallel 1`), the heap's growth during a run of 50 databases and of
 * 200 (flat: each database's session is closed after its run, and only its summary row is kept), and
 * `status -all-envs` over the 200. Everything runs through the command line in this process, as a user runs it. The
 * databases are created once per bench run and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { quoteIdentifier } from '../src/adapters/mysql/sql';
import { runCliInProcess, TEST_SERVER } from '../test/db/support';
import { type Benchmark, collectGarbage, median, nowMs } from './harness';

const DATABASES = 200;
const MIGRATIONS = 10;
const PARALLEL = 8;
/** `status -all-envs` over the fleet, at most (the figure). */
const STATUS_TARGET_MS = 2_000;

/** Ten migrations: a table, then columns and an index on it, and a second table. */
function migrationFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let version = 1; version <= MIGRATIONS; version++) {
    const name = `${String(version).padStart(6, '0')}_step_${version}`;
    const up =
      version === 1
        ? 'CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL);'
        : version % 3 === 0
          ? `CREATE INDEX accounts_c${version - 1} ON accounts (c${version - 1});`
          : version === MIGRATIONS
            ? 'CREATE TABLE invoices (id INT PRIMARY KEY, account_id INT NOT NULL, total DECIMAL(10,2));'
            : `ALTER TABLE accounts ADD COLUMN c${version} VARCHAR(40) NULL;`;
    files[`${name}.up.sql`] = `${up}\n`;
    files[`${name}.down.sql`] = '-- not used by the bench\n';
  }
  return files;
}

/**
 * The heap's highest point above where it was when sampling started, sampled every 20 ms while `work` runs (garbage
 * not yet collected included, so it depends on when V8 collects), and what the run still holds once it is over and
 * garbage is collected.
 */
async function heapGrowthDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; growthMb: number; retainedMb: number }> {
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    collectGarbage();
    return { result, growthMb: (peak - base) / 2 ** 20, retainedMb: (process.memoryUsage().heapUsed - base) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const NAME = `fleet: ${DATABASES} tenant databases x ${MIGRATIONS} migrations, up -parallel ${PARALLEL} vs one at a time, status -all-envs`;

export const benchmark: Benchmark = {
  name: NAME,
  async run() {
    const prefix = `mlb_${randomBytes(3).toString('hex')}_`;
    const names = Array.from({ length: DATABASES }, (_, index) => `${prefix}t${String(index).padStart(3, '0')}`);
    const admin = await mysql.createConnection(TEST_SERVER);
    const project = await mkdtemp(path.join(tmpdir(), 'ml-fleet-bench-'));
    const recreate = async () => {
      for (const name of names) {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
        await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      }
    };
    try {
      await mkdir(path.join(project, '.git'));
      await mkdir(path.join(project, 'migrations'));
      for (const [name, text] of Object.entries(migrationFiles())) {
        await writeFile(path.join(project, 'migrations', name), text);
      }
      const credentials = TEST_SERVER.password === '' ? TEST_SERVER.user : `${TEST_SERVER.user}:\${ML_BENCH_PASSWORD}`;
      process.env['ML_BENCH_PASSWORD'] = TEST_SERVER.password;
      await writeFile(
        path.join(project, 'migration-lens.json'),
        JSON.stringify({
          environments: {
            tenants: {
              url: `mysql://${credentials}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/`,
              path: 'migrations',
              discover: `${prefix.replaceAll('_', '\\_')}%`,
            },
          },
        }),
      );
      const up = async (parallel: number, ...more: string[]) => {
        const started = nowMs();
        const run = await runCliInProcess(['-env', 'tenants', 'up', '-parallel', String(parallel), ...more], project);
        const ms = nowMs() - started;
        if (run.status !== 0) throw new Error(`fleet up -parallel ${parallel} failed: ${run.stderr.slice(-2000)}`);
        return ms;
      };

      const created = nowMs();
      await recreate();
      const createMs = nowMs() - created;
      const sequentialMs = await up(1);
      await recreate();
      // About a quarter of the fleet (shard 0 of 4), for the heap's growth against the whole fleet's.
      const quarter = await heapGrowthDuring(() => up(PARALLEL, '-shard', '0/4'));
      await recreate();
      const parallel = await heapGrowthDuring(() => up(PARALLEL));

      const statusTimes: number[] = [];
      let statusDatabases = 0;
      for (let sample = 0; sample < 3; sample++) {
        const started = nowMs();
        const status = await runCliInProcess(['status', '-all-envs', '--json'], project);
        statusTimes.push(nowMs() - started);
        if (status.status !== 0) throw new Error(`status -all-envs failed: ${status.stderr.slice(-2000)}`);
        statusDatabases = (JSON.parse(status.stdout) as { environments: { databases: unknown[] }[] }).environments[0]
          .databases.length;
      }
      if (statusDatabases !== DATABASES) throw new Error(`status -all-envs read ${statusDatabases} databases`);
      const statusMs = median(statusTimes);
      return {
        name: NAME,
        figures: {
          [`create ${DATABASES} databases (s)`]: (createMs / 1000).toFixed(1),
          'up, one database at a time (s)': (sequentialMs / 1000).toFixed(2),
          [`up -parallel ${PARALLEL} (s)`]: (parallel.result / 1000).toFixed(2),
          [`speed-up of -parallel ${PARALLEL}`]: (sequentialMs / parallel.result).toFixed(2),
          [`migrations per second, -parallel ${PARALLEL}`]: (
            (DATABASES * MIGRATIONS) /
            (parallel.result / 1000)
          ).toFixed(0),
          'heap growth, up over ~50 databases (MB)': quarter.growthMb.toFixed(1),
          [`heap growth, up over ${DATABASES} databases (MB)`]: parallel.growthMb.toFixed(1),
          'heap held after the run, collected: ~50 / 200 databases (MB)': `${quarter.retainedMb.toFixed(1)} / ${parallel.retainedMb.toFixed(1)}`,
          [`status -all-envs over ${DATABASES}, median of 3 (ms)`]: statusMs.toFixed(0),
        },
        targets: [
          { what: `status -all-envs over ${DATABASES}`, value: statusMs, atMost: STATUS_TARGET_MS, unit: 'ms' },
        ],
      };
    } finally {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
      await admin.end();
      await rm(project, { recursive: true, force: true });
      delete process.env['ML_BENCH_PASSWORD'];
    }
  },
};
