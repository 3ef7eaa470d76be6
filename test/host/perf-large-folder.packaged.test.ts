import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activeContainer, EXTENSION_ID, repositoryRoot, waitFor } from './support';
import type { Container } from '../../src/vscode/container';

const VERSIONS = 10_000;
const REPEATS = 5;

const median = (samples: number[]) => samples.slice().sort((a, b) => a - b)[Math.floor(samples.length / 2)];

const packedBundle = () =>
  path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'extension.js');

/**
 * Loads the packed bundle as at the extension's first activation. V8 reuses what it compiled for a source it has
 * seen: a copy with its own last line is compiled afresh. It sits beside the bundle, where the host serves it the
 * vscode API, and is deleted once loaded.
 */
function loadBundleAfresh(label: string): {
  bundle: { activate(context: vscode.ExtensionContext): Container };
  loadMs: number;
} {
  const original = packedBundle();
  const copy = path.join(path.dirname(original), `extension-${label}-${process.pid}.js`);
  writeFileSync(copy, `${readFileSync(original, 'utf8')}\n// ${path.basename(copy)}\n`);
  try {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the bundle is what is measured
    const bundle = require(copy) as { activate(context: vscode.ExtensionContext): Container };
    const loadMs = performance.now() - started;
    assert.equal(typeof bundle.activate, 'function');
    return { bundle, loadMs };
  } finally {
    delete require.cache[copy];
    rmSync(copy, { force: true });
  }
}

const reportFile = path.join(repositoryRoot, 'out', 'test-reports', 'host-perf.json');

/** Figures a run measured, for the benchmark table; never asserted on (speed is judged by `npm run bench`). */
function report(figures: Record<string, number>): void {
  const file = reportFile;
  mkdirSync(path.dirname(file), { recursive: true });
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

  // The report holds this run's figures only, not those of an earlier run left in out/.
  suiteSetup(() => rmSync(reportFile, { force: true }));

  test('the packed bundle loads in the extension host (first module loads, as at activation)', () => {
    const samples: number[] = [];
    for (let run = 0; run < REPEATS; run++) samples.push(loadBundleAfresh(`load-${run}`).loadMs);
    bundleLoadMs = median(samples);
    report({
      'bundle load in the extension host, median of 5 (ms)': Number(bundleLoadMs.toFixed(1)),
      'bundle size (bytes)': statSync(packedBundle()).size,
    });
  });

  test('activate() as the workbench started, when it competes with the whole window loading', async () => {
    const container = await activeContainer();
    assert.ok(container.activationMs > 0, 'activate() recorded how long it took');
    report({ 'activate() during workbench start-up (ms)': Number(container.activationMs.toFixed(1)) });
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
      const updated = Promise.resolve(
        configuration.update('migrationsPath', relative, vscode.ConfigurationTarget.Workspace),
      );
      // Awaited below; should the wait fail first, its rejection must not go unhandled.
      updated.catch(() => undefined);
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

  // Last: it replaces the live extension with fresh copies of the packed bundle. The workbench logs once per copy that
  // a tree view's store was already disposed: it does not expect an extension to activate twice in one window.
  test('activate() of the packed bundle at rest: the live extension disposed, fresh copies activated in turn', async () => {
    const live = await activeContainer();
    live.dispose();
    const samples: number[] = [];
    for (let run = 0; run < REPEATS; run++) {
      const { bundle } = loadBundleAfresh(`activate-${run}`);
      // The real context, with subscriptions of the copy's own.
      const context = Object.create(live.context, { subscriptions: { value: [] } }) as vscode.ExtensionContext;
      const started = performance.now();
      const container = bundle.activate(context);
      samples.push(performance.now() - started);
      container.dispose();
    }
    const activateMs = median(samples);
    report({ 'activate() of the packed bundle at rest, median of 5 (ms)': Number(activateMs.toFixed(1)) });
    if (bundleLoadMs !== undefined) {
      report({ 'activation: bundle load + activate(), medians (ms)': Number((bundleLoadMs + activateMs).toFixed(1)) });
    }
  });
});
