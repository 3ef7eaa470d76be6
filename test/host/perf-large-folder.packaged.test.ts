import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, repositoryRoot, waitFor } from './support';
import { activeContainer } from './views-fixture';

const VERSIONS = 10_000;

/** Figures a run measured, for the benchmark table; never asserted on (speed is judged by `npm run bench`). */
function report(figures: Record<string, number>): void {
  const folder = path.join(repositoryRoot, 'out', 'test-reports');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'host-perf.json');
  let previous: Record<string, number> = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    // First figures of this run.
  }
  writeFileSync(file, JSON.stringify({ ...previous, ...figures }, null, 2));
  for (const [name, value] of Object.entries(figures)) console.log(`perf: ${name} ${value}`);
}

suite('perf: the extension in the real host', () => {
  let bundleLoadMs: number | undefined;

  test('the packed bundle loads in the extension host (a first module load, as at activation)', () => {
    const bundle = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'extension.js');
    // V8 reuses what it compiled for a source it has seen: a copy with its own last line is compiled afresh, as the
    // bundle was when the extension activated. It sits beside the bundle, where the host serves it the vscode API.
    const copy = path.join(path.dirname(bundle), `extension-first-load-${process.pid}-${Date.now()}.js`);
    writeFileSync(copy, `${readFileSync(bundle, 'utf8')}\n// ${path.basename(copy)}\n`);
    try {
      const started = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the bundle is what is measured
      const fresh = require(copy) as { activate?: unknown };
      bundleLoadMs = performance.now() - started;
      assert.equal(typeof fresh.activate, 'function');
      report({
        'bundle load in the extension host (ms)': Number(bundleLoadMs.toFixed(1)),
        'bundle size (bytes)': statSync(bundle).size,
      });
    } finally {
      delete require.cache[copy];
      rmSync(copy, { force: true });
    }
  });

  test('activation: the time activate() took, and with the bundle load what opening a migrations folder costs', async () => {
    const container = await activeContainer();
    assert.ok(container.activationMs > 0, 'activate() recorded how long it took');
    report({ 'activate() in the extension host (ms)': Number(container.activationMs.toFixed(1)) });
    if (bundleLoadMs !== undefined) {
      report({
        'activation: bundle load + activate() (ms)': Number((bundleLoadMs + container.activationMs).toFixed(1)),
      });
    }
  });

  test(`the tree shows ${VERSIONS.toLocaleString('en')} versions after the folder is picked`, async function () {
    this.timeout(120_000);
    const container = await activeContainer();
    const workspace = vscode.workspace.workspaceFolders![0];
    const relative = 'perf_large/migrations';
    const folder = path.join(workspace.uri.fsPath, relative);
    mkdirSync(folder, { recursive: true });
    for (let version = 1; version <= VERSIONS; version++) {
      const prefix = `${String(version).padStart(6, '0')}_create_table_${version}`;
      writeFileSync(path.join(folder, `${prefix}.up.sql`), `CREATE TABLE table_${version} (id int PRIMARY KEY);\n`);
      writeFileSync(path.join(folder, `${prefix}.down.sql`), `DROP TABLE table_${version};\n`);
    }
    const configuration = vscode.workspace.getConfiguration('migrationLens');
    try {
      await vscode.commands.executeCommand('migrationLens.migrations.focus');
      const started = performance.now();
      // Not awaited first: the editor resolves the update only after writing settings.json, which on a loaded
      // machine comes seconds after the extension has been told and has shown the folder.
      const updated = configuration.update('migrationsPath', relative, vscode.ConfigurationTarget.Workspace);
      const shown = await waitFor(
        `the tree to show ${VERSIONS} versions`,
        () => {
          const versions = container.tree.getChildren().filter((node) => node.kind === 'version').length;
          return Promise.resolve(versions >= VERSIONS ? versions : undefined);
        },
        90_000,
      );
      const treeMs = performance.now() - started;
      await updated;
      assert.equal(shown, VERSIONS);
      report({ 'tree shows 10,000 versions after picking the folder (ms)': Math.round(treeMs) });
    } finally {
      await configuration.update('migrationsPath', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(path.join(workspace.uri.fsPath, 'perf_large'), { recursive: true, force: true });
    }
  });
});
