import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { NilVersionError } from '../../src/core/errors';
import { FolderSource } from '../../src/adapters/file-source';
import { MigrationDatabase } from '../../src/adapters/mysql/database';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate, withRunSession, type RunTarget } from '../../src/app/open-session';
import { RunSession, type RunOptions } from '../../src/app/run-session';
import type { ProgressEvent } from '../../src/app/run-steps';
import type { PlanRequest } from '../../src/core/plan';
import { createTestDatabase, type TestDatabase } from './support';

const BASIC = path.resolve(__dirname, '../../../test/fixtures/basic');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('engine_migrator');
});

after(async () => {
  await db.drop();
});

beforeEach(async () => {
  await db.dropAllTables();
});

function target(extra: Partial<RunTarget> = {}): RunTarget {
  return { folder: BASIC, database: parseDatabaseUrl(db.url), lockTimeoutSeconds: 1, ...extra };
}

/** Previews and runs `request` as the command line does. */
async function run(request: PlanRequest, options: RunOptions = {}, extra: Partial<RunTarget> = {}) {
  return migrate(request, target(extra), options);
}

const LEDGER = 'schema_migrations_lens';

void test('up applies every migration in order, logs each step like golang-migrate, leaves (5, clean)', async () => {
  const events: ProgressEvent[] = [];
  const result = await run({ kind: 'up' }, { onProgress: (event) => void events.push(event) });
  assert.deepEqual(result.outcome, { kind: 'ok' });
  assert.deepEqual(
    result.steps.map(({ step }) => [step.version, step.direction, step.targetVersion]),
    [
      [1n, 'up', 1n],
      [2n, 'up', 2n],
      [3n, 'up', 3n],
      [5n, 'up', 5n],
    ],
  );
  assert.deepEqual(result.version, { version: 5n, dirty: false });
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
  assert.deepEqual(await db.tables(), ['orders', 'schema_migrations', LEDGER, 'users']);
  const lines = events.filter((event) => event.kind === 'done').map((event) => event.logLine);
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^1\/u create_users \(\d+(\.\d+)?(µs|ms|s)\)$/);
  assert.match(lines[3], /^5\/u create_orders \(/);
  assert.deepEqual(
    events.map((event) => event.kind),
    ['start', 'done', 'start', 'done', 'start', 'done', 'start', 'done'],
  );
});

void test('up again is "no change"; version prints the version', async () => {
  await run({ kind: 'up' });
  const again = await run({ kind: 'up' });
  assert.deepEqual(again.outcome, { kind: 'no-change' });
  assert.equal(again.steps.length, 0);
  assert.deepEqual(await withRunSession(target(), (session) => session.version()), { version: 5n, dirty: false });
});

void test('up N, then up with a limit larger than what remains: "limit K short" after applying the rest', async () => {
  const two = await run({ kind: 'up', limit: 2 });
  assert.deepEqual(two.outcome, { kind: 'ok' });
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  const short = await run({ kind: 'up', limit: 5 });
  assert.equal(short.outcome.kind, 'short-limit');
  assert.match(short.outcome.kind === 'short-limit' ? short.outcome.error.message : '', /^limit 3 short/);
  assert.equal(short.steps.length, 2);
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
});

void test('down N steps back; down without a file for the direction moves the version and runs nothing', async () => {
  await run({ kind: 'up' });
  const events: ProgressEvent[] = [];
  const result = await run({ kind: 'down', limit: 2 }, { onProgress: (event) => void events.push(event) });
  assert.deepEqual(
    result.steps.map(({ step }) => [step.version, step.direction, step.targetVersion, step.fileName]),
    [
      [5n, 'down', 3n, '000005_create_orders.down.sql'],
      [3n, 'down', 2n, undefined],
    ],
  );
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  assert.deepEqual(await db.tables(), ['schema_migrations', LEDGER, 'users']);
  const lines = events.filter((event) => event.kind === 'done').map((event) => event.logLine);
  assert.match(lines[1], /^3\/d <empty> \(/);
  const [users] = await db.sql.query('SELECT COUNT(*) AS n FROM users');
  assert.deepEqual(users, [{ n: 2 }], 'the seed stays: 3 has no down file');
});

void test('down all empties the version table; down past nil with a limit is "limit K short"', async () => {
  await run({ kind: 'up', limit: 2 });
  const result = await run({ kind: 'down', limit: 3 });
  assert.equal(result.outcome.kind, 'short-limit');
  assert.deepEqual(await db.versionRows(), []);
  await run({ kind: 'up' });
  const all = await run({ kind: 'down' });
  assert.deepEqual(all.outcome, { kind: 'ok' });
  assert.equal(all.steps.length, 4);
  assert.deepEqual(all.version, { version: -1n, dirty: false });
  assert.deepEqual(await db.versionRows(), []);
  assert.deepEqual(await db.tables(), ['schema_migrations', LEDGER]);
  assert.deepEqual((await run({ kind: 'down' })).outcome, { kind: 'no-change' });
});

void test('goto up and down, goto the current version is "no change", goto a missing version fails', async () => {
  await run({ kind: 'goto', version: 3n });
  assert.deepEqual(await db.versionRows(), [['3', 0]]);
  const down = await run({ kind: 'goto', version: 1n });
  assert.deepEqual(
    down.steps.map(({ step }) => [step.version, step.targetVersion]),
    [
      [3n, 2n],
      [2n, 1n],
    ],
  );
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  assert.deepEqual((await run({ kind: 'goto', version: 1n })).outcome, { kind: 'no-change' });
  await assert.rejects(
    run({ kind: 'goto', version: 4n }),
    /^NoMigrationForVersionError: no migration found for version 4/,
  );
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
});

void test('force V sets (V, clean) whatever the state, force -1 empties the table', async () => {
  await db.sql.query('CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null)');
  await db.sql.query('INSERT INTO schema_migrations VALUES (2, 1)');
  await force(3n);
  assert.deepEqual(await db.versionRows(), [['3', 0]]);
  await force(42n);
  assert.deepEqual(await db.versionRows(), [['42', 0]], 'force does not need the version on disk');
  await force(-1n);
  assert.deepEqual(await db.versionRows(), []);
  await assert.rejects(force(-2n), /^InvalidVersionError: argument V must be >= -1/);
});

function force(version: bigint) {
  return withRunSession(target(), (session) => session.force(version));
}

function version() {
  return withRunSession(target(), (session) => session.version());
}

void test('version: "no migration" on an empty table and on (-1, dirty); "V (dirty)" data on dirty', async () => {
  await assert.rejects(version(), NilVersionError);
  assert.deepEqual(await db.versionRows(), [], 'version creates the table and leaves it empty');
  await db.sql.query('INSERT INTO schema_migrations VALUES (-1, 1)');
  await assert.rejects(version(), /^NilVersionError: no migration/);
  await db.sql.query('DELETE FROM schema_migrations; INSERT INTO schema_migrations VALUES (2, 1)');
  assert.deepEqual(await version(), { version: 2n, dirty: true });
});

void test('up, down and goto refuse a dirty database and run nothing', async () => {
  await run({ kind: 'up', limit: 1 });
  await db.sql.query('DELETE FROM schema_migrations; INSERT INTO schema_migrations VALUES (2, 1)');
  for (const request of [{ kind: 'up' }, { kind: 'down', limit: 1 }, { kind: 'goto', version: 5n }] as const) {
    await assert.rejects(run(request), /^DirtyDatabaseError: Dirty database version 2\. Fix and force version\./);
  }
  assert.deepEqual(await db.versionRows(), [['2', 1]]);
  assert.deepEqual(await db.tables(), ['schema_migrations', LEDGER, 'users']);
});

void test('a database version with no file fails with "no migration found for version N"', async () => {
  await force(4n);
  for (const request of [{ kind: 'up' }, { kind: 'down' }, { kind: 'goto', version: 5n }] as const) {
    await assert.rejects(run(request), /no migration found for version 4/);
  }
  assert.deepEqual(await db.versionRows(), [['4', 0]]);
});

void test('drop removes every table, the version table included', async () => {
  await run({ kind: 'up' });
  const result = await withRunSession(target(), (session) => session.drop());
  assert.deepEqual([...(result.droppedTables ?? [])].sort(), ['orders', 'schema_migrations', LEDGER, 'users']);
  assert.deepEqual(await db.tables(), []);
});

void test('cancellation between migrations: the running one finishes, no further one starts, the lock is freed', async () => {
  const controller = new AbortController();
  const result = await run(
    { kind: 'up' },
    {
      onProgress: (event) => {
        if (event.kind === 'done' && event.step.version === 2n) controller.abort();
      },
      signal: controller.signal,
    },
  );
  assert.deepEqual(result.outcome, { kind: 'cancelled' });
  assert.deepEqual(result.version, { version: 2n, dirty: false });
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  assert.deepEqual((await run({ kind: 'up' })).steps.length, 2, 'the lock was released: a new run proceeds');
});

void test('x-migrations-table keeps the version in its own table', async () => {
  await run({ kind: 'up', limit: 1 }, {}, { database: parseDatabaseUrl(`${db.url}?x-migrations-table=my_migrations`) });
  const [rows] = await db.sql.query('SELECT CAST(version AS CHAR) AS version, dirty FROM my_migrations');
  assert.deepEqual(rows, [{ version: '1', dirty: 0 }]);
  assert.ok(!(await db.tables()).includes('schema_migrations'));
});

void test('round trips: 1 per migration (its dirty write and its file), one clean write at the end, 6 around them (lock, table check, version, ledger, unlock)', async () => {
  await run({ kind: 'up', limit: 1 });
  const counts: number[] = [];
  let database: MigrationDatabase | undefined;
  const session = new RunSession(
    new FolderSource(BASIC),
    async () => (database = await MigrationDatabase.open(parseDatabaseUrl(db.url))),
    { lockTimeoutSeconds: 1, createLedger: true },
  );
  try {
    const preview = await session.preview({ kind: 'up' });
    const afterPreview = database!.roundTrips;
    const result = await session.run(preview, {
      onProgress: (event) => {
        if (event.kind !== 'failed') counts.push(database!.roundTrips - afterPreview);
      },
    });
    assert.equal(result.steps.length, 3);
    // Lock, table check, version, the ledger made and checked; then per step one query: its dirty write (which also
    // records the step before it in the ledger) and its file.
    assert.deepEqual(counts, [5, 6, 6, 7, 7, 8]);
    assert.equal(database!.roundTrips - afterPreview, 10, 'then (5, clean) with the last ledger row, and the unlock');
  } finally {
    await session.close();
  }
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
});
