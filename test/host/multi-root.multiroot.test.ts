import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../src/vscode/container';
import type { FolderModel } from '../../src/vscode/folder-model';
import type { MigrationsNode } from '../../src/vscode/views/migrations-tree';
import { activeContainer, createTestDatabase, screenshot, waitFor, type TestDatabase } from './support';
import { acceptingQuickInput } from './support/quick-input';
import { ownDescription } from './views-fixture';

/** The fixture's folders: orders and billing each have migrations (in different places), notes has none. */
const FOLDERS = ['orders', 'billing', 'notes'] as const;
type FolderName = (typeof FOLDERS)[number];

suite('multi-root: every workspace folder with its own migrations and database', () => {
  let container: Container;
  const folders = new Map<FolderName, vscode.WorkspaceFolder>();
  const databases = new Map<'orders' | 'billing', TestDatabase>();

  const folder = (name: FolderName) => folders.get(name)!;
  const model = (name: FolderName): FolderModel => container.model.folderFor(folder(name).uri)!;
  const settings = (name: FolderName) => vscode.workspace.getConfiguration('migrationLens', folder(name).uri);
  const appliedVersion = async (name: 'orders' | 'billing'): Promise<string | undefined> => {
    const [tables] = await databases
      .get(name)!
      .sql.query<{ n: number }[] & import('mysql2').RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'",
      );
    if (tables[0].n === 0) return undefined;
    const [rows] = await databases
      .get(name)!
      .sql.query<import('mysql2').RowDataPacket[]>('SELECT version, dirty FROM schema_migrations');
    return rows.map((row) => `${row.version}${row.dirty ? ' dirty' : ''}`).join();
  };
  const label = (node: MigrationsNode) => {
    const item = container.tree.getTreeItem(node);
    return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  };
  /** What the tree itself says of a version, without the words of drift or verify. */
  const description = (node: MigrationsNode) => {
    const item = container.tree.getTreeItem(node);
    return ownDescription(typeof item.description === 'string' ? item.description : '');
  };
  /** The tree's roots and, under each, its versions with their states. */
  const tree = () =>
    container.tree.getChildren().map((root) => ({
      root: label(root),
      versions: container.tree
        .getChildren(root)
        .filter((node) => node.kind === 'version')
        .map((node) => `${label(node)}: ${description(node)}`),
    }));
  const bothConnected = () =>
    (['orders', 'billing'] as const).every((name) => {
      const database = model(name).database;
      return database.kind === 'connected' && database.redactedUrl === databases.get(name)!.url;
    });

  suiteSetup(async function () {
    this.timeout(120_000);
    container = await activeContainer();
    for (const name of FOLDERS) {
      const found = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name);
      assert.ok(found, `the workspace has the folder ${name}`);
      folders.set(name, found);
    }
    for (const name of ['orders', 'billing'] as const) {
      const db = await createTestDatabase(`multiroot_${name}`);
      databases.set(name, db);
      // The URLs hold no password (the test server's is empty): store it where Configure Database would.
      await container.secrets.store(db.url, '');
      await settings(name).update('databaseUrl', db.url, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
    await waitFor(
      'both folders read, each against its own database',
      async () => {
        await container.model.ready;
        return model('orders').catalog.size === 2 && model('billing').catalog.size === 2 && bothConnected()
          ? true
          : undefined;
      },
      60_000,
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of ['orders', 'billing'] as const) {
      // A failed test may have left the folder out of the workspace; its settings file then stays with the copy.
      const current = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === name);
      if (current) {
        await vscode.workspace
          .getConfiguration('migrationLens', current.uri)
          .update('databaseUrl', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
      await databases.get(name)?.drop();
    }
  });

  test('the tree has one root per folder with migrations, each listing its own versions', async () => {
    assert.equal(
      model('orders').migrationsFolder?.uri.fsPath,
      path.join(folder('orders').uri.fsPath, 'db', 'migrations'),
    );
    assert.equal(
      model('billing').migrationsFolder?.uri.fsPath,
      path.join(folder('billing').uri.fsPath, 'sql', 'migrations'),
    );
    assert.equal(model('notes').hasMigrations, false);
    assert.deepEqual(tree(), [
      { root: 'orders', versions: ['000001 create_orders: pending', '000002 add_total: pending'] },
      { root: 'billing', versions: ['1 create_invoices: pending', '2 add_paid_at: pending · up only'] },
    ]);
    await screenshot('multiroot-tree');
  });

  test("each folder's files get the findings of their own folder, none of the other's", async () => {
    const file = (name: 'orders' | 'billing', fileName: string) =>
      vscode.Uri.joinPath(model(name).migrationsFolder!.uri, fileName);
    const codes = (uri: vscode.Uri) =>
      vscode.languages
        .getDiagnostics(uri)
        .map((diagnostic) => String(diagnostic.code as string))
        .sort();
    // Orders is complete, and its first down drops a table its up never made; billing's second version has no down.
    await waitFor('both folders to be linted', () =>
      Promise.resolve(
        codes(file('orders', '000001_create_orders.down.sql')).includes('destructive-down') &&
          codes(file('billing', '2_add_paid_at.up.sql')).includes('missing-down')
          ? true
          : undefined,
      ),
    );
    assert.deepEqual(codes(file('orders', '000002_add_total.down.sql')), []);
    assert.deepEqual(codes(file('orders', '000002_add_total.up.sql')), []);
    assert.deepEqual(codes(file('billing', '1_create_invoices.down.sql')), []);
    assert.deepEqual(codes(file('billing', '2_add_paid_at.up.sql')), ['missing-down']);
  });

  test("Up in one folder runs against that folder's database only", async () => {
    await vscode.commands.executeCommand('migrationLens.up', { folder: folder('billing').uri });
    assert.equal(await appliedVersion('billing'), '2');
    assert.equal(await appliedVersion('orders'), undefined);
    await waitFor('the billing root to show both versions applied', () =>
      Promise.resolve(tree()[1]?.versions.every((version) => /: (applied|current)/.test(version)) ? true : undefined),
    );
    assert.deepEqual(tree()[0].versions, ['000001 create_orders: pending', '000002 add_total: pending']);
  });

  test('the status bar follows the folder of the active editor', async () => {
    const shows = (name: FolderName, text: RegExp) => {
      const view = container.statusBar.view;
      return view.tooltip.includes(`· ${name}\n`) && text.test(view.text) ? true : undefined;
    };
    await vscode.window.showTextDocument(
      vscode.Uri.joinPath(model('billing').migrationsFolder!.uri, '1_create_invoices.up.sql'),
    );
    await waitFor('the status bar to show billing at version 2, nothing pending', () =>
      Promise.resolve(shows('billing', /^\$\(database\) v2$/)),
    );
    await vscode.window.showTextDocument(
      vscode.Uri.joinPath(model('orders').migrationsFolder!.uri, '000001_create_orders.up.sql'),
    );
    await waitFor('the status bar to show orders with two pending', () =>
      Promise.resolve(shows('orders', /2 pending$/)),
    );
  });

  test("from the palette, a command asks which folder instead of taking the active editor's", async () => {
    // Billing is at its last version, so were the command to take the active editor's folder it would do nothing;
    // the first answer of the question is orders, the first folder with migrations in workspace order.
    await vscode.window.showTextDocument(
      vscode.Uri.joinPath(model('billing').migrationsFolder!.uri, '1_create_invoices.up.sql'),
    );
    await acceptingQuickInput(vscode.commands.executeCommand('migrationLens.up'));
    assert.equal(await appliedVersion('orders'), '2');
    assert.equal(await appliedVersion('billing'), '2');
  });

  test("a run names the unsaved files of its own folder only, not another folder's file of the same name", async () => {
    const log = () => readFileSync(path.join(container.context.logUri.fsPath, 'Migration Lens.log'), 'utf8');
    const unsavedWarnings = () => log().match(/unsaved changes in the editor; the saved files run/g)?.length ?? 0;
    /** Down in orders: the modal this VS Code refuses to show in tests is the question, so nothing runs. */
    const downInOrders = () =>
      assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('migrationLens.down', { folder: folder('orders').uri })),
        /Roll back 1 migration/,
      );
    const before = unsavedWarnings();
    // Two services often start their numbering alike: billing's editor holds a file named as orders' next down.
    const sameName = vscode.Uri.joinPath(model('billing').migrationsFolder!.uri, '000002_add_total.down.sql');
    await vscode.window.showTextDocument(
      await vscode.workspace.openTextDocument(sameName.with({ scheme: 'untitled' })).then(async (document) => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(document.uri, new vscode.Position(0, 0), 'SELECT 1;\n');
        assert.ok(await vscode.workspace.applyEdit(edit));
        return document;
      }),
    );
    await downInOrders();
    assert.equal(unsavedWarnings(), before, "billing's unsaved file is not orders' down");
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const ordersDown = vscode.Uri.joinPath(model('orders').migrationsFolder!.uri, '000002_add_total.down.sql');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(ordersDown, new vscode.Position(0, 0), '-- not saved\n');
    await vscode.window.showTextDocument(ordersDown);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await downInOrders();
    assert.match(log(), /000002_add_total\.down\.sql: unsaved changes in the editor; the saved files run/);
    assert.equal(unsavedWarnings(), before + 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(await appliedVersion('orders'), '2', 'nothing ran');
  });

  test('a folder removed from the workspace leaves the tree, and comes back when added again', async function () {
    this.timeout(60_000);
    const billing = folder('billing');
    assert.ok(vscode.workspace.updateWorkspaceFolders(billing.index, 1));
    await waitFor('the tree to show orders alone, without a root', () =>
      Promise.resolve(
        container.model.folders.map((candidate) => candidate.folder.name).join() === 'orders,notes' &&
          container.tree.getChildren().every((node) => node.kind !== 'folder')
          ? true
          : undefined,
      ),
    );
    assert.deepEqual(
      container.tree
        .getChildren()
        .filter((node) => node.kind === 'version')
        .map((node) => label(node)),
      ['000001 create_orders', '000002 add_total'],
    );
    assert.ok(vscode.workspace.updateWorkspaceFolders(1, 0, { uri: billing.uri, name: 'billing' }));
    await waitFor(
      'billing to be back as a root, read against its database again',
      async () => {
        const added = vscode.workspace.workspaceFolders?.find((candidate) => candidate.name === 'billing');
        if (!added) return undefined;
        folders.set('billing', added);
        await container.model.ready;
        return tree()
          .map(({ root }) => root)
          .join() === 'orders,billing' && bothConnected()
          ? true
          : undefined;
      },
      30_000,
    );
  });
});
