import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { FolderModel } from '../../src/vscode/folder-model';
import type { VersionNode } from '../../src/vscode/views/migrations-tree';
import { activeContainer, removeOnceLeft, waitFor } from './support';

suite('commands: create, format and open migration files', function () {
  let model: FolderModel;
  let workspace: vscode.WorkspaceFolder;
  let migrations: string;

  const run = <T>(command: string, ...args: unknown[]): Promise<T | undefined> =>
    Promise.resolve(vscode.commands.executeCommand<T | undefined>(`migrationLens.${command}`, ...args));
  const settings = () => vscode.workspace.getConfiguration('migrationLens', workspace);
  const activeFile = () => path.basename(vscode.window.activeTextEditor?.document.uri.fsPath ?? '');

  suiteSetup(async function () {
    const container = await activeContainer();
    workspace = vscode.workspace.workspaceFolders![0]!;
    migrations = path.join(workspace.uri.fsPath, 'commands-files', 'migrations');
    mkdirSync(migrations, { recursive: true });
    writeFileSync(path.join(migrations, '000001_create_users.up.sql'), 'CREATE TABLE users (id BIGINT);\n');
    writeFileSync(path.join(migrations, '000001_create_users.down.sql'), 'DROP TABLE users;\n');
    await run('pickMigrationsFolder', { folder: workspace.uri, path: migrations });
    model = container.model.folderFor(workspace.uri)!;
    await waitFor('the model on the suite folder', async () => {
      await model.ready;
      return model.migrationsFolder?.uri.fsPath === migrations && model.catalog.size === 1 ? true : undefined;
    });
  });

  suiteTeardown(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Empty the folder file by file first: the other suites' folder is then the one found, and the server's file
    // watcher never sees a folder it watches vanish (after which it stops reporting changes).
    for (const name of readdirSync(migrations)) rmSync(path.join(migrations, name), { recursive: true });
    for (const key of ['migrationsPath', 'create.numbering', 'create.digits', 'create.timestampFormat']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await removeOnceLeft(model, migrations, path.join(workspace.uri.fsPath, 'commands-files'));
  });

  test('Pick migrations folder stores the folder relative to the workspace folder', () => {
    assert.equal(settings().get('migrationsPath'), 'commands-files/migrations');
  });

  test('Create migration (sequential) makes an empty pair after the last number and opens the up file', async () => {
    await settings().update('create.numbering', 'sequential', vscode.ConfigurationTarget.WorkspaceFolder);
    await settings().update('create.digits', 4, vscode.ConfigurationTarget.WorkspaceFolder);
    const created = await run<{ upPath: string; downPath: string }>('createMigration', { name: ' add posts  index ' });
    assert.deepEqual(created, {
      upPath: path.join(migrations, '0002_add_posts_index.up.sql'),
      downPath: path.join(migrations, '0002_add_posts_index.down.sql'),
    });
    assert.equal(readFileSync(created.upPath, 'utf8'), '');
    assert.equal(readFileSync(created.downPath, 'utf8'), '');
    assert.equal(activeFile(), '0002_add_posts_index.up.sql');
    await waitFor('the tree model to list version 2', () =>
      Promise.resolve(model.catalog.get(2n)?.down?.fileName === '0002_add_posts_index.down.sql' ? true : undefined),
    );
  });

  test('Create migration (timestamp) names the pair by the time in the configured layout', async () => {
    await settings().update('create.numbering', 'timestamp', vscode.ConfigurationTarget.WorkspaceFolder);
    await settings().update('create.timestampFormat', 'unix', vscode.ConfigurationTarget.WorkspaceFolder);
    const before = Math.floor(Date.now() / 1000);
    const created = await run<{ upPath: string }>('createMigration', { name: 'seed' });
    const after = Math.floor(Date.now() / 1000);
    const match = /^(\d+)_seed\.up\.sql$/.exec(path.basename(created!.upPath));
    assert.ok(match, path.basename(created!.upPath));
    const seconds = Number(match[1]);
    assert.ok(seconds >= before && seconds <= after, `${seconds} not within [${before}, ${after}]`);
    assert.ok(existsSync(created!.upPath.replace('.up.sql', '.down.sql')));
  });

  test('Open up / down file of a version node opens that file', async () => {
    await waitFor('version 1 in the model', () => Promise.resolve(model.catalog.has(1n) ? true : undefined));
    const node: VersionNode = { kind: 'version', model, status: model.status.rows.find((row) => row.version === 1n)! };
    await run('openDownFile', node);
    assert.equal(activeFile(), '000001_create_users.down.sql');
    await run('openUpFile', node);
    assert.equal(activeFile(), '000001_create_users.up.sql');
  });

  test('Format migration formats the file with the MySQL dialect, leaving the edit unsaved', async () => {
    const file = path.join(migrations, '000005_format_command.up.sql');
    const original = 'create table users (id bigint not null primary key, email varchar(255)) engine=InnoDB;';
    writeFileSync(file, original);
    const document = await vscode.workspace.openTextDocument(file);
    await run('formatMigration', { uri: vscode.Uri.file(file) });
    const indent = ' '.repeat(Number(vscode.window.activeTextEditor?.options.tabSize));
    assert.equal(
      document.getText(),
      `create table users (\n${indent}id bigint not null primary key,\n${indent}email varchar(255)\n) engine = InnoDB;\n`,
    );
    assert.equal(document.isDirty, true);
    assert.equal(readFileSync(file, 'utf8'), original);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Format Document uses the provider for migration files, with the editor indentation', async () => {
    const file = path.join(migrations, '000006_format_provider.down.sql');
    writeFileSync(file, 'select a, b from users;');
    // The formatting command works on documents the editor has loaded.
    const document = await vscode.workspace.openTextDocument(file);
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
      'vscode.executeFormatDocumentProvider',
      document.uri,
      { tabSize: 4, insertSpaces: true },
    );
    // The editor turns the provider's whole-document replacement into minimal edits: apply them and read the result.
    const change = new vscode.WorkspaceEdit();
    change.set(document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(change));
    assert.equal(document.getText(), 'select\n    a,\n    b\nfrom\n    users;\n');
  });

  test('Format migration leaves DELIMITER files and other SQL files alone', async () => {
    const delimiter = path.join(migrations, '000003_procedure.up.sql');
    const text = 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n';
    writeFileSync(delimiter, text);
    await run('formatMigration', { uri: vscode.Uri.file(delimiter) });
    assert.equal(vscode.window.activeTextEditor?.document.getText(), text);

    const schema = path.join(workspace.uri.fsPath, 'commands-files', 'schema.sql');
    writeFileSync(schema, 'select 1;');
    await run('formatMigration', { uri: vscode.Uri.file(schema) });
    const document = await vscode.workspace.openTextDocument(schema);
    assert.equal(document.getText(), 'select 1;');
    assert.equal(document.isDirty, false);
  });
});
