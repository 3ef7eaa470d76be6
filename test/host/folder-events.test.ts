import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './support';
import { openViewsFixture, type ViewsFixture } from './views-fixture';

suite('folder model: file operations made in the editor', () => {
  let fixture: ViewsFixture;

  suiteSetup(async () => {
    fixture = await openViewsFixture('folder_events');
  });

  suiteTeardown(async () => {
    await fixture?.dispose();
  });

  test('files created together by one edit all arrive, and none drops out of the catalog meanwhile', async () => {
    const names = ['000009_pair.up.sql', '000009_pair.down.sql', '000010_single.up.sql'];
    const present = () =>
      names.filter((name) =>
        fixture.model.catalog.filesOf(name.startsWith('000009') ? 9n : 10n).some((file) => file.fileName === name),
      );
    // The editor reports the files of one edit together and the model handles them at once: each published catalog
    // must keep the files added before it.
    const seen: string[][] = [];
    const listener = fixture.model.onDidChange(({ files }) => {
      if (files) seen.push(present());
    });
    try {
      const edit = new vscode.WorkspaceEdit();
      for (const name of names) {
        edit.createFile(fixture.uri(name), { contents: new TextEncoder().encode('SELECT 1;\n') });
      }
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      await waitFor('the three new files in the catalog', () =>
        Promise.resolve(present().length === names.length ? true : undefined),
      );
    } finally {
      listener.dispose();
    }
    for (const [index, files] of seen.entries()) {
      const before = seen[index - 1] ?? [];
      assert.ok(
        before.every((name) => files.includes(name)),
        `a change published ${JSON.stringify(files)} after ${JSON.stringify(before)}`,
      );
    }
  });
});
