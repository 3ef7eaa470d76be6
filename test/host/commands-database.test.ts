import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { ledgerTableName } from '../../src/core/ledger-table';

const DEFAULT_LEDGER_TABLE = ledgerTableName('schema_migrations');
import type { Container } from '../../src/vscode/container';
import type { CommandResult } from '../../src/vscode/database-run';
import type { FolderModel } from '../../src/vscode/folder-model';
import type { VersionNode } from '../../src/vscode/views/migrations-tree';
import {
  acceptingQuickInput,
  closingQuickInput,
  openSuiteWorkspace,
  type SuiteWorkspace,
  waitFor,
  type TestDatabase,
} from './support';

/** Migrations of this suite, in their own folder of the fixture workspace so other suites' files stay untouched. */
const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_create_users.up.sql': 'CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY);\n',
  '000001_create_users.down.sql': 'DROP TABLE users;\n',
  '000002_add_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(255) NULL;\n',
  '000002_add_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
  '000003_create_posts.up.sql': 'CREATE TABLE posts (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL);\n',
  '000003_create_posts.down.sql': 'DROP TABLE posts;\n',
};

suite('commands: migrations against a real MariaDB, through executeCommand', function () {
  let suiteWorkspace: SuiteWorkspace;
  let container: Container;
  let model: FolderModel;
  let db: TestDatabase;
  let workspace: vscode.WorkspaceFolder;
  let migrations: string;

  const run = <T = CommandResult>(command: string, ...args: unknown[]): Promise<T | undefined> =>
    Promise.resolve(vscode.commands.executeCommand<T | undefined>(`migrationLens.${command}`, ...args));

  /** The version table as a direct query sees it: [] for no row, else [[version, dirty]]. */
  async function versionTable(): Promise<[number, number][]> {
    const [rows] = await db.sql.query('SELECT version, dirty FROM schema_migrations');
    return (rows as { version: number | string; dirty: number }[]).map((row) => [Number(row.version), row.dirty]);
  }

  /** The schema's tables, leaving out the ledger Migration Lens keeps beside the version table (its own feature). */
  async function tables(): Promise<string[]> {
    const [rows] = await db.sql.query('SHOW TABLES');
    return (rows as Record<string, string>[])
      .map((row) => Object.values(row)[0])
      .filter((name) => name !== DEFAULT_LEDGER_TABLE)
      .sort();
  }

  async function setVersionTable(version: number, dirty: boolean): Promise<void> {
    await db.sql.query('DELETE FROM schema_migrations; INSERT INTO schema_migrations (version, dirty) VALUES (?, ?)', [
      version,
      dirty,
    ]);
  }

  /** Waits until the Migration Lens output channel (a log channel, written to the extension's log folder) matches. */
  async function outputMatches(pattern: RegExp): Promise<void> {
    const file = path.join(container.context.logUri.fsPath, 'Migration Lens.log');
    await waitFor(`the output channel to match ${pattern}`, () =>
      Promise.resolve(existsSync(file) && pattern.test(readFileSync(file, 'utf8')) ? true : undefined),
    );
  }

  function assertDone(result: CommandResult | undefined): asserts result is Extract<CommandResult, { kind: 'done' }> {
    assert.equal(
      result?.kind,
      'done',
      JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? `${value}` : value)),
    );
  }

  suiteSetup(async function () {
    suiteWorkspace = await openSuiteWorkspace({
      label: 'commands-suite',
      database: 'host_commands',
      files: MIGRATIONS,
    });
    ({ container, model, db, workspace, migrations } = suiteWorkspace);
  });

  suiteTeardown(async function () {
    await suiteWorkspace?.close();
  });

  test('Configure database keeps the URL without a password in the setting and the password in secret storage', async () => {
    const withPassword = db.url.replace('mysql://root@', 'mysql://root:s%40cret@');
    await run('configureDatabase', { folder: workspace.uri, url: withPassword });
    const setting = vscode.workspace.getConfiguration('migrationLens', workspace).get<string>('databaseUrl');
    assert.equal(setting, db.url);
    assert.equal(await container.secrets.get(db.url), 's@cret');
    await outputMatches(/database for \S+ set to mysql:\/\/root@tcp/);
    const log = readFileSync(path.join(container.context.logUri.fsPath, 'Migration Lens.log'), 'utf8');
    assert.ok(!log.includes('s@cret') && !log.includes('s%40cret'), 'the password never reaches the output');
    await run('configureDatabase', { folder: workspace.uri, url: db.url, password: '' });
    assert.equal(await container.secrets.get(db.url), '');
  });

  test('Up applies every migration; Show version reports it; the model follows', async () => {
    assertDone(await run('up'));
    assert.deepEqual(await versionTable(), [[3, 0]]);
    assert.deepEqual(await tables(), ['posts', 'schema_migrations', 'users']);
    // The plan first, then golang-migrate's line per step.
    await outputMatches(/Apply 3 migrations: no version → 3\n.*1\/u create_users \(000001_create_users\.up\.sql\)/);
    await outputMatches(
      /\] 1\/u create_users \([0-9.]+[µm]?s\)\n.*\] 2\/u add_email \([0-9.]+[µm]?s\)\n.*\] 3\/u create_posts /,
    );
    assert.deepEqual(await run('showVersion'), { version: 3n, dirty: false });
    assert.deepEqual(model.database.kind === 'connected' && model.database.version, { version: 3n, dirty: false });
    const again = await run('up');
    assertDone(again);
    assert.equal(again.result.outcome.kind, 'no-change');
  });

  test('Refresh re-reads a version changed outside the editor', async () => {
    await setVersionTable(2, false);
    await run('refresh');
    assert.deepEqual(model.database.kind === 'connected' && model.database.version, { version: 2n, dirty: false });
    await setVersionTable(3, false);
    await run('refresh');
    assert.deepEqual(model.database.kind === 'connected' && model.database.version, { version: 3n, dirty: false });
  });

  test('Down asks first: the palette path shows the plan in a modal and runs nothing without a yes', async () => {
    // Smoke-test mode refuses modal dialogs with an error that quotes them: proof that the question was asked.
    await assert.rejects(run('down'), /refused to show dialog in tests.*Roll back 1 migration: version 3 → 2/);
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });

  test('Down 1 and Down N roll back as golang-migrate does, down to an empty version table', async () => {
    assertDone(await run('down', { confirm: false }));
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assert.deepEqual(await tables(), ['schema_migrations', 'users']);
    assertDone(await run('downN', { count: 2, confirm: false }));
    assert.deepEqual(await versionTable(), []);
    assert.deepEqual(await tables(), ['schema_migrations']);
  });

  test('Up N applies the next N; too many applies what exists and reports the shortfall', async () => {
    assertDone(await run('upN', { count: 2 }));
    assert.deepEqual(await versionTable(), [[2, 0]]);
    const short = await run('upN', { count: 5 });
    assertDone(short);
    assert.equal(short.result.outcome.kind, 'short-limit');
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });

  test('Goto moves up or down to a version and logs each step', async () => {
    assertDone(await run('goto', { version: 1, confirm: false }));
    assert.deepEqual(await versionTable(), [[1, 0]]);
    const result = await run('goto', { version: '3' });
    assertDone(result);
    assert.deepEqual(
      result.result.steps.map(({ step }) => `${step.version}/${step.direction}`),
      ['2/up', '3/up'],
    );
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });

  test('tree actions: roll back to / apply up to a version node, refusing the other direction', async () => {
    const node = (version: bigint): VersionNode => ({
      kind: 'version',
      model,
      status: model.status.rows.find((row) => row.version === version)!,
    });
    assertDone(await run('rollBackTo', node(1n), { confirm: false }));
    assert.deepEqual(await versionTable(), [[1, 0]]);
    const wrongWay = await run('rollBackTo', node(3n), { confirm: false });
    assert.equal(wrongWay?.kind, 'refused');
    assert.deepEqual(await versionTable(), [[1, 0]]);
    assertDone(await run('applyUpTo', node(2n)));
    assert.deepEqual(await versionTable(), [[2, 0]]);
  });

  test('a dirty database is refused by Up; Force (and force to a tree node) repairs it', async () => {
    await setVersionTable(3, true);
    const refused = await run('up');
    assert.equal(refused?.kind, 'refused');
    assert.match((refused as { message: string }).message, /Dirty database version 3/);
    assert.deepEqual(await versionTable(), [[3, 1]]);

    // Without { confirm: false } the confirmation is asked first (smoke-test mode refuses it): nothing is forced.
    await assert.rejects(
      run('force', { version: 2 }),
      /refused to show dialog in tests.*Force the database to version 2\?/,
    );
    assert.deepEqual(await versionTable(), [[3, 1]]);

    assertDone(await run('force', { version: 2, confirm: false }));
    assert.deepEqual(await versionTable(), [[2, 0]]);
    await setVersionTable(3, true);
    const status = model.status.rows.find((row) => row.version === 3n)!;
    assertDone(await run('forceTo', { kind: 'version', model, status } satisfies VersionNode, { confirm: false }));
    assert.deepEqual(await versionTable(), [[3, 0]]);
    assertDone(await run('force', { version: -1, confirm: false }));
    assert.deepEqual(await versionTable(), []);
    assert.deepEqual(await run('showVersion'), { version: -1n, dirty: false });
  });

  test('a failing migration leaves the database dirty at its version and names the statement and line', async () => {
    // The forces above moved the version without running SQL: start again from an empty schema.
    assert.deepEqual(await versionTable(), []);
    await db.sql.query('DROP TABLE IF EXISTS posts, users');
    assertDone(await run('up'));
    const broken = path.join(migrations, '000004_broken.up.sql');
    writeFileSync(broken, 'CREATE TABLE ok_before (id INT);\n\nINSERT INTO no_such_table VALUES (1);\n');
    writeFileSync(path.join(migrations, '000004_broken.down.sql'), 'DROP TABLE ok_before;\n');
    try {
      const failed = await run('up');
      assert.equal(failed?.kind, 'failed');
      assert.match((failed as { message: string }).message, /000004_broken\.up\.sql, statement 2, line 3/);
      assert.deepEqual(await versionTable(), [[4, 1]]);
      assert.ok((await tables()).includes('ok_before'), 'statements before the failing one stay applied');
      await outputMatches(/000004_broken\.up\.sql:3: INSERT INTO no_such_table VALUES \(1\)/);
      await waitFor('the model to see the dirty version', () =>
        Promise.resolve(model.database.kind === 'connected' && model.database.version.dirty ? true : undefined),
      );
    } finally {
      rmSync(broken);
      rmSync(path.join(migrations, '000004_broken.down.sql'));
      await db.sql.query('DROP TABLE IF EXISTS ok_before');
      await run('force', { version: 3, confirm: false });
    }
  });

  test('Drop asks for the database name; with { confirm: false } it drops every table', async () => {
    const before = await tables();
    assert.deepEqual(before, ['posts', 'schema_migrations', 'users']);
    assert.deepEqual(await closingQuickInput(run('drop')), { kind: 'declined' });
    assert.deepEqual(await tables(), before);
    const dropped = await run('drop', { confirm: false });
    assertDone(dropped);
    assert.deepEqual(
      (dropped.result.droppedTables ?? []).filter((name) => name !== DEFAULT_LEDGER_TABLE).sort(),
      before,
    );
    assert.deepEqual(await tables(), []);
  });

  test('questions from the palette path: Goto and Force offer the versions in a quick pick, Up N asks how many', async () => {
    assertDone(await run('up'));
    assert.deepEqual(await versionTable(), [[3, 0]]);
    // The first item of Goto's pick is the lowest version; Force's starts with -1.
    assertDone(await acceptingQuickInput(run('goto', { confirm: false })));
    assert.deepEqual(await versionTable(), [[1, 0]]);
    // Up N's input box is prefilled with 1.
    assertDone(await acceptingQuickInput(run('upN')));
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assertDone(await acceptingQuickInput(run('force', { confirm: false })));
    assert.deepEqual(await versionTable(), []);
  });
});
