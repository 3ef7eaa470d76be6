import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import { advisoryLockName } from '../../src/core/lock';
import { type CliRun, createTestDatabase, folderWith, runCli, TEST_SERVER, type TestDatabase } from './support';

const FILES: Record<string, string> = {
  '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY);\n',
  '1_users.down.sql': 'DROP TABLE users;\n',
  '2_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100);\n',
  '2_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
  '3_orders.up.sql': 'CREATE TABLE orders (id INT PRIMARY KEY);\n',
};

let db: TestDatabase;
let folder: string;

before(async () => {
  db = await createTestDatabase('dry_run');
  folder = await folderWith('dry', FILES);
});

after(async () => {
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<CliRun> {
  return runCli(['-path', folder, '-database', db.url, '-lock-timeout', '1', ...args]);
}

/** Every table with its columns and row count, and the version table's rows: what a dry run must leave alone. */
async function databaseState(): Promise<unknown> {
  const [columns] = await db.sql.query(
    'SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY 1, 2',
    [db.name],
  );
  const tables = [...new Set((columns as { TABLE_NAME: string }[]).map((row) => row.TABLE_NAME))];
  const rows: Record<string, unknown> = {};
  for (const table of tables) [rows[table]] = await db.sql.query(`SELECT * FROM \`${table}\``);
  return { columns, rows };
}

void test('dry runs print the plan and SQL and change nothing, not even creating the version table', async () => {
  const empty = await databaseState();
  const up = await cli('up', '--dry-run');
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /^-- Dry run of `up`: nothing has run yet\.\n-- Database: mysql:\/\/root@tcp/);
  assert.match(up.stdout, /-- The database is at no version\.\n-- Apply 3 migrations: no version → 3/);
  assert.match(
    up.stdout,
    /-- Step 2 of 3: version 2 up, leaving the database at version 2: 2\/u email \(2_email\.up\.sql\)\n-- Preflight, line 1, info preflight-execution: Instant: changes only the table definition\.\nALTER TABLE users ADD COLUMN email VARCHAR\(100\);/,
  );
  assert.deepEqual(await databaseState(), empty);

  assert.equal((await cli('up', '2')).status, 0);
  const applied = await databaseState();

  const down = await cli('down', '-dry-run');
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /Roll back 2 migrations: version 2 → no version/);
  assert.match(
    down.stdout,
    /Step 1 of 2: version 2 down, leaving the database at version 1: 2\/d email \(2_email\.down\.sql\)\n-- Preflight, line 1, info preflight-execution: Instant: changes only the table definition\.\nALTER TABLE users DROP COLUMN email;/,
  );
  assert.match(
    down.stdout,
    /Step 2 of 2: version 1 down, leaving the database at no version: 1\/d users \(1_users\.down\.sql\)\nDROP TABLE users;/,
  );
  const goto = await cli('goto', '--dry-run', '3');
  assert.equal(goto.status, 0, goto.stderr);
  assert.match(goto.stdout, /Step 1 of 1: version 3 up, leaving the database at version 3: 3\/u orders/);
  assert.deepEqual(await databaseState(), applied);
});

void test('a dry run takes no lock: it answers while another session holds it', async () => {
  const holder = await mysql.createConnection({ ...TEST_SERVER, database: db.name });
  try {
    const [[row]] = (await holder.query('SELECT GET_LOCK(?, 0) AS got', [
      advisoryLockName(db.name, 'schema_migrations'),
    ])) as unknown as [[{ got: number }]];
    assert.equal(row.got, 1);
    const dry = await cli('up', '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /Apply 1 migration: version 2 → 3/);
    const real = await cli('up');
    assert.equal(real.status, 1, 'the real run waits for the lock and gives up');
    assert.match(real.stderr, /can't acquire lock/);
  } finally {
    await holder.end();
  }
});

void test('a dry run on a dirty database prints the refusal and exits 1, as the real run would', async () => {
  await db.sql.query('UPDATE schema_migrations SET dirty = 1');
  const before = await databaseState();
  const dry = await cli('goto', '--dry-run', '1');
  assert.equal(dry.status, 1);
  assert.match(dry.stdout, /at version 2 \(dirty\)\.\n-- Refused, nothing would run: Dirty database version 2\./);
  assert.match(dry.stderr, /^error: Dirty database version 2\./);
  assert.deepEqual(await databaseState(), before);
});
