import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../src/vscode/container';
import type { VerifyCommandResult } from '../../src/vscode/commands/verify';
import type { CommandResult } from '../../src/vscode/database-run';
import type { FolderModel } from '../../src/vscode/folder-model';
import {
  activeContainer,
  createTestDatabase,
  removeOnceLeft,
  TEST_SERVER,
  waitFor,
  type TestDatabase,
} from './support';

const LABEL = 'secrets-suite';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_create_users.up.sql': 'CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY);\n',
  '000001_create_users.down.sql': 'DROP TABLE users;\n',
  '000002_add_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(255) NULL;\n',
  '000002_add_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
};

/** Every file under `folder`, recursively (a missing folder has none). */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile());
}

suite('secrets: a password given to Configure Database never shows up in logs, settings or errors', function () {
  /** The unique part of the password: any text holding it, in any encoding that keeps it, is a leak. */
  const token = randomBytes(8).toString('hex');
  const password = `Ml-${token}-P@ss:w/rd %+`;
  const user = `ml_host_secret_${token.slice(0, 6)}`;
  let container: Container;
  let model: FolderModel;
  let db: TestDatabase;
  let workspace: vscode.WorkspaceFolder;
  let migrations: string;
  const results: unknown[] = [];

  const run = async (command: string, ...args: unknown[]): Promise<unknown> => {
    const result = await vscode.commands.executeCommand<unknown>(`migrationLens.${command}`, ...args);
    results.push(result);
    return result;
  };

  function leaks(text: string): boolean {
    return text.includes(token);
  }

  /** The Migration Lens output channel's log file (a log channel, written to the extension's log folder). */
  function outputLog(): string {
    const file = path.join(container.context.logUri.fsPath, 'Migration Lens.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async function versionTable(): Promise<unknown[]> {
    const [rows] = await db.sql.query('SELECT version, dirty FROM schema_migrations');
    return (rows as { version: number; dirty: number }[]).map((row) => [row.version, row.dirty]);
  }

  suiteSetup(async function () {
    container = await activeContainer();
    workspace = vscode.workspace.workspaceFolders![0]!;
    migrations = path.join(workspace.uri.fsPath, LABEL, 'migrations');
    mkdirSync(migrations, { recursive: true });
    for (const [name, text] of Object.entries(MIGRATIONS)) writeFileSync(path.join(migrations, name), text);
    db = await createTestDatabase('host_secrets');
    await db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await db.sql.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [user, '%']);
    // Verify creates its scratch databases with the same account, and the temporary account that runs the files there.
    await db.sql.query('GRANT ALL ON `ml\\_verify\\_%`.* TO ?@? WITH GRANT OPTION', [user, '%']);
    await db.sql.query('GRANT CREATE USER ON *.* TO ?@?', [user, '%']);
    const url = `mysql://${user}:${encodeURIComponent(password)}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;

    await run('pickMigrationsFolder', { folder: workspace.uri, path: `${LABEL}/migrations` });
    // The URL holds the password, as a user pastes it: the command keeps it in the secret storage only.
    await run('configureDatabase', { folder: workspace.uri, url });
    model = container.model.folderFor(workspace.uri)!;
    await waitFor('the model on the suite folder and its database', async () => {
      await model.ready;
      return model.migrationsFolder?.uri.fsPath === migrations &&
        model.databaseTarget?.redactedUrl.includes(user) &&
        model.catalog.size === 2
        ? true
        : undefined;
    });
  });

  suiteTeardown(async function () {
    const settings = vscode.workspace.getConfiguration('migrationLens', workspace);
    const key = model?.databaseTarget?.redactedUrl;
    for (const setting of ['migrationsPath', 'databaseUrl']) {
      await settings.update(setting, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    if (key !== undefined) await container.secrets.delete(key);
    await removeOnceLeft(model, migrations, path.join(workspace.uri.fsPath, LABEL));
    await db?.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
    await db?.drop();
  });

  test('the password is in the secret storage, and the setting holds the URL without it', async () => {
    const setting = vscode.workspace.getConfiguration('migrationLens', workspace).get<string>('databaseUrl');
    assert.ok(setting?.includes(user), `the setting names the user: ${setting}`);
    assert.equal(leaks(setting ?? ''), false);
    assert.equal(await container.secrets.get(model.databaseTarget!.redactedUrl), password);
  });

  test('up, show version, down and failing commands run with it, and no output, setting or error holds it', async () => {
    assert.equal(((await run('up')) as CommandResult | undefined)?.kind, 'done');
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assert.deepEqual(await run('showVersion'), { version: 2n, dirty: false });
    assert.equal(((await run('down', { confirm: false })) as CommandResult | undefined)?.kind, 'done');
    assert.deepEqual(await versionTable(), [[1, 0]]);

    const missing = (await run('goto', { version: 99, confirm: false })) as CommandResult | undefined;
    assert.equal(missing?.kind, 'refused', JSON.stringify(missing));
    // A server error: its text comes from the driver, with the connection's details around it.
    writeFileSync(path.join(migrations, '000003_broken.up.sql'), 'INSERT INTO no_such_table VALUES (1);\n');
    writeFileSync(path.join(migrations, '000003_broken.down.sql'), 'SELECT 1;\n');
    const broken = (await run('up')) as CommandResult | undefined;
    assert.equal(broken?.kind, 'failed', JSON.stringify(broken));
    assert.match((broken as { message: string }).message, /no_such_table/);
    assert.deepEqual(await versionTable(), [[3, 1]]);
    await waitFor('the output channel to log the failing statement', () =>
      Promise.resolve(/000003_broken\.up\.sql:1: INSERT INTO no_such_table/.test(outputLog()) ? true : undefined),
    );

    const messages = JSON.stringify(results, (_, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    assert.equal(leaks(messages), false, 'a command result or error message holds the password');
    assert.equal(leaks(outputLog()), false, 'the output channel holds the password');
    const userSettings = path.join(container.context.globalStorageUri.fsPath, '..', '..', 'settings.json');
    const workspaceSettings = path.join(workspace.uri.fsPath, '.vscode', 'settings.json');
    for (const file of [userSettings, workspaceSettings]) {
      assert.ok(existsSync(file), `${file} exists`);
      assert.equal(leaks(readFileSync(file, 'utf8')), false, `${file} holds the password`);
    }
    assert.match(readFileSync(workspaceSettings, 'utf8'), new RegExp(user), 'the URL went to the workspace settings');
    // Every other log of this session too: the extension host's, the window's, the server's.
    const sessionLogs = path.resolve(container.context.logUri.fsPath, '..', '..', '..');
    const logs = filesUnder(sessionLogs);
    assert.ok(logs.length > 1, `logs found under ${sessionLogs}`);
    for (const file of logs) assert.equal(leaks(readFileSync(file, 'utf8')), false, `${file} holds the password`);
  });

  test('every other command that reaches the database runs with it too, and still nothing holds it', async function () {
    this.timeout(180_000);
    // At (3, dirty) after the failed up: it changed nothing, so it is recovered as undone and its files taken away.
    await run('recover', { choice: 'undone', confirm: false });
    assert.deepEqual(await versionTable(), [[2, 0]]);
    for (const name of ['000003_broken.up.sql', '000003_broken.down.sql']) rmSync(path.join(migrations, name));
    await run('refresh');
    await waitFor('the model to drop version 3', () => Promise.resolve(model.catalog.size === 2 ? true : undefined));

    await run('dryRunDown', { apply: false });
    await run('dryRunGoto', { version: 1, apply: false });
    await run('rollBackTo', { version: 1, confirm: false, backup: 'always' });
    assert.deepEqual(await versionTable(), [[1, 0]]);
    await run('dryRunUp', { apply: false });
    await run('applyUpTo', { version: 2 });
    assert.deepEqual(await versionTable(), [[2, 0]]);
    await run('downN', { count: 1, confirm: false, backup: 'never' });
    await run('upN', { count: 1 });
    assert.deepEqual(await versionTable(), [[2, 0]]);
    await run('forceTo', { version: 1, confirm: false });
    assert.deepEqual(await versionTable(), [[1, 0]]);
    await run('force', { version: 2, confirm: false });
    assert.deepEqual(await versionTable(), [[2, 0]]);
    await run('backup', { confirm: false });
    assert.equal(((await run('verify')) as VerifyCommandResult | undefined)?.kind, 'done');
    await run('showVersion');
    await run('showOutput');
    await run('drop', { confirm: false });
    const [tables] = await db.sql.query('SHOW TABLES');
    assert.deepEqual(tables, [], 'drop emptied the database');

    const messages = JSON.stringify(results, (_, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    assert.equal(leaks(messages), false, 'a command result or error message holds the password');
    assert.equal(leaks(outputLog()), false, 'the output channel holds the password');
    const backups = filesUnder(path.join(workspace.uri.fsPath, '.migration-lens', 'backups'));
    assert.ok(backups.length >= 2, 'the backups before rolling back and the one asked for were written');
    for (const file of backups) {
      assert.equal(leaks(readFileSync(file, 'utf8')), false, `${file} holds the password`);
      rmSync(file);
    }
    for (const document of vscode.workspace.textDocuments) {
      assert.equal(leaks(document.getText()), false, `${document.uri.toString()} holds the password`);
    }
    const sessionLogs = path.resolve(container.context.logUri.fsPath, '..', '..', '..');
    for (const file of filesUnder(sessionLogs)) {
      assert.equal(leaks(readFileSync(file, 'utf8')), false, `${file} holds the password`);
    }
  });
});
