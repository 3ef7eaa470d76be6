import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import * as vscode from 'vscode';
import { DatabaseUnavailableError } from '../../src/vscode/database-target';
import { activeContainer, screenshot, waitFor } from './support';

/** A TCP listener standing in for a database server: it only counts who tries to connect. */
async function listen(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port, connections: () => connections };
}

suite('trust: an untrusted workspace shows its files and never connects', () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  let workspace: vscode.Uri;

  suiteSetup(async () => {
    listener = await listen();
    workspace = vscode.workspace.workspaceFolders![0].uri;
    const url = `mysql://root:secret@tcp(127.0.0.1:${listener.port})/app`;
    // Both places a database can come from: the project's .env and the user's own settings (which are trusted).
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(workspace, '.env'),
      new TextEncoder().encode(`DATABASE_URL=${url}\n`),
    );
    await vscode.workspace
      .getConfiguration('migrationLens')
      .update('databaseUrl', url.replace(':secret', ''), vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('migrationLens')
      .update('databaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await new Promise((resolve) => listener?.server.close(resolve));
  });

  test('the tree, the status bar and the diagnostics work from the files', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const container = await activeContainer();
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(workspace, 'db', 'migrations', '000003_empty.up.sql'),
      new Uint8Array(),
    );
    // Refresh reads the folder again: the point here is Restricted Mode, not whether the file watcher reports in time.
    await vscode.commands.executeCommand('migrationLens.refresh');
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
    const model = container.model.folders[0];
    await waitFor(
      'three versions read from the files',
      () => Promise.resolve(model.catalog.size === 3 && model.database.kind === 'untrusted' ? true : undefined),
      // The first search of a fresh window waits for the workbench's search provider.
      30_000,
    );
    const tree = container.tree;
    const versions = tree.getChildren().filter((node) => node.kind === 'version');
    assert.deepEqual(
      versions.map((node) => tree.getTreeItem(node).contextValue),
      [
        'migrationVersion state=unknown canApply canRollBack hasUp hasDown',
        'migrationVersion state=unknown canApply canRollBack hasUp hasDown',
        'migrationVersion state=unknown canApply canRollBack hasUp',
      ],
    );
    const database = tree.getTreeItem(tree.getChildren()[0]);
    assert.equal(database.description, 'Restricted Mode');
    assert.equal(container.statusBar.view.text, '$(database) 3 migrations');
    const empty = vscode.Uri.joinPath(workspace, 'db', 'migrations', '000003_empty.up.sql');
    await waitFor('diagnostics on the empty file', () =>
      Promise.resolve(vscode.languages.getDiagnostics(empty).some((d) => d.code === 'empty-file') ? true : undefined),
    );
    await screenshot('untrusted-tree');
  });

  test('database commands refuse with the reason, and nothing connects', async () => {
    const container = await activeContainer();
    const model = container.model.folders[0];
    await assert.rejects(model.resolveDatabaseForCommand(), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as DatabaseUnavailableError).reason, 'untrusted');
      assert.match(error.message, /not trusted/);
      return true;
    });
    for (const command of ['migrationLens.refresh', 'migrationLens.showVersion', 'migrationLens.up']) {
      await Promise.resolve(vscode.commands.executeCommand(command, { confirm: false })).catch(() => undefined);
    }
    await model.refreshDatabase();
    assert.equal(model.database.kind, 'untrusted');
    assert.equal(container.connectionCount, 0);
    assert.equal(listener.connections(), 0);
  });
});
