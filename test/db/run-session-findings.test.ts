/**
 * What a tester found against a real MariaDB, each as it was reproduced: a transaction left open by a file, the
 * recovery advice after a failed down, two services sharing a database, a run seen from outside while it runs,
 * problems of the source, Ctrl+C while waiting for the lock, and one session per run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { MysqlSession } from '../../src/adapters/mysql/connection';
import { advisoryLockName } from '../../src/core/lock';
import {
  createTestDatabase,
  folderWith,
  runCli,
  runCliInProcess,
  startCli,
  type TestDatabase,
  waitFor,
} from './support';

let db: TestDatabase;
let work: string;

before(async () => {
  db = await createTestDatabase('findings');
  work = await mkdtemp(path.join(tmpdir(), 'ml-findings-'));
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.dropAllTables();
});

function cli(folder: string, ...args: string[]) {
  return runCli(['-path', folder, '-database', db.url, '-lock-timeout', '2', ...args], work);
}

for (const [title, opening] of [
  ['SET autocommit=0', 'SET autocommit=0; INSERT INTO acct VALUES (8);'],
  ['START TRANSACTION without COMMIT', 'START TRANSACTION; INSERT INTO acct VALUES (8);'],
  ['BEGIN and a savepoint', 'BEGIN; INSERT INTO acct VALUES (8); SAVEPOINT s1;'],
] as const) {
  void test(`a file that leaves a transaction open (${title}) fails: (2, dirty), the insert rolled back, and said so`, async () => {
    const folder = await folderWith(work, 'open-transaction', {
      '1_t.up.sql': 'CREATE TABLE acct(i int) ENGINE=InnoDB;',
      '2_v.up.sql': opening,
      '3_n.up.sql': 'CREATE TABLE n3(i int);',
    });
    const run = await cli(folder, 'up');
    assert.equal(run.status, 1, run.stderr);
    assert.match(
      run.stderr,
      /error: migration failed in 2_v\.up\.sql: it left a transaction open; its uncommitted changes were rolled back\. The database is now dirty at version 2/,
    );
    assert.deepEqual(await db.versionRows(), [['2', 1]], 'never a clean version whose changes were discarded');
    const [rows] = await db.sql.query('SELECT i FROM acct');
    assert.deepEqual(rows, []);
    assert.ok(!(await db.tables()).includes('n3'), 'nothing ran after it');
    const [ledger] = await db.sql.query('SELECT state, last_error FROM schema_migrations_lens WHERE version = 2');
    assert.deepEqual(ledger, [
      { state: 'failed', last_error: 'left a transaction open; its uncommitted changes were rolled back' },
    ]);
  });
}

void test('a failed down names the right two versions, in the error and in status; a failed first down shows nil dirty', async () => {
  const folder = await folderWith(work, 'failed-down', {
    '1_t1.up.sql': 'CREATE TABLE t1 (i int);',
    '1_t1.down.sql': 'DROP TABLE nope1;',
    '2_t2.up.sql': 'CREATE TABLE t2 (i int);',
    '2_t2.down.sql': 'DROP TABLE t2;',
    '3_t3.up.sql': 'CREATE TABLE t3 (i int);',
    '3_t3.down.sql': 'DROP TABLE nope3;',
  });
  assert.equal((await cli(folder, 'up')).status, 0);
  const down = await cli(folder, '-backup', 'never', 'down', '1');
  assert.equal(down.status, 1);
  assert.match(down.stderr, /dirty at version 2/);
  assert.match(down.stderr, /`force 3` if the down file of 3 took no effect .*`force 2` if you finished the roll back/);
  assert.doesNotMatch(down.stderr, /force 1/);
  const status = await cli(folder, 'status');
  assert.match(status.stdout, /Database at version 2 \(dirty\)/);
  assert.match(status.stdout, /\nDirty database version 2\. Fix and force version\. The roll back of migration 3 /);
  assert.match(status.stdout, /`force 3` .*`force 2`/);
  const json = JSON.parse((await cli(folder, 'status', '--json')).stdout) as { database: { force: unknown } };
  assert.deepEqual(json.database.force, { completed: '2', undone: '3' });

  await db.sql.query('DELETE FROM schema_migrations; INSERT INTO schema_migrations VALUES (1, 0)');
  const first = await cli(folder, '-backup', 'never', 'down', '1');
  assert.equal(first.status, 1);
  assert.deepEqual(await db.versionRows(), [['-1', 1]]);
  const nil = await cli(folder, 'status');
  assert.match(nil.stdout, /Database at no version \(dirty\)/);
  assert.match(nil.stdout, /`force 1` if the down file of 1 took no effect .*`force -- -1` if you finished/);
});

void test('two services with their own migrations tables in one database keep their own ledgers', async () => {
  const a = await folderWith(work, 'service-a', { '1_a.up.sql': 'CREATE TABLE a (i int);' });
  const b = await folderWith(work, 'service-b', { '1_b.up.sql': 'CREATE TABLE b (i int);' });
  const url = (table: string) => `${db.url}?x-migrations-table=${table}`;
  for (const [folder, table] of [
    [a, 'a_migrations'],
    [b, 'b_migrations'],
  ] as const) {
    const up = await runCli(['-path', folder, '-database', url(table), 'up'], work);
    assert.equal(up.status, 0, up.stderr);
  }
  for (const [folder, table] of [
    [a, 'a_migrations'],
    [b, 'b_migrations'],
  ] as const) {
    const status = await runCli(['-path', folder, '-database', url(table), 'status', '--json'], work);
    const json = JSON.parse(status.stdout) as { migrations: { drift: string | null }[] };
    assert.deepEqual(
      json.migrations.map((row) => row.drift),
      ['unchanged'],
      `${table}: nothing is "applied outside" or "edited"`,
    );
  }
  assert.deepEqual(await db.tables(), [
    'a',
    'a_migrations',
    'a_migrations_lens',
    'b',
    'b_migrations',
    'b_migrations_lens',
  ]);
});

void test('a running migration shows as running, with the session that holds the lock, not as failed', async () => {
  const folder = await folderWith(work, 'slow', {
    '1_a.up.sql': 'CREATE TABLE a (i int);',
    '2_slow.up.sql': 'DO SLEEP(4);',
  });
  const running = startCli(['-path', folder, '-database', db.url, 'up'], work);
  await waitFor('migration 2 to run', async () => {
    const rows = await db.versionRows().catch(() => []);
    return rows[0]?.[0] === '2' ? true : undefined;
  });
  const status = await cli(folder, 'status');
  assert.match(status.stdout, /\n2 +running +slow /);
  assert.match(status.stdout, /Database at version 2 \(running: locked by connection \d+ \(user /);
  assert.doesNotMatch(status.stdout, /Dirty database/);
  const json = JSON.parse((await cli(folder, 'status', '--json')).stdout) as {
    database: { dirty: boolean; running: { connectionId: number } | null };
  };
  assert.equal(json.database.dirty, true);
  assert.ok(json.database.running && json.database.running.connectionId > 0);
  assert.equal((await running.done).status, 0);
});

void test('source problems never touch the database, and name the path', async () => {
  const missing = await cli(path.join(work, 'does-not-exist'), 'up');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error: cannot read .*does-not-exist: no such file or directory\.$/m);
  const duplicate = await folderWith(work, 'duplicate', {
    '0000_a.up.sql': 'CREATE TABLE a (i int);',
    '0000_b.up.sql': 'CREATE TABLE b (i int);',
  });
  for (const command of ['up', 'version', 'status']) {
    const run = await cli(duplicate, command);
    assert.equal(run.status, 1, command);
    assert.match(run.stderr, /duplicate migration file: 0000_b\.up\.sql .* in .*duplicate\./);
  }
  assert.deepEqual(await db.tables(), [], 'no version table was created');
});

void test('a link that points to itself stops the run where golang-migrate stops: 1 applied, clean, 3 not', async () => {
  const folder = await folderWith(work, 'loop', {
    '1_a.up.sql': 'CREATE TABLE a (i int);',
    '3_c.up.sql': 'CREATE TABLE c (i int);',
  });
  await symlink(path.join(folder, '2_loop.up.sql'), path.join(folder, '2_loop.up.sql'));
  const run = await cli(folder, 'up');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /error: cannot read .*2_loop\.up\.sql: a link that points to itself/);
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  assert.deepEqual(await db.tables(), ['a', 'schema_migrations', 'schema_migrations_lens']);
});

void test('Ctrl+C while waiting for the lock ends the command at once, with nothing run', async () => {
  const folder = await folderWith(work, 'waiting', { '1_a.up.sql': 'CREATE TABLE a (i int);' });
  const lockName = advisoryLockName(db.name, 'schema_migrations');
  await db.sql.query('SELECT GET_LOCK(?, 0)', [lockName]);
  try {
    const waiting = startCli(['-path', folder, '-database', db.url, '-lock-timeout', '60', 'up'], work);
    await waitFor('the command to wait for the lock', async () => {
      // This database's sessions only: tests running beside this one wait for locks of their own on the same server.
      const [rows] = await db.sql.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%' AND DB = ? AND ID <> CONNECTION_ID()",
        [db.name],
      );
      return (rows as unknown[]).length > 0 ? true : undefined;
    });
    const interrupted = performance.now();
    waiting.child.kill('SIGINT');
    const run = await waiting.done;
    assert.ok(performance.now() - interrupted < 3000, 'it did not wait for the lock any longer');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cancelled while waiting for lock \d+( \(held by connection \d+\))?; nothing ran/);
  } finally {
    await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
  }
  assert.ok(!(await db.tables()).includes('a'));
});

void test('one database session per run: up, down and status each open one', async () => {
  const folder = await folderWith(work, 'sessions', {
    '1_a.up.sql': 'CREATE TABLE a (i int);',
    '1_a.down.sql': 'DROP TABLE a;',
    '2_b.up.sql': 'CREATE TABLE b (i int);',
    '2_b.down.sql': 'DROP TABLE b;',
  });
  for (const args of [['up'], ['status'], ['-backup', 'always', 'down', '2'], ['up', '1'], ['version']]) {
    const before = MysqlSession.opened;
    const run = await runCliInProcess(['-path', folder, '-database', db.url, ...args], work);
    assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(MysqlSession.opened - before, 1, `${args.join(' ')} opened one session`);
  }
});
