import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { DatabaseVersion } from '../../src/core/model';
import {
  extensionManifest,
  openSuiteWorkspace,
  TEST_SERVER,
  typeIntoNextInputBox,
  waitFor,
  type SuiteWorkspace,
} from './support';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_create_users.up.sql': 'CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY);\n',
  '000001_create_users.down.sql': 'DROP TABLE users;\n',
  '000002_add_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(255) NULL;\n',
  '000002_add_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
};

/** Types `command` into a new integrated terminal, its output sent to a file; resolves with that output. */
async function inNewTerminal(command: string, cwd: vscode.Uri): Promise<string> {
  const output = path.join(tmpdir(), `ml-terminal-${randomBytes(6).toString('hex')}.txt`);
  const terminal = vscode.window.createTerminal({ name: 'migration-lens test', cwd });
  try {
    // Written to a temporary name and renamed once the command ended, so a half-written file is never read.
    terminal.sendText(`{ ${command}; } > '${output}.partial' 2>&1; mv '${output}.partial' '${output}'`);
    await waitFor(`${command} in a terminal`, () => Promise.resolve(existsSync(output) ? true : undefined), 30_000);
    // Shell integration's marks (OSC 633) land in the output too: they are the terminal's, not the command's.
    return readFileSync(output, 'utf8').replace(/\x1b\][^\x07]*\x07/g, '');
  } finally {
    terminal.dispose();
    rmSync(output, { force: true });
  }
}

suite('install: the command line in the integrated terminal, Copy CLI Command, and the first connection', function () {
  let suiteWorkspace: SuiteWorkspace;
  const token = randomBytes(4).toString('hex');
  const userWithoutPassword = `ml_nopw_${token}`;
  const userWithPassword = `ml_pw_${token}`;
  const password = `Ml-${token}-typed`;
  const endpoint = `tcp(${TEST_SERVER.host}:${TEST_SERVER.port})`;

  suiteSetup(async function () {
    this.timeout(60_000);
    suiteWorkspace = await openSuiteWorkspace({ label: 'install-suite', database: 'host_install', files: MIGRATIONS });
    const { db } = suiteWorkspace;
    for (const [user, secret] of [
      [userWithoutPassword, ''],
      [userWithPassword, password],
    ]) {
      await db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', secret]);
      await db.sql.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [user, '%']);
    }
    await suiteWorkspace.container.terminalCli.ready;
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    const { db } = suiteWorkspace;
    for (const user of [userWithoutPassword, userWithPassword])
      await db.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
    await suiteWorkspace.close();
  });

  test('a new terminal has migration-lens on its PATH, run with the Node of the extension host', async function () {
    this.timeout(60_000);
    const { workspace, migrations, db } = suiteWorkspace;
    const version = await inNewTerminal('migration-lens -version', workspace.uri);
    assert.equal(version.trim(), extensionManifest().version);
    const status = await inNewTerminal(
      `migration-lens -path '${migrations}' -database '${db.url}' status`,
      workspace.uri,
    );
    assert.match(status, /^VERSION +STATE +NAME +FILES\n1 +pending +create_users/m);
  });

  test('with migrationLens.terminal.migrateAlias on, it also answers to migrate there; off, migrate is not it', async function () {
    this.timeout(60_000);
    const { container, workspace } = suiteWorkspace;
    const absent = await inNewTerminal('command -v migrate || echo absent', workspace.uri);
    assert.equal(absent.trim(), 'absent');
    await vscode.workspace
      .getConfiguration('migrationLens')
      .update('terminal.migrateAlias', true, vscode.ConfigurationTarget.Global);
    await waitFor('the migrate launcher', async () => {
      await container.terminalCli.ready;
      return existsSync(path.join(container.terminalCli.binFolder, 'migrate')) ? true : undefined;
    });
    const help = await inNewTerminal('migrate -help', workspace.uri);
    assert.match(help, /^Usage: migrate OPTIONS COMMAND/);
    await vscode.workspace
      .getConfiguration('migrationLens')
      .update('terminal.migrateAlias', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the migrate launcher to go', async () => {
      await container.terminalCli.ready;
      return existsSync(path.join(container.terminalCli.binFolder, 'migrate')) ? undefined : true;
    });
  });

  test('Copy CLI Command copies the command line with the URL as the project writes it, and it runs in a terminal', async function () {
    this.timeout(60_000);
    const { workspace, db } = suiteWorkspace;
    const copied = await suiteWorkspace.run<string>('migrationLens.copyCliCommand', {
      folder: workspace.uri,
      command: 'status',
    });
    const expected = `migration-lens -path install-suite/migrations -database '${db.url}' status`;
    assert.equal(copied, expected);
    assert.equal(await vscode.env.clipboard.readText(), expected);
    const status = await inNewTerminal(copied, workspace.uri);
    assert.match(status, /^1 +pending +create_users/m);
  });

  test('Copy CLI Command: from .env, the variables as written; a password in the URL is never copied', async function () {
    this.timeout(60_000);
    const { workspace, model, db } = suiteWorkspace;
    const env = path.join(workspace.uri.fsPath, '.env');
    writeFileSync(env, `DB_USER=root\nDB_HOST=${TEST_SERVER.host}\nDB_PORT=${TEST_SERVER.port}\nDB_NAME=${db.name}\n`);
    try {
      await suiteWorkspace.set('databaseUrl', undefined);
      await waitFor('the database from .env', async () => {
        await model.ready;
        return model.databaseTarget?.origin === 'env-parts' ? true : undefined;
      });
      const fromEnv = await suiteWorkspace.run<string>('migrationLens.copyCliCommand', {
        folder: workspace.uri,
        command: 'up',
      });
      assert.equal(
        fromEnv,
        'migration-lens -path install-suite/migrations -database "mysql://${DB_USER}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}" up',
      );
      await suiteWorkspace.set('databaseUrl', `mysql://someone:Pw-${token}@${endpoint}/${db.name}`);
      await waitFor('the setting with a password', async () => {
        await model.ready;
        return model.databaseTarget?.origin === 'setting' ? true : undefined;
      });
      const masked = await suiteWorkspace.run<string>('migrationLens.copyCliCommand', {
        folder: workspace.uri,
        command: 'up',
      });
      assert.ok(masked !== undefined && !masked.includes(`Pw-${token}`), masked);
      assert.match(masked, /mysql:\/\/someone:\*\*\*\*@/);
      assert.ok(!(await vscode.env.clipboard.readText()).includes(`Pw-${token}`));
    } finally {
      rmSync(env, { force: true });
      await suiteWorkspace.set('databaseUrl', db.url);
    }
  });

  test('first run: a URL without a password connects with an empty one, asking nothing and storing nothing', async function () {
    this.timeout(60_000);
    const { container, model, db } = suiteWorkspace;
    const url = `mysql://${userWithoutPassword}@${endpoint}/${db.name}`;
    await suiteWorkspace.set('databaseUrl', url);
    const state = await waitFor('the tree to connect without a password', async () => {
      await model.ready;
      await model.refreshDatabase();
      return model.databaseTarget?.url === url && model.database.kind !== 'connecting' ? model.database : undefined;
    });
    assert.equal(state.kind, 'connected', state.kind === 'unreachable' ? state.reason : state.kind);
    assert.equal(await container.secrets.get(model.databaseTarget!.redactedUrl), undefined);
    assert.match(container.statusBar.view.text, /no version · 2 pending/);
  });

  test('first run: the server refuses the login; the tree says so without asking, a command asks and stores the answer', async function () {
    this.timeout(60_000);
    const { container, model, db, workspace } = suiteWorkspace;
    const url = `mysql://${userWithPassword}@${endpoint}/${db.name}`;
    await suiteWorkspace.set('databaseUrl', url);
    const state = await waitFor('the tree to be refused', async () => {
      await model.ready;
      await model.refreshDatabase();
      return model.databaseTarget?.url === url && model.database.kind === 'unreachable' ? model.database : undefined;
    });
    assert.match(state.reason, /refused .* without a password: Show Database Version .* asks for it/);
    const redactedUrl = model.databaseTarget!.redactedUrl;
    assert.equal(await container.secrets.get(redactedUrl), undefined, 'the tree asked for nothing');

    typeIntoNextInputBox(password);
    const version = await suiteWorkspace.run<DatabaseVersion>('migrationLens.showVersion', { folder: workspace.uri });
    assert.deepEqual(version, { version: -1n, dirty: false });
    assert.equal(await container.secrets.get(redactedUrl), password, 'the typed password is in the secret storage');
    assert.equal(model.database.kind, 'connected');
    await container.secrets.delete(redactedUrl);
    await suiteWorkspace.set('databaseUrl', db.url);
  });
});
