import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { type CliRun, createTestDatabase, type StartedCli, startCli, waitFor, type TestDatabase } from './support';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/verify');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('verify_cli');
  await db.sql.query(
    'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);' +
      'INSERT INTO schema_migrations VALUES (7, 1)',
  );
});

after(async () => {
  await db.drop();
});

/** Runs the built command line on a fixture folder; `whileRunning` gets the child to signal it. */
async function verify(
  fixture: string,
  args: string[],
  whileRunning?: (child: StartedCli['child']) => Promise<void>,
): Promise<CliRun> {
  const { child, done } = startCli(['-path', fixture, '-database', db.url, 'verify', ...args], FIXTURES);
  await whileRunning?.(child);
  return done;
}

async function leftoverScratchDatabases(): Promise<string[]> {
  const [rows] = await db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  return (rows as { name: string }[])
    .map((row) => row.name)
    .filter((name) => name.startsWith(scratchDatabasePrefix(db.name)));
}

async function versionRow(): Promise<unknown> {
  const [rows] = await db.sql.query('SELECT CAST(version AS CHAR) AS version, dirty FROM schema_migrations');
  return rows;
}

void test('verify --json: exit 1 with each verdict, its words and where it points', async () => {
  const run = await verify('verdicts', ['--json']);
  assert.equal(run.status, 1, run.stderr);
  const result = JSON.parse(run.stdout) as {
    ok: boolean;
    database: string;
    summary: unknown;
    versions: { version: string; failure?: unknown; differences?: unknown }[];
  };
  assert.equal(result.ok, false);
  assert.equal(result.database, db.name);
  assert.deepEqual(result.summary, {
    verified: 3,
    broken: 8,
    unverified: 1,
    text: "12 versions: 3 verified, 8 broken, 1 not verified. Stopped: version 11's up fails and later versions depend on it.",
  });
  const six = result.versions.find((entry) => entry.version === '6')!;
  assert.deepEqual(six.failure, {
    file: path.join('verdicts', '000006_replace_orders_user_index.down.sql'),
    statement: 1,
    line: 3,
    serverCode: 1553,
    serverMessage: "Cannot drop index 'idx_orders_user_created': needed in a foreign key constraint",
  });
  const nine = result.versions.find((entry) => entry.version === '9')!;
  assert.deepEqual(nine.differences, [
    {
      object: 'foreign key fk_orders_user',
      change: 'differs',
      details: ['ON DELETE CASCADE vs RESTRICT'],
      words: 'foreign key fk_orders_user differs: ON DELETE CASCADE vs RESTRICT',
    },
  ]);
  assert.deepEqual(await versionRow(), [{ version: '7', dirty: 1 }]);
  assert.deepEqual(await leftoverScratchDatabases(), []);
});

void test('verify in text: one line per version, and exit 0 when every verified version holds', async () => {
  const run = await verify('verdicts', ['--to', '3']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n'), [
    'ok   1 create_users: verified: the down undoes the up, and the up runs again after it',
    'ok   2 create_orders: verified: the down undoes the up, and the up runs again after it',
    'ok   3 create_settings_and_audit_log: verified: the down undoes the up, and the up runs again after it',
    '',
    '3 versions: 3 verified, 0 broken, 0 not verified.',
  ]);
  assert.match(run.stderr, /Verified on scratch database ml_verify_\w+, dropped afterwards\./);
});

void test('verify: Ctrl+C stops the running statement, drops the scratch database, exits 1', async () => {
  const run = await verify('slow', [], async (child) => {
    await waitFor('the slow up to run on the scratch database', async () => {
      const [rows] = await db.sql.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP%' AND DB LIKE CONCAT(?, '%')",
        [scratchDatabasePrefix(db.name).replaceAll('_', '\\_')],
      );
      return (rows as unknown[]).length > 0 ? true : undefined;
    });
    child.kill('SIGINT');
  });
  assert.equal(run.status, 1);
  assert.match(run.stdout, /skip 2 backfill_jobs: not verified: cancelled/);
  assert.match(run.stdout, /Cancelled\./);
  assert.deepEqual(await leftoverScratchDatabases(), []);
  assert.deepEqual(await versionRow(), [{ version: '7', dirty: 1 }]);
});

void test('verify: --from after --to is a usage error (exit 2), nothing created', async () => {
  const run = await verify('verdicts', ['--from', '5', '--to', '2']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--from 5 is after --to 2/);
  assert.deepEqual(await leftoverScratchDatabases(), []);
});
