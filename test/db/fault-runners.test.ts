/**
 * Runners in separate processes (the built command line) against one database and folder: two at once, one against
 * an outside session holding golang-migrate's lock, and one whose connection an admin session kills mid-migration.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import mysql from 'mysql2/promise';
import { advisoryLockName } from '../../src/core/lock';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { lookAtDatabase } from '../../src/app/open-session';
import { type CliRun, createTestDatabase, runCli, TEST_SERVER, type TestDatabase, waitFor } from './support';

const TRIALS_TWO_RUNNERS = 50;
const TRIALS_KILL = 20;

let db: TestDatabase;
let scratch: string;
let lockName: string;

before(async () => {
  db = await createTestDatabase('fault_runners');
  scratch = await mkdtemp(path.join(tmpdir(), 'ml-fault-runners-'));
  lockName = advisoryLockName(db.name, 'schema_migrations');
});

after(async () => {
  await db.drop();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.dropAllTables();
  await db.sql.query('CREATE TABLE runs (version int NOT NULL, connection bigint NOT NULL)');
});

/** Three migrations that each record that they ran, so running one twice shows. */
async function folderOf(name: string, bodies: readonly string[]): Promise<string> {
  const folder = path.join(scratch, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder);
  for (const [index, body] of bodies.entries()) {
    const version = index + 1;
    await writeFile(
      path.join(folder, `${version}_step.up.sql`),
      `INSERT INTO runs VALUES (${version}, CONNECTION_ID());\nCREATE TABLE t${version} (id int);\n${body}`,
    );
  }
  return folder;
}

function up(folder: string, lockTimeout: number): Promise<CliRun> {
  return runCli(['-path', folder, '-database', db.url, '-lock-timeout', String(lockTimeout), 'up']);
}

async function ranVersions(): Promise<number[]> {
  const [rows] = await db.sql.query('SELECT version FROM runs ORDER BY version');
  return (rows as { version: number }[]).map((row) => row.version);
}

async function versionRows(): Promise<string[]> {
  const [rows] = await db.sql.query(
    "SELECT CONCAT(version, '/', IF(dirty, 'dirty', 'clean')) AS state FROM schema_migrations",
  );
  return (rows as { state: string }[]).map((row) => row.state);
}

async function hasVersionTable(): Promise<boolean> {
  const [rows] = await db.sql.query("SHOW TABLES LIKE 'schema_migrations'");
  return (rows as unknown[]).length > 0;
}

/** The id of the session in the test database whose running statement matches `pattern`. */
async function sessionRunning(pattern: RegExp): Promise<number> {
  return waitFor(`a session running ${pattern}`, async () => {
    const [rows] = await db.sql.query(
      'SELECT ID AS id, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [db.name],
    );
    return (rows as { id: number; info: string | null }[]).find((row) => pattern.test(row.info ?? ''))?.id;
  });
}

void test(`two runners at once, ${TRIALS_TWO_RUNNERS} trials: each migration applied once, the loser names the lock or waits, the table ends clean`, async () => {
  const folder = await folderOf('two-runners', ['DO SLEEP(0.05);', 'DO SLEEP(0.05);', 'DO SLEEP(0.05);']);
  let refused = 0;
  for (let trial = 0; trial < TRIALS_TWO_RUNNERS; trial++) {
    if (trial > 0) {
      await db.sql.query('DROP TABLE IF EXISTS t1, t2, t3, schema_migrations, schema_migrations_lens');
      await db.sql.query('DELETE FROM runs');
    }
    // Even trials: the loser gives up at once (-lock-timeout 0); odd trials: it waits, then finds nothing to do.
    const lockTimeout = trial % 2 === 0 ? 0 : 10;
    const runs = await Promise.all([up(folder, lockTimeout), up(folder, lockTimeout)]);
    for (const run of runs) {
      if (run.status === 0) continue;
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`^error: can't acquire lock ${lockName}\\b.*$`, 'm'), run.stderr);
      refused++;
    }
    assert.ok(
      runs.some((run) => run.status === 0),
      `trial ${trial}: one runner succeeds`,
    );
    assert.deepEqual(await ranVersions(), [1, 2, 3], `trial ${trial}: every migration exactly once`);
    assert.deepEqual(await versionRows(), ['3/clean'], `trial ${trial}`);
    await db.waitForFreeLock();
  }
  assert.ok(refused > 0, 'the runners overlapped at least once');
});

void test('a runner never runs while an outside session holds the lock; it runs once the lock is released', async () => {
  const folder = await folderOf('outside-lock', ['', '', '']);
  const outside = await mysql.createConnection({ ...TEST_SERVER, database: db.name });
  try {
    const [[taken]] = (await outside.query('SELECT GET_LOCK(?, 0) AS got', [lockName])) as unknown as [
      [{ got: number }],
    ];
    assert.equal(taken.got, 1);

    const refused = await up(folder, 1);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`^error: can't acquire lock ${lockName}\\b`, 'm'));
    assert.deepEqual(await ranVersions(), []);
    assert.equal(await hasVersionTable(), false, 'the version table is made under the lock only');

    const waiting = up(folder, 60);
    await sessionRunning(/GET_LOCK/i);
    // Still waiting after its first attempts: nothing ran.
    await sessionRunning(/GET_LOCK/i);
    assert.deepEqual(await ranVersions(), []);
    assert.equal(await hasVersionTable(), false);
    await outside.query('SELECT RELEASE_LOCK(?)', [lockName]);
    const run = await waiting;
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(await ranVersions(), [1, 2, 3]);
    assert.deepEqual(await versionRows(), ['3/clean']);
  } finally {
    await outside.end();
  }
});

void test(`the connection killed while a migration runs, ${TRIALS_KILL} trials: exactly (V, dirty), the lock free, nothing else written, the editor reads dirty`, async () => {
  for (let trial = 0; trial < TRIALS_KILL; trial++) {
    if (trial > 0) {
      await db.sql.query('DROP TABLE IF EXISTS t1, t2, t3, after_sleep, schema_migrations, schema_migrations_lens');
      await db.sql.query('DELETE FROM runs');
    }
    const killed = (trial % 3) + 1;
    const bodies = [1, 2, 3].map((version) =>
      version === killed ? 'SELECT SLEEP(30);\nCREATE TABLE after_sleep (id int);\n' : '',
    );
    const folder = await folderOf(`kill-${trial}`, bodies);
    const run = runCli(['-path', folder, '-database', db.url, 'up']);
    const runner = await sessionRunning(/SLEEP\(30\)/);
    await db.sql.query('KILL CONNECTION ?', [runner]);
    const { status, stderr } = await run;

    assert.equal(status, 1, stderr);
    assert.equal(stderr.split('\n').filter((line) => line.startsWith('error: ')).length, 1, stderr);
    assert.deepEqual(await versionRows(), [`${killed}/dirty`], `trial ${trial}`);
    assert.deepEqual(
      await ranVersions(),
      Array.from({ length: killed }, (_, index) => index + 1),
    );
    const [tables] = await db.sql.query("SHOW TABLES LIKE 'after_sleep'");
    assert.deepEqual(tables, [], 'nothing after the killed statement ran');
    await db.waitForFreeLock();
    assert.deepEqual((await lookAtDatabase(parseDatabaseUrl(db.url))).version, {
      version: BigInt(killed),
      dirty: true,
    });
  }
});
