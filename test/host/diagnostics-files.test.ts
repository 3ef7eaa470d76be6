import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { screenshot, waitFor } from './support';
import { openViewsFixture, ownDescription, type ViewsFixture } from './views-fixture';

/** Bound for the model to follow a change made in the editor (applied directly, without the file watcher). */
const CHANGE_TIMEOUT_MS = 30_000;
/** File events reach the extension host through the server's watcher, which is slow when the machine is busy. */
const WATCHER_TIMEOUT_MS = 90_000;

const SEVERITY_NAMES = ['error', 'warning', 'info', 'hint'];

/** Our diagnostics on a file as `rule:severity@line`, sorted. */
function problemsOn(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'Migration Lens')
    .map(
      (d) =>
        `${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}:${SEVERITY_NAMES[d.severity]}@${d.range.start.line + 1}`,
    )
    .sort();
}

async function waitForProblems(uri: vscode.Uri, expected: string[]): Promise<void> {
  const wanted = JSON.stringify([...expected].sort());
  await waitFor(
    `diagnostics ${wanted} on ${uri.path}`,
    () => Promise.resolve(JSON.stringify(problemsOn(uri)) === wanted ? true : undefined),
    CHANGE_TIMEOUT_MS,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; they are ${JSON.stringify(problemsOn(uri))}`);
  });
}

function versionLabels(fixture: ViewsFixture): string[] {
  const tree = fixture.container.tree;
  return tree
    .getChildren()
    .filter((node) => node.kind === 'version')
    .map((node) => {
      const item = tree.getTreeItem(node);
      return `${typeof item.label === 'string' ? item.label : item.label?.label} (${ownDescription(String(item.description))})`;
    });
}

async function waitForVersions(fixture: ViewsFixture, expected: string[]): Promise<void> {
  await waitFor(
    `versions ${expected.join(', ')}`,
    () => Promise.resolve(JSON.stringify(versionLabels(fixture)) === JSON.stringify(expected) ? true : undefined),
    CHANGE_TIMEOUT_MS,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; the tree shows ${JSON.stringify(versionLabels(fixture))}`);
  });
}

suite('diagnostics: lint problems on migration files, kept current as files change', () => {
  let fixture: ViewsFixture;
  /** A watcher on the same folder, created with the model's, tells a dropped event from a broken extension. */
  let control: vscode.FileSystemWatcher;
  let controlSaw = false;

  suiteSetup(async () => {
    fixture = await openViewsFixture('diagnostics_files');
    control = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fixture.uri('.'), '*'));
    control.onDidCreate((uri) => {
      if (uri.path.endsWith('/000008_external.up.sql')) controlSaw = true;
    });
  });

  suiteTeardown(async () => {
    control?.dispose();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fixture?.dispose();
  });

  test('each file gets the problems of the shared lint rules, and a directive silences one', async () => {
    await waitForProblems(fixture.uri('000005_empty.up.sql'), ['empty-file:error@1']);
    await waitForProblems(fixture.uri('000004_index_email.up.sql'), ['missing-down:warning@1', 'numbering-gap:info@1']);
    // The down drops its up's table, which only undoes the up, and a table the up never made, which loses data.
    await waitForProblems(fixture.uri('000001_create_users.down.sql'), ['destructive-down:info@2']);
    await waitForProblems(fixture.uri('6_orders.UP.sql'), ['ignored-file:warning@1']);
    // The same loss as in 000001's down, silenced by its "-- migration-lens:ignore destructive-down" line.
    assert.deepEqual(problemsOn(fixture.uri('000002_add_email.down.sql')), []);
    assert.deepEqual(problemsOn(fixture.uri('000001_create_users.up.sql')), []);
    assert.deepEqual(problemsOn(fixture.uri('README.md')), []);
    await vscode.window.showTextDocument(fixture.uri('000002_add_email.down.sql'));
    await screenshot('directive-comment');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a new file appears in the tree with its problems; its pair clears them', async () => {
    const up = fixture.uri('000006_orders.up.sql');
    const create = new vscode.WorkspaceEdit();
    create.createFile(up, { contents: new TextEncoder().encode('CREATE TABLE orders (id BIGINT);\n') });
    assert.equal(await vscode.workspace.applyEdit(create), true);
    await waitForVersions(fixture, [
      '000001 create_users (applied)',
      '000002 add_email (current)',
      '000004 index_email (pending · up only)',
      '000005 empty (pending)',
      '000006 orders (pending · up only)',
    ]);
    await waitForProblems(up, ['missing-down:warning@1']);

    await vscode.workspace.openTextDocument(up);
    const [fix] = (
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        up,
        new vscode.Range(0, 0, 0, 1),
      )) ?? []
    ).filter((action) => action.title === 'Create 000006_orders.down.sql');
    assert.ok(fix?.edit, 'a quick fix creates the missing down file');
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    await waitForProblems(up, []);
    await waitForVersions(fixture, [
      '000001 create_users (applied)',
      '000002 add_email (current)',
      '000004 index_email (pending · up only)',
      '000005 empty (pending)',
      '000006 orders (pending)',
    ]);
  });

  test('a deleted file leaves the tree and takes its diagnostics along', async () => {
    const up = fixture.uri('000004_index_email.up.sql');
    const remove = new vscode.WorkspaceEdit();
    remove.deleteFile(up);
    assert.equal(await vscode.workspace.applyEdit(remove), true);
    await waitForVersions(fixture, [
      '000001 create_users (applied)',
      '000002 add_email (current)',
      '000005 empty (pending)',
      '000006 orders (pending)',
    ]);
    await waitForProblems(up, []);
    await waitForProblems(fixture.uri('000005_empty.up.sql'), ['empty-file:error@1', 'numbering-gap:info@1']);
  });

  test('a renamed file moves from the ignored group to the versions', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(fixture.uri('6_orders.UP.sql'), fixture.uri('000007_orders_fix.up.sql'));
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await waitForVersions(fixture, [
      '000001 create_users (applied)',
      '000002 add_email (current)',
      '000005 empty (pending)',
      '000006 orders (pending)',
      '000007 orders_fix (pending · up only)',
    ]);
    assert.deepEqual(fixture.model.catalog.ignored, ['README.md']);
    await waitForProblems(fixture.uri('6_orders.UP.sql'), []);
    await waitForProblems(fixture.uri('000007_orders_fix.up.sql'), ['missing-down:warning@1']);
  });

  // The one test of the watcher path itself; the others make their changes in the editor, which the model applies
  // directly. A loaded server reports late, hence the generous bound.
  test('a file written by another program (a checkout, a terminal) arrives through the watcher', async function () {
    this.timeout(WATCHER_TIMEOUT_MS + 2 * CHANGE_TIMEOUT_MS);
    const up = fixture.uri('000008_external.up.sql');
    try {
      writeFileSync(up.fsPath, 'CREATE TABLE external (id BIGINT);\n');
      const seen = await waitFor(
        'the watcher to report 000008_external.up.sql',
        () => Promise.resolve(fixture.model.catalog.has(8n) ? true : undefined),
        WATCHER_TIMEOUT_MS,
      ).then(
        () => true,
        (error: Error) => {
          if (controlSaw) throw error;
          return false;
        },
      );
      // Not even the control watcher, as old as the model's, saw the file: this VS Code dropped the event.
      if (!seen) this.skip();
      await waitForProblems(up, ['missing-down:warning@1']);
    } finally {
      rmSync(up.fsPath, { force: true });
    }
  });

  test('unsaved edits count: filling the empty file clears its error, a DELIMITER line is reported, emptying it again', async () => {
    const uri = fixture.uri('000005_empty.up.sql');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), 'SELECT 1;\n'));
    await waitForProblems(uri, ['numbering-gap:info@1']);
    await editor.edit((builder) =>
      builder.insert(
        new vscode.Position(1, 0),
        'DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW BEGIN END$$\n',
      ),
    );
    await waitForProblems(uri, ['delimiter:error@2', 'numbering-gap:info@1']);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('diagnostics-open-file');
    const editorAgain = await vscode.window.showTextDocument(uri);
    const whole = new vscode.Range(
      new vscode.Position(0, 0),
      editorAgain.document.lineAt(editorAgain.document.lineCount - 1).range.end,
    );
    await editorAgain.edit((builder) => builder.delete(whole));
    await waitForProblems(uri, ['empty-file:error@1', 'numbering-gap:info@1']);
  });
});
