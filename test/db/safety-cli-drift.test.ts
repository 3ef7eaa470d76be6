import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { migrate } from '../../src/app/open-session';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { createTestDatabase, type CliRun, folderWith, runCli, type TestDatabase } from './support';

const FILES: Record<string, string> = {
  '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY);\n',
  '2_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100);\n',
  '3_orders.up.sql': 'CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));\n',
  '4_items.up.sql': 'CREATE TABLE items (id INT PRIMARY KEY);\n',
};

let db: TestDatabase;
let folder: string;

before(async () => {
  db = await createTestDatabase('cli_drift');
  folder = await folderWith('drift', FILES);
});

after(async () => {
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

function cli(url: string, ...args: string[]): Promise<CliRun> {
  return runCli(['-path', folder, '-database', url, ...args]);
}

void test('status shows what was edited, reformatted or applied outside Migration Lens since it ran', async () => {
  // Applied by another tool: no ledger row.
  await migrate({ kind: 'up', limit: 1 }, { folder, database: parseDatabaseUrl(db.url), ledger: { create: false } });
  const up = await cli(db.url, 'up', '2');
  assert.equal(up.status, 0, up.stderr);
  assert.ok((await db.tables()).includes('schema_migrations_lens'));

  await writeFile(path.join(folder, '2_email.up.sql'), FILES['2_email.up.sql'].replace('100', '320'));
  await writeFile(
    path.join(folder, '3_orders.up.sql'),
    '-- orders\nCREATE TABLE orders (\n  id INT PRIMARY KEY,\n  total DECIMAL(10, 2)\n);\n',
  );
  const status = await cli(db.url, 'status');
  assert.equal(status.status, 0, status.stderr);
  const lines = status.stdout.split('\n');
  assert.match(lines[0], /^VERSION +STATE +NAME +FILES +DRIFT$/);
  assert.match(lines[1], /^1 +applied +users +up +applied outside Migration Lens$/);
  assert.match(lines[2], /^2 +applied +email +up +edited after it was applied$/);
  assert.match(lines[3], /^3 +current +orders +up +reformatted after it was applied$/);
  assert.match(lines[4], /^4 +pending +items +up$/);
  assert.match(status.stdout, /\nwarning: 2_email\.up\.sql was edited after it was applied on \d{4}-/);
  assert.match(status.stdout, /\nnote: 3_orders\.up\.sql was reformatted after it was applied/);

  const json = await cli(db.url, 'status', '--json');
  const parsed = JSON.parse(json.stdout) as { migrations: { version: string; drift: string | null }[] };
  assert.deepEqual(
    parsed.migrations.map((row) => [row.version, row.drift]),
    [
      ['1', 'outside'],
      ['2', 'edited'],
      ['3', 'reformatted'],
      ['4', null],
    ],
  );
});

void test('the ledger table name is a flag, and its creation can be opted out of', async () => {
  const other = await createTestDatabase('cli_ledger_flags');
  try {
    const none = await cli(other.url, '-no-ledger-create', 'up', '1');
    assert.equal(none.status, 0, none.stderr);
    assert.deepEqual(await other.tables(), ['schema_migrations', 'users']);
    const named = await cli(other.url, '-ledger-table', 'lens_runs', 'up', '1');
    assert.equal(named.status, 0, named.stderr);
    assert.deepEqual(await other.tables(), ['lens_runs', 'schema_migrations', 'users']);
    const status = await cli(other.url, '-ledger-table', 'lens_runs', 'status');
    assert.match(status.stdout, /\n1 +applied +users +up +applied outside Migration Lens\n2 +current +email +up\n/);
  } finally {
    await other.drop();
  }
});
