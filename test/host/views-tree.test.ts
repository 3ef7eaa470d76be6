import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MigrationsNode } from '../../src/vscode/views/migrations-tree';
import { screenshot, waitFor } from './support';
import { openViewsFixture, ownDescription, type ViewsFixture } from './views-fixture';

/** What a test compares of a tree item. */
interface Shown {
  label: string;
  description: string;
  contextValue: string;
  icon: string;
}

function shown(fixture: ViewsFixture, node: MigrationsNode): Shown {
  const item = fixture.container.tree.getTreeItem(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const description = typeof item.description === 'string' ? item.description : '';
  return {
    label,
    description: node.kind === 'version' ? ownDescription(description) : description,
    contextValue: item.contextValue ?? '',
    icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '',
  };
}

function roots(fixture: ViewsFixture): Shown[] {
  return fixture.container.tree.getChildren().map((node) => shown(fixture, node));
}

function childrenOf(fixture: ViewsFixture, label: string): Shown[] {
  const node = fixture.container.tree.getChildren().find((candidate) => shown(fixture, candidate).label === label);
  assert.ok(node, `no tree node ${label}`);
  return fixture.container.tree.getChildren(node).map((child) => shown(fixture, child));
}

/** Shows a version's node, expanded: resolves once the view has fetched the current tree. */
async function revealVersion(fixture: ViewsFixture, version: bigint): Promise<void> {
  const node = fixture.container.tree
    .getChildren()
    .find((candidate) => candidate.kind === 'version' && candidate.status.version === version);
  assert.ok(node, `no node for version ${version}`);
  await fixture.container.treeView.reveal(node, { select: false, focus: false, expand: true });
}

suite('views: the Migrations tree and the status bar', () => {
  let fixture: ViewsFixture;

  suiteSetup(async () => {
    fixture = await openViewsFixture('views_tree');
  });

  suiteTeardown(async () => {
    await fixture?.dispose();
  });

  test('one node per version in numeric order, with the state of each', () => {
    assert.deepEqual(roots(fixture), [
      {
        label: 'Database',
        description: 'v2',
        contextValue: 'migrationDatabase state=connected',
        icon: 'database',
      },
      {
        label: '000001 create_users',
        description: 'applied',
        contextValue: 'migrationVersion state=applied canRollBack hasUp hasDown',
        icon: 'pass-filled',
      },
      {
        label: '000002 add_email',
        description: 'current',
        contextValue: 'migrationVersion state=current hasUp hasDown',
        icon: 'debug-stackframe',
      },
      {
        label: '000004 index_email',
        description: 'pending · up only',
        contextValue: 'migrationVersion state=pending canApply hasUp',
        icon: 'circle-large-outline',
      },
      {
        label: '000005 empty',
        description: 'pending',
        contextValue: 'migrationVersion state=pending canApply hasUp hasDown',
        icon: 'circle-large-outline',
      },
      {
        label: 'Ignored by golang-migrate',
        description: '2 files',
        contextValue: 'migrationIgnoredGroup',
        icon: 'eye-closed',
      },
    ]);
  });

  test('a version lists its up and down files, which open on click', () => {
    const files = childrenOf(fixture, '000001 create_users');
    assert.deepEqual(
      files.map(({ label, description }) => [label, description]),
      [
        ['000001_create_users.down.sql', 'down'],
        ['000001_create_users.up.sql', 'up'],
      ],
    );
    const node = fixture.container.tree.getChildren().find((n) => n.kind === 'version')!;
    const file = fixture.container.tree.getTreeItem(fixture.container.tree.getChildren(node)[0]);
    assert.equal(file.command?.command, 'vscode.open');
    assert.equal(
      (file.command?.arguments?.[0] as vscode.Uri).fsPath,
      fixture.uri('000001_create_users.down.sql').fsPath,
    );
  });

  test('the ignored group lists the names golang-migrate skips, saying why', () => {
    const group = fixture.container.tree.getChildren().find((node) => node.kind === 'ignored')!;
    const items = fixture.container.tree.getChildren(group).map((node) => fixture.container.tree.getTreeItem(node));
    assert.deepEqual(
      items.map((item) => item.label),
      ['6_orders.UP.sql', 'README.md'],
    );
    const tooltip = items[0].tooltip;
    assert.ok(typeof tooltip === 'string');
    assert.match(tooltip, /not followed by "_"|lower case/);
  });

  test('the status bar shows the version and the pending count', () => {
    assert.equal(fixture.container.statusBar.view.text, '$(database) v2 · 2 pending');
    assert.equal(fixture.container.statusBar.view.warning, false);
    assert.equal(fixture.container.statusBar.view.command, 'migrationLens.migrations.focus');
  });

  test('a dirty database: the failed version, a warning status bar that opens force', async () => {
    await fixture.setVersion(4, true);
    await fixture.model.refreshDatabase();
    const dirty = roots(fixture).find((node) => node.label === '000004 index_email');
    assert.deepEqual(dirty, {
      label: '000004 index_email',
      description: 'dirty · up only',
      contextValue: 'migrationVersion state=dirty hasUp',
      icon: 'error',
    });
    const { text, warning, command } = fixture.container.statusBar.view;
    assert.deepEqual({ text, warning }, { text: '$(warning) v4 dirty', warning: true });
    // The click leads to the repair flow: Force Version, or the recovery feature's guided version of it.
    assert.ok(['migrationLens.force', 'migrationLens.recover'].includes(command), command);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await revealVersion(fixture, 4n);
    await screenshot('status-bar-dirty');
    await fixture.setVersion(2, false);
    await fixture.model.refreshDatabase();
  });

  test('a database version with no file on disk gets a row of its own', async () => {
    await fixture.setVersion(3, false);
    await fixture.model.refreshDatabase();
    const missing = roots(fixture).find((node) => node.label === '3');
    assert.deepEqual(missing, {
      label: '3',
      description: 'missing on disk',
      contextValue: 'migrationVersion state=missing-on-disk',
      icon: 'question',
    });
    await fixture.setVersion(2, false);
    await fixture.model.refreshDatabase();
  });

  test('an unreachable database: the disconnect icon, and the tooltip says why', async () => {
    await fixture.db.sql.query('DROP TABLE `schema_migrations`');
    await fixture.model.refreshDatabase();
    assert.equal(fixture.container.statusBar.view.text, '$(database) no version · 4 pending');
    const configuration = vscode.workspace.getConfiguration('migrationLens');
    const unreachable = 'mysql://root@tcp(127.0.0.1:1)/nowhere';
    await fixture.container.secrets.store(unreachable, '');
    await configuration.update('databaseUrl', unreachable, vscode.ConfigurationTarget.Workspace);
    await waitFor('the unreachable state', () =>
      Promise.resolve(fixture.model.database.kind === 'unreachable' ? true : undefined),
    );
    assert.equal(fixture.container.statusBar.view.text, '$(debug-disconnect) no database');
    assert.match(fixture.container.statusBar.view.tooltip, /connection refused/);
    await configuration.update('databaseUrl', fixture.db.url, vscode.ConfigurationTarget.Workspace);
    await fixture.db.sql.query(
      'CREATE TABLE `schema_migrations` (version bigint not null primary key, dirty boolean not null)',
    );
    await fixture.setVersion(2, false);
    await waitFor('the database back', () =>
      Promise.resolve(fixture.model.database.kind === 'connected' ? true : undefined),
    );
  });

  test('screenshot: the tree with its states', async () => {
    await fixture.setVersion(4, true);
    await fixture.model.refreshDatabase();
    await revealVersion(fixture, 4n);
    await screenshot('tree-states');
    await fixture.setVersion(2, false);
    await fixture.model.refreshDatabase();
  });
});
