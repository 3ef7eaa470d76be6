import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import * as vscode from 'vscode';
import { quoteIdentifier } from '../../src/adapters/mysql/sql';
import type { CommandResult } from '../../src/vscode/database-run';
import type { FleetCommandResult } from '../../src/vscode/fleet-run';
import type { MigrationsNode } from '../../src/vscode/views/migrations-tree';
import {
  closingQuickInput,
  createTestDatabase,
  openSuiteWorkspace,
  screenshot,
  TEST_SERVER,
  typeIntoNextInputBox,
  waitFor,
  type SuiteWorkspace,
  type TestDatabase,
} from './support';

const LABEL = 'environments-suite';
/** The fleet's databases, found by discovery with this prefix: a new one, a dirty one, one behind. */
const PREFIX = `ml_${randomBytes(3).toString('hex')}_`;
const TENANTS = ['acme', 'globex', 'initech'].map((name) => `${PREFIX}${name}`);
/** The password, if the test server has one, comes from a variable: migration-lens.json never holds one. */
const PASSWORD_VARIABLE = 'ML_HOST_ENVIRONMENTS_PASSWORD';
const FLEET_SETTINGS = ['fleet.parallel', 'fleet.canary', 'fleet.continueOnFailure'];

function url(database: string): string {
  const password = TEST_SERVER.password === '' ? '' : `:\${${PASSWORD_VARIABLE}}`;
  return `mysql://${encodeURIComponent(TEST_SERVER.user)}${password}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${database}`;
}

/** Polls a synchronous check of editor state. */
function until<T>(what: string, check: () => T | undefined): Promise<T> {
  return waitFor(what, () => Promise.resolve(check()), 20_000);
}

suite('environments: the Environments section, the coloured status bar, protected environments, fleets', function () {
  let fixture: SuiteWorkspace;
  let prod: TestDatabase;
  let root: mysql.Connection;
  let projectFile: string;

  const run = <T>(command: string, ...args: unknown[]): Promise<T | undefined> =>
    fixture.run<T>(`migrationLens.${command}`, ...args);

  async function versionOf(database: string): Promise<[number, number][] | 'no table'> {
    try {
      const [rows] = await root.query(`SELECT version, dirty FROM ${quoteIdentifier(database)}.schema_migrations`);
      return (rows as { version: number | string; dirty: number }[]).map((row) => [Number(row.version), row.dirty]);
    } catch {
      return 'no table';
    }
  }

  /** A tree node's label and description. */
  function row(node: MigrationsNode): { label: string; description: string } {
    const item = fixture.container.tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { label, description: typeof item.description === 'string' ? item.description : '' };
  }

  function environmentsNode(): MigrationsNode | undefined {
    return fixture.container.tree.getChildren().find((node) => node.kind === 'environments');
  }

  function environmentRows(): { label: string; description: string }[] {
    const section = environmentsNode();
    return section ? fixture.container.tree.getChildren(section).map(row) : [];
  }

  function environmentNode(name: string): MigrationsNode {
    const node = fixture.container.tree
      .getChildren(environmentsNode())
      .find((candidate) => candidate.kind === 'environment' && candidate.name === name);
    assert.ok(node, `no environment ${name} in the tree`);
    return node;
  }

  /** Waits until every environment has been read and the tree shows none as still reading. */
  async function environmentsRead(): Promise<void> {
    await until('the environments to be read', () => {
      const rows = environmentRows();
      return rows.length === 3 &&
        !fixture.model.environments.reading &&
        rows.every((entry) => !/reading…|not read yet/.test(entry.description))
        ? true
        : undefined;
    });
  }

  suiteSetup(async function () {
    if (TEST_SERVER.password !== '') process.env[PASSWORD_VARIABLE] = TEST_SERVER.password;
    fixture = await openSuiteWorkspace({
      label: LABEL,
      database: 'host_env_dev',
      fixture: 'test/fixtures/environments',
    });
    prod = await createTestDatabase('host_env_prod');
    root = await mysql.createConnection({ ...TEST_SERVER, multipleStatements: true });
    for (const name of TENANTS) await root.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    const table = (name: string, version: number, dirty: number) =>
      root.query(
        `CREATE TABLE ${quoteIdentifier(name)}.users (id INT PRIMARY KEY); ` +
          `CREATE TABLE ${quoteIdentifier(name)}.schema_migrations (version bigint not null primary key, dirty boolean not null); ` +
          `INSERT INTO ${quoteIdentifier(name)}.schema_migrations VALUES (${version}, ${dirty})`,
      );
    await table(TENANTS[1], 2, 1);
    await table(TENANTS[2], 1, 0);
    const migrationsPath = `${LABEL}/migrations`;
    projectFile = path.join(fixture.workspace.uri.fsPath, 'migration-lens.json');
    writeFileSync(
      projectFile,
      JSON.stringify(
        {
          environments: {
            dev: { url: url(fixture.db.name), path: migrationsPath, color: 'green' },
            prod: { url: url(prod.name), path: migrationsPath, protected: true },
            tenants: {
              url: url(''),
              path: migrationsPath,
              discover: `${PREFIX.replaceAll('_', '\\_')}%`,
              color: 'purple',
            },
          },
        },
        undefined,
        2,
      ),
    );
    await fixture.set('fleet.parallel', 2);
    await fixture.set('fleet.canary', 1);
    await fixture.set('fleet.continueOnFailure', true);
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
    await run('refresh');
  });

  suiteTeardown(async function () {
    await run('selectEnvironment', { folder: fixture.workspace.uri, environment: '' });
    rmSync(projectFile, { force: true });
    await fixture?.close(FLEET_SETTINGS, async () => {
      for (const name of TENANTS) await root.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
      await root.end();
      await prod.drop();
    });
    delete process.env[PASSWORD_VARIABLE];
  });

  test('the Environments section: each environment as it stands, a fleet by version and state with its exceptions', async () => {
    await environmentsRead();
    const rows = environmentRows();
    assert.deepEqual(
      rows.map((entry) => entry.label),
      ['dev', 'prod', 'tenants'],
    );
    assert.match(rows[0].description, /^no version · 3 pending$/);
    assert.match(rows[1].description, /^protected · no version · 3 pending$/);
    assert.match(rows[2].description, /^3 databases: 2 behind, 1 dirty; by version: v2 1, v1 1, no version 1$/);
    const groups = fixture.container.tree.getChildren(environmentNode('tenants')).map(row);
    assert.deepEqual(groups, [
      { label: 'By version', description: 'v2: 1 · v1: 1 · no version: 1' },
      {
        label: '2 behind',
        description: `${TENANTS[0]} (no version, 3 pending), ${TENANTS[2]} (v1, 2 pending)`,
      },
      { label: '1 dirty', description: `${TENANTS[1]} (v2 dirty)` },
    ]);
    // The settings' database stays the one the commands use until an environment is chosen.
    assert.equal(fixture.model.activeEnvironment, undefined);
    assert.equal(fixture.container.statusBar.environmentView.text, '$(server-environment) no environment');
  });

  test('the status bar chooses the active environment and shows it in its colour, a protected one in the error colour', async () => {
    assert.equal(fixture.container.statusBar.environmentView.command, 'migrationLens.selectEnvironment');
    assert.equal(await run('selectEnvironment', { folder: fixture.workspace.uri, environment: 'dev' }), 'dev');
    await until('dev in the status bar', () =>
      fixture.container.statusBar.environmentView.text === '$(server-environment) dev' ? true : undefined,
    );
    assert.equal(fixture.container.statusBar.environmentView.color, 'charts.green');
    assert.equal(fixture.container.statusBar.environmentView.background, undefined);
    assert.equal(fixture.model.databaseTarget?.origin, 'environment');
    // The environment's folder is named in migration-lens.json: -env alone says where and what.
    assert.equal(
      await run('copyCliCommand', { folder: fixture.workspace.uri, command: 'status' }),
      'migration-lens -env dev status',
    );

    // From the tree: the row's inline action passes the node.
    assert.equal(await run('selectEnvironment', environmentNode('prod')), 'prod');
    const view = await until('prod in the status bar', () =>
      fixture.container.statusBar.environmentView.text === '$(lock) prod'
        ? fixture.container.statusBar.environmentView
        : undefined,
    );
    assert.equal(view.background, 'statusBarItem.errorBackground');
    assert.equal(view.color, 'statusBarItem.errorForeground');
    await until('prod read as the active database', () =>
      fixture.model.database.kind === 'connected' && fixture.model.databaseTarget?.redactedUrl.endsWith(prod.name)
        ? true
        : undefined,
    );
    assert.match(row(environmentNode('prod')).description, /^active · protected · /);

    const dirtyGroup = fixture.container.tree
      .getChildren(environmentNode('tenants'))
      .find((node) => node.kind === 'environment-group' && node.group === 'dirty');
    assert.ok(dirtyGroup);
    const [dirtyDatabase] = fixture.container.tree.getChildren(dirtyGroup);
    assert.deepEqual(row(dirtyDatabase), { label: TENANTS[1], description: 'v2 dirty · 1 pending' });
    // The file beside the tree, with the side bar wide enough for the descriptions.
    // (The resize commands act on the focused part: the editor gives up width to the side bar.)
    await vscode.window.showTextDocument(vscode.Uri.file(projectFile), { preview: false });
    for (let step = 0; step < 5; step++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await fixture.container.treeView.reveal(dirtyDatabase, { select: false, focus: false, expand: true });
    await screenshot('environments');
    for (let step = 0; step < 5; step++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('protected: a command that writes runs only once the environment name is typed, for that one action', async () => {
    await run('selectEnvironment', { folder: fixture.workspace.uri, environment: 'prod' });
    // Escape instead of typing: nothing runs.
    const escaped = await closingQuickInput(
      run<CommandResult>('up', { folder: fixture.workspace.uri, confirm: false }),
    );
    assert.deepEqual(escaped, { kind: 'declined' });
    const wrong = await run<CommandResult>('up', { folder: fixture.workspace.uri, confirmEnvironment: 'staging' });
    assert.deepEqual(wrong, { kind: 'declined' });
    const forced = await run<CommandResult>('force', {
      folder: fixture.workspace.uri,
      version: 1,
      confirm: false,
      confirmEnvironment: 'dev',
    });
    assert.deepEqual(forced, { kind: 'declined' });
    assert.equal(await versionOf(prod.name), 'no table');

    // The dry run is always allowed, and shows without asking.
    const dryRun = await run<{ kind: string; text: string }>('dryRunUp', {
      folder: fixture.workspace.uri,
      apply: false,
    });
    assert.equal(dryRun?.kind, 'dry-run');
    assert.match(dryRun?.text ?? '', /000003_orders\.up\.sql/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    typeIntoNextInputBox('prod');
    const typed = await run<CommandResult>('upN', { folder: fixture.workspace.uri, count: 2 });
    assert.equal(typed?.kind, 'done');
    assert.deepEqual(await versionOf(prod.name), [[2, 0]]);
    // Unlocked for that action only: the next one asks again.
    const again = await closingQuickInput(run<CommandResult>('up', { folder: fixture.workspace.uri }));
    assert.deepEqual(again, { kind: 'declined' });
    assert.deepEqual(await versionOf(prod.name), [[2, 0]]);
    const confirmed = await run<CommandResult>('up', { folder: fixture.workspace.uri, confirmEnvironment: 'prod' });
    assert.equal(confirmed?.kind, 'done');
    assert.deepEqual(await versionOf(prod.name), [[3, 0]]);
  });

  test('up across the active fleet: canary first, the dirty database left as it is, the others at the target', async () => {
    await run('selectEnvironment', { folder: fixture.workspace.uri, environment: 'tenants' });
    await until('the fleet as the database', () => (fixture.model.database.kind === 'fleet' ? true : undefined));
    assert.equal(fixture.container.statusBar.environmentView.color, 'charts.purple');
    // A command that works on one database says so.
    const down = await run<CommandResult>('down', { folder: fixture.workspace.uri, confirm: false });
    assert.equal(down?.kind, 'refused');
    assert.match(down?.kind === 'refused' ? down.message : '', /tenants is a fleet/);
    // The command line runs across a fleet by its name too.
    assert.equal(
      await run('copyCliCommand', { folder: fixture.workspace.uri, command: 'up' }),
      'migration-lens -env tenants up',
    );

    const result = await run<FleetCommandResult>('up', { folder: fixture.workspace.uri, confirm: false });
    assert.equal(result?.kind, 'fleet');
    const rows = result?.kind === 'fleet' ? result.summary.rows : [];
    assert.deepEqual(
      rows.map((entry) => [entry.database, entry.result]),
      [
        [TENANTS[0], 'migrated'],
        [TENANTS[1], 'dirty'],
        [TENANTS[2], 'migrated'],
      ],
    );
    assert.deepEqual(await versionOf(TENANTS[0]), [[3, 0]]);
    assert.deepEqual(await versionOf(TENANTS[1]), [[2, 1]]);
    assert.deepEqual(await versionOf(TENANTS[2]), [[3, 0]]);
    await until('the fleet read again after the run', () =>
      /^active · 3 databases: 2 current, 1 dirty; by version: v3 2, v2 1$/.test(
        row(environmentNode('tenants')).description,
      )
        ? true
        : undefined,
    );
  });

  test('migration-lens.json is checked against its schema as it is edited, every section of it', async () => {
    const scratch = path.join(fixture.suiteFolder, 'schema-check');
    mkdirSync(scratch, { recursive: true });
    const file = path.join(scratch, 'migration-lens.json');
    writeFileSync(
      file,
      JSON.stringify(
        {
          rules: { 'destructive-down': 'loud' },
          environments: { prod: { url: 'mysql://a@tcp(h:1)/x', protect: true } },
        },
        undefined,
        2,
      ),
    );
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    const diagnostic = await until('the schema to flag the unknown key', () =>
      vscode.languages.getDiagnostics(vscode.Uri.file(file)).find((entry) => /protect/.test(entry.message)),
    );
    assert.match(diagnostic.message, /not allowed/);
    const rule = vscode.languages
      .getDiagnostics(vscode.Uri.file(file))
      .find((entry) => entry.range.start.line === 2 && entry !== diagnostic);
    assert.match(rule?.message ?? 'no diagnostic on the rule', /not accepted|error, warning, info, off|"error"/i);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(scratch, { recursive: true, force: true });
  });
});
