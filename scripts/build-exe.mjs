#!/usr/bin/env node
// Builds the command line as one executable that needs no Node on the machine: out/exe/migration-lens (linux-x64).
// Node's single executable applications: the command line bundled into one file (vendor code included), turned into a
// preparation blob by `node --experimental-sea-config`, injected with postject into a copy of the Node binary running
// this script. Its debug symbols are stripped first when `strip` is on the PATH (about 14 MB less). Started under the
// name `migrate` (a link or a copy), the executable calls itself `migrate`.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'out', 'exe');
export const EXECUTABLE = path.join(outdir, 'migration-lens');
// The fuse Node looks for to know a blob was injected (Node's documentation gives it).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Runs a step; its output is shown only when it fails (postject's ELF library warns about harmless notes). */
function step(title, command, args, { quiet = false } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout}${result.stderr}`);
    throw new Error(`${title} failed (exit ${result.status ?? result.signal ?? result.error?.message})`);
  }
}

function hasStrip() {
  return spawnSync('strip', ['--version'], { stdio: 'ignore' }).status === 0;
}

export function buildExecutable() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the executable is built for linux-x64, on linux-x64 (this is ${process.platform}-${process.arch})`,
    );
  }
  mkdirSync(outdir, { recursive: true });
  // Each build works in a folder of its own and renames the result into place, so builds started at the same time
  // (two test files) never mix their files, and a running executable is never overwritten.
  const work = mkdtempSync(path.join(outdir, 'build-'));
  try {
    const bundle = path.join(work, 'cli.js');
    const blob = path.join(work, 'sea-prep.blob');
    const config = path.join(work, 'sea-config.json');
    const unfinished = path.join(work, 'migration-lens');
    step('bundle', process.execPath, [
      path.join(root, 'scripts', 'build.mjs'),
      '--production',
      '--single-file-cli',
      bundle,
    ]);
    // useCodeCache: V8's compiled code for the bundle goes into the blob, so a start skips most of the compiling.
    // The Go reader's two WebAssembly files go in as assets (src/adapters/go-syntax.ts reads them by these names).
    const assets = {
      'web-tree-sitter.wasm': path.join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'),
      'tree-sitter-go.wasm': path.join(root, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm'),
    };
    writeFileSync(
      config,
      JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }),
    );
    step('blob', process.execPath, ['--experimental-sea-config', config], { quiet: true });
    copyFileSync(process.execPath, unfinished);
    chmodSync(unfinished, 0o755);
    if (hasStrip()) step('strip', 'strip', [unfinished]);
    step(
      'inject',
      process.execPath,
      [
        path.join(root, 'node_modules', 'postject', 'dist', 'cli.js'),
        unfinished,
        'NODE_SEA_BLOB',
        blob,
        '--sentinel-fuse',
        SEA_FUSE,
      ],
      { quiet: true },
    );
    renameSync(unfinished, EXECUTABLE);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return EXECUTABLE;
}

// A path with a space or another character URLs escape would never equal the plain `file://` concatenation.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const executable = buildExecutable();
    const megabytes = (statSync(executable).size / 1e6).toFixed(1);
    console.log(`${path.relative(process.cwd(), executable)}: ${megabytes} MB, Node ${process.version} linux-x64`);
  } catch (error) {
    console.error(`build:exe: ${error.message}`);
    process.exitCode = 1;
  }
}
