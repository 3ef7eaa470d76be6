import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionManifest, repositoryRoot } from './support';

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
    assert.ok(readFileSync(bundle, 'utf8').split('\n').length < 10_000, 'the packed bundle is minified');
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
});
