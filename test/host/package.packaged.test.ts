import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { createTestDatabase, EXTENSION_ID, extensionManifest, repositoryRoot } from './support';
import { openViewsFixture } from './views-fixture';

/** Every string value of the manifest under `contributes` or `main` that names a file of the package. */
function filesNamedBy(value: unknown, key = ''): string[] {
  if (typeof value === 'string')
    return ['icon', 'path', 'main'].includes(key) && !value.startsWith('$(') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => filesNamedBy(item, key));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([name, item]) => filesNamedBy(item, name));
  return [];
}

suite('packaged: the extension as the .vsix installs it', () => {
  const extension = () => vscode.extensions.getExtension(EXTENSION_ID)!;

  test('is loaded from the unpacked .vsix, with the manifest of the repository', () => {
    assert.notEqual(path.resolve(extension().extensionPath), repositoryRoot);
    const packed = extension().packageJSON as { version: string; contributes: unknown };
    assert.equal(packed.version, extensionManifest().version);
    assert.deepEqual(packed.contributes, extensionManifest().contributes);
  });

  test('holds every file its manifest names: the bundle, the icons, the grammar', () => {
    const named = filesNamedBy({
      main: extension().packageJSON.main,
      contributes: extension().packageJSON.contributes,
    });
    assert.ok(named.length >= 3, `the manifest names ${named.join(', ')}`);
    assert.deepEqual(
      named.filter((file) => !existsSync(path.join(extension().extensionPath, file))),
      [],
    );
  });

  test('activates from the minified bundle, without its source map, and registers every contributed command', async () => {
    const bundle = path.join(extension().extensionPath, 'dist', 'extension.js');
    assert.equal(existsSync(`${bundle}.map`), false, 'no source map is packed');
    // An unminified esbuild bundle names each source file in a comment before its code.
    assert.doesNotMatch(readFileSync(bundle, 'utf8'), /^\/\/ src\//m, 'the packed bundle is minified');
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extensionManifest().contributes?.commands ?? []).map(({ command }) => command);
    assert.deepEqual(
      contributed.filter((command) => !registered.has(command)),
      [],
    );
  });

  test('its README shows pictures the package holds', () => {
    // vsce stores the README as readme.md.
    const readme = readFileSync(path.join(extension().extensionPath, 'readme.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
    assert.ok(pictures.length > 0, 'the README shows pictures');
    assert.deepEqual(
      pictures.filter((picture) => !existsSync(path.join(extension().extensionPath, picture))),
      [],
    );
  });

  test('connects through the packed mysql2 and formats through the packed sql-formatter, both loaded on first use', async function () {
    this.timeout(90_000);
    const vendor = path.join(extension().extensionPath, 'dist', 'vendor');
    assert.ok(existsSync(path.join(vendor, 'mysql2.js')) && existsSync(path.join(vendor, 'sql-formatter.js')));
    const fixture = await openViewsFixture('packaged');
    try {
      const database = fixture.model.database;
      assert.equal(database.kind === 'connected' && database.version?.version, 2n);
      const file = fixture.uri('000007_packaged_format.up.sql');
      writeFileSync(
        file.fsPath,
        'create table users (id bigint not null primary key, email varchar(255)) engine=InnoDB;',
      );
      const document = await vscode.workspace.openTextDocument(file);
      await vscode.commands.executeCommand('migrationLens.formatMigration', { uri: file });
      assert.match(document.getText(), /^create table users \(\n\s+id bigint not null primary key,\n/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await fixture.dispose();
    }
  });

  test('the packed Go reader: its vendor file and both WebAssembly files, loaded by the command line’s models', async function () {
    this.timeout(60_000);
    const vendor = path.join(extension().extensionPath, 'dist', 'vendor');
    for (const file of ['go-syntax.js', 'web-tree-sitter.wasm', 'tree-sitter-go.wasm']) {
      assert.ok(existsSync(path.join(vendor, file)), `${file} is packed`);
    }
    const sandbox = path.join(repositoryRoot, 'sandbox');
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const db = await createTestDatabase('packaged_models');
    try {
      const migrations = path.join(sandbox, 'db', 'migrations');
      const run = (...args: string[]) =>
        promisify(execFile)(process.execPath, [cli, '-path', migrations, '-database', db.url, ...args], {
          cwd: sandbox,
          encoding: 'utf8',
        });
      await run('up');
      const models = await run('models', '--json');
      const report = JSON.parse(models.stdout) as { ok: boolean; models: { name: string; table: string }[] };
      assert.deepEqual(
        report.models.map((model) => [model.name, model.table]),
        [['User', 'users']],
      );
      assert.equal(report.ok, true, models.stdout);
    } finally {
      await db.drop();
    }
  });

  test('the packed command line runs: lint needs no vendor file, up loads the packed mysql2', async function () {
    this.timeout(60_000);
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const folder = path.join(repositoryRoot, 'test', 'host', 'fixtures', 'workspace', 'db', 'migrations');
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [cli, ...args], { encoding: 'utf8' });
    // The views fixture has problems of every kind; its empty file is an error, so lint exits 1.
    const problems = path.join(repositoryRoot, 'test', 'host', 'fixtures', 'views-migrations');
    const lint = await run('-path', problems, 'lint', '--json').catch(
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal('code' in lint ? lint.code : 0, 1);
    const findings = JSON.parse(lint.stdout) as { rule: string }[];
    assert.deepEqual([...new Set(findings.map((finding) => finding.rule))].sort(), [
      'destructive-down',
      'empty-file',
      'ignored-file',
      'missing-down',
      'numbering-gap',
    ]);
    const db = await createTestDatabase('packaged_cli');
    try {
      await run('-path', folder, '-database', db.url, 'up');
      const version = await run('-path', folder, '-database', db.url, 'version');
      assert.match(version.stdout + version.stderr, /^\d+\n$/);
    } finally {
      await db.drop();
    }
  });
});
