import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeContainer, EXTENSION_ID, extensionManifest, screenshot } from './support';

suite('smoke: the extension in a real VS Code', () => {
  test('activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('registers every command contributed in package.json', async () => {
    await activeContainer();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extensionManifest().contributes?.commands ?? []).map(({ command }) => command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
  });

  test('runs in the trusted fixture workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
    const migrations = await vscode.workspace.findFiles('db/migrations/*.sql');
    assert.ok(migrations.length > 0, 'the fixture workspace has migrations');
    await screenshot('smoke-workbench');
  });
});
