#!/usr/bin/env node
// Packs the .vsix from a staging folder holding the manifest, its assets and freshly built production bundles, so
// packing never replaces the development build in dist/. `npm run package` writes the .vsix beside package.json; the
// host tests' packaged run passes `--out <file>` and installs what this produced, so what ships is what they test.
// The README's pictures are packed with it and its relative links kept: VS Code shows an installed extension's README
// from the extension's own folder, where they resolve.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : root;
/** What .vscodeignore lets into the package, besides the bundles built into the staging folder. */
const PACKAGED = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'media',
  'syntaxes',
  'schemas',
  'docs/screenshots',
];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

const staging = mkdtempSync(path.join(os.tmpdir(), 'ml-package-'));
try {
  for (const entry of PACKAGED) {
    if (existsSync(path.join(root, entry)))
      cpSync(path.join(root, entry), path.join(staging, entry), { recursive: true });
  }
  // `files` says what the npm package holds (the command line); vsce refuses it beside .vscodeignore, which is ours.
  const manifest = JSON.parse(readFileSync(path.join(staging, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, undefined, 2)}\n`);
  run(
    process.execPath,
    [path.join(root, 'scripts', 'build.mjs'), '--production', '--outdir', path.join(staging, 'dist')],
    root,
  );
  run(
    path.join(root, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
    staging,
  );
} catch (error) {
  console.error(`package: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
}
