import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeContainer, screenshot, waitFor } from './support';

suite('views: a workspace folder without migrations', () => {
  const configuration = () => vscode.workspace.getConfiguration('migrationLens');

  suiteTeardown(async () => {
    await configuration().update('migrationsPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('an empty tree with the welcome view, and no status bar item', async () => {
    const container = await activeContainer();
    await configuration().update('migrationsPath', 'no_such/migrations', vscode.ConfigurationTarget.Workspace);
    const model = container.model.folders[0];
    await waitFor(
      'the configured folder, which does not exist',
      () =>
        Promise.resolve(
          model.migrationsFolder?.uri.path.endsWith('/no_such/migrations') && !model.hasMigrations ? true : undefined,
        ),
      30_000,
    );
    assert.deepEqual(container.tree.getChildren(), []);
    assert.equal(container.statusBar.view.visible, false);
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
    await screenshot('welcome-no-migrations');
  });
});
