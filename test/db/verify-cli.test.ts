import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import {
  type CliRun,
  createTestDatabase,
  folderWith,
  runCli,
  type StartedCli,
  startCli,
  TEST_SERVER,
  waitFor,
  type TestDatabase,
} from './support';

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
  assert.match(
    run.stderr,
    /Verified on scratch database ml_verify_\w+ as 'ml_verify_[0-9a-f]{8}'@'[^']+', both dropped afterwards\./,
  );
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

void test('verify: a file reaching into the real database is named, run as a temporary account; real rows kept', async () => {
  await db.sql.query('CREATE TABLE precious (i int); INSERT INTO precious VALUES (1), (2), (3)');
  const folder = await folderWith('verify-cli-reach', {
    '000001_trim.up.sql': `SET @s = CONCAT('DELETE FROM ', "${db.name}", '.precious WHERE i = 3');\nPREPARE st FROM @s;\nEXECUTE st;\n`,
    '000001_trim.down.sql': 'DO 0;\n',
    '000002_later.up.sql': 'CREATE TABLE later (id int);\n',
    '000002_later.down.sql': 'DROP TABLE later;\n',
  });
  try {
    const run = await runCli(['-path', folder, '-database', db.url, 'verify'], folder);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(
      lines[0],
      /^skip 1 trim: reaches outside the scratch database: 000001_trim\.up\.sql, statement 2, line 2: Error 1142: DELETE command denied to user 'ml_verify_[0-9a-f]{8}'@'[^']+' for table /,
    );
    assert.deepEqual(lines.slice(1), [
      '       at 000001_trim.up.sql:2',
      "skip 2 later: not verified: version 1's up reaches outside the scratch database and later versions depend on it",
      '',
      "2 versions: 0 verified, 0 broken, 2 not verified. Stopped: version 1's up reaches outside the scratch database and later versions depend on it.",
    ]);
    const [rows] = await db.sql.query('SELECT i FROM precious ORDER BY i');
    assert.deepEqual(rows, [{ i: 1 }, { i: 2 }, { i: 3 }]);
    assert.deepEqual(await leftoverScratchDatabases(), []);
  } finally {
    await db.sql.query('DROP TABLE precious');
    await rm(folder, { recursive: true, force: true });
  }
});

void test('verify: an account that cannot create users is refused in one line naming --scratch-database', async () => {
  const user = `ml_cli_limited_${randomBytes(4).toString('hex')}`;
  await db.sql.query('CREATE USER ?@?', [user, '%']);
  try {
    await db.sql.query(`GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO ?@?`, [user, '%']);
    const limited = `mysql://${user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
    const run = await runCli(['-path', 'verdicts', '-database', limited, 'verify'], FIXTURES);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(
      run.stderr,
      new RegExp(
        `^error: Verify runs migrations as a temporary account allowed only its scratch database, and ${user} cannot create one .*--scratch-database on the command line\\) at a separate server\\.\n$`,
      ),
    );
    assert.deepEqual(await leftoverScratchDatabases(), []);
  } finally {
    await db.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
  }
});

void test('verify --scratch-database: an account allowed only scratch databases runs the files itself', async () => {
  const user = `ml_cli_scratch_${randomBytes(4).toString('hex')}`;
  const scratchPattern = `${scratchDatabasePrefix(db.name).replaceAll('_', '\\_')}%`;
  await db.sql.query('CREATE USER ?@?', [user, '%']);
  try {
    await db.sql.query(`GRANT ALL PRIVILEGES ON \`${scratchPattern}\`.* TO ?@?`, [user, '%']);
    const scratchUrl = `mysql://${user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/`;
    const run = await verify('verdicts', ['--to', '2', '--scratch-database', scratchUrl]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /as the scratch server's account, dropped afterwards\./);
    assert.match(run.stdout, /2 versions: 2 verified, 0 broken, 0 not verified\./);
    assert.deepEqual(await leftoverScratchDatabases(), []);
  } finally {
    await db.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
  }
});
