import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ledgerTableName } from '../../src/core/ledger-table';

const DEFAULT_LEDGER_TABLE = ledgerTableName('schema_migrations');
import type { CommandResult } from '../../src/vscode/database-run';
import { openSuiteWorkspace, type SuiteWorkspace } from './support';

const LABEL = 'coverage-settings';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n',
  '000001_users.down.sql': 'DROP TABLE users;\n',
  '000002_posts.up.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(50) NOT NULL);\n',
  '000002_posts.down.sql': 'DROP TABLE posts;\n',
};

/** Every setting this suite changes, reset at the end (the workspace copy is shared by every suite of the run). */
const CHANGED_SETTINGS = [
  'migrationsPath',
  'databaseUrl',
  'backup',
  'backupPath',
  'ledger.table',
  'ledger.create',
  'create.numbering',
  'create.timeZone',
];

/** Asia/Kathmandu is UTC+05:45 all year (no daylight saving since 1986): its wall clock is never UTC's. */
const KATHMANDU_OFFSET_MS = (5 * 60 + 45) * 60_000;

/** golang-migrate's default layout 20060102150405 of the wall-clock time `epochMs` shows at `offsetMs` from UTC. */
function defaultLayout(epochMs: number, offsetMs: number): string {
  return new Date(epochMs + offsetMs).toISOString().slice(0, 19).replace(/\D/g, '');
}

suite('coverage: backup, backupPath, ledger.table, ledger.create and create.timeZone settings', function () {
  let fixture: SuiteWorkspace;
  let backupFolder: string;

  const set = (key: string, value: unknown) => fixture.set(key, value);
  const run = <T = CommandResult>(command: string, options: object = {}): Promise<T | undefined> =>
    fixture.run<T>(command, { folder: fixture.workspace.uri, ...options });

  async function versionTable(): Promise<[number, number][]> {
    const [rows] = await fixture.db.sql.query('SELECT version, dirty FROM schema_migrations');
    return (rows as { version: number | string; dirty: number }[]).map((row) => [Number(row.version), row.dirty]);
  }

  async function tables(): Promise<string[]> {
    const [rows] = await fixture.db.sql.query('SHOW TABLES');
    return (rows as Record<string, string>[]).map((row) => Object.values(row)[0]).sort();
  }

  async function ledgerRows(table: string): Promise<[number, string, string][]> {
    const [rows] = await fixture.db.sql.query(`SELECT version, state, file_name FROM \`${table}\` ORDER BY version`);
    return (rows as { version: number | string; state: string; file_name: string }[]).map((row) => [
      Number(row.version),
      row.state,
      row.file_name,
    ]);
  }

  function backups(): string[] {
    return readdirSync(backupFolder).sort();
  }

  suiteSetup(async function () {
    backupFolder = mkdtempSync(path.join(tmpdir(), 'ml-backups-'));
    fixture = await openSuiteWorkspace({ label: LABEL, database: 'host_cov_settings', files: MIGRATIONS });
  });

  suiteTeardown(async function () {
    await fixture?.close(CHANGED_SETTINGS);
    rmSync(backupFolder, { recursive: true, force: true });
  });

  test('ledger.table: a run records each version in the table named there, and none in the default one', async () => {
    await set('ledger.table', 'coverage_ledger');
    assert.equal((await run('migrationLens.up'))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assert.deepEqual(await ledgerRows('coverage_ledger'), [
      [1, 'applied', '000001_users.up.sql'],
      [2, 'applied', '000002_posts.up.sql'],
    ]);
    assert.ok(!(await tables()).includes(DEFAULT_LEDGER_TABLE));
  });

  test('ledger.create false: no ledger table is created, and one that exists is still written', async () => {
    await set('ledger.create', false);
    await set('ledger.table', 'coverage_ledger_never');
    assert.equal((await run('migrationLens.down', { confirm: false, backup: 'never' }))?.kind, 'done');
    assert.equal((await run('migrationLens.up'))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assert.deepEqual(await tables(), ['coverage_ledger', 'posts', 'schema_migrations', 'users']);

    await set('ledger.table', 'coverage_ledger');
    assert.equal((await run('migrationLens.down', { confirm: false, backup: 'never' }))?.kind, 'done');
    assert.deepEqual((await ledgerRows('coverage_ledger'))[1], [2, 'reverted', '000002_posts.up.sql']);
    assert.equal((await run('migrationLens.up'))?.kind, 'done');
    assert.deepEqual((await ledgerRows('coverage_ledger'))[1], [2, 'applied', '000002_posts.up.sql']);
  });

  test('backup "always" with backupPath: a Down writes the dump of the tables it drops into that folder', async () => {
    await set('backupPath', backupFolder);
    await set('backup', 'always');
    await fixture.db.sql.query("INSERT INTO posts VALUES (1, 'kept in the backup')");
    assert.equal((await run('migrationLens.down', { confirm: false }))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[1, 0]]);
    const written = backups();
    assert.equal(written.length, 1);
    assert.match(written[0], new RegExp(`^${fixture.db.name}_v2_\\d{8}T\\d{6}\\.\\d{3}Z\\.sql$`));
    const dump = readFileSync(path.join(backupFolder, written[0]), 'utf8');
    assert.match(dump, /kept in the backup/);
    assert.doesNotMatch(dump, /CREATE TABLE `users`/, 'only the tables the down file drops');
  });

  test('backup "never": a Down writes no backup file', async () => {
    await set('backup', 'never');
    assert.equal((await run('migrationLens.up'))?.kind, 'done');
    await fixture.db.sql.query("INSERT INTO posts VALUES (2, 'lost with the table')");
    const before = backups();
    assert.equal((await run('migrationLens.down', { confirm: false }))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[1, 0]]);
    assert.deepEqual(backups(), before);
  });

  test("create.timeZone: a timestamp version is the wall-clock time of that zone, not UTC's", async () => {
    await set('create.numbering', 'timestamp');
    await set('create.timeZone', 'Asia/Kathmandu');
    const before = Date.now();
    const created = await run<{ upPath: string; downPath: string }>('migrationLens.createMigration', {
      name: 'zoned',
    });
    const after = Date.now();
    assert.ok(created, 'the migration was created');
    const version = /^(\d{14})_zoned\.up\.sql$/.exec(path.basename(created.upPath))?.[1];
    assert.ok(version, path.basename(created.upPath));
    assert.ok(
      version >= defaultLayout(before - 1000, KATHMANDU_OFFSET_MS) &&
        version <= defaultLayout(after, KATHMANDU_OFFSET_MS),
      `${version} is not Kathmandu time between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`,
    );
    assert.ok(version > defaultLayout(after, 0), 'UTC would give an earlier wall-clock time');
    rmSync(created.upPath);
    rmSync(created.downPath);
  });
});
