#!/usr/bin/env node
// Runs the compiled host tests (out/test/host) inside a real VS Code through @vscode/test-electron's runTests(), with
// scripts/vscode-host-launcher.mjs as the executable. One run per configuration, each on a fresh copy of its fixture
// workspace (tests create files) and a fresh user-data dir. Builds nothing: scripts/test.mjs compiles and bundles first.
// Writes {"passed":N,"failed":M} to MIGRATION_LENS_HOST_REPORT when set.
// Environment: MIGRATION_LENS_HOST_FILES (below); passed through to the tests: MIGRATION_LENS_HOST_GREP,
// MIGRATION_LENS_SCREENSHOTS=docs (see test/host/support/screenshot.ts); to the launcher: MIGRATION_LENS_HOST_VERBOSE.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installedHost, root } from './vscode-host.mjs';

const testsRoot = path.join(root, 'out', 'test', 'host');
const launcher = path.join(root, 'scripts', 'vscode-host-launcher.mjs');

// Files named *.untrusted.test.js run only in the configuration that opens the workspace in Restricted Mode, files
// named *.packaged.test.js only in the one that loads the extension from the packed .vsix, *.multiroot.test.js only
// in the one that opens a workspace of three folders, the others only in the trusted one.
// MIGRATION_LENS_HOST_FILES (comma-separated parts of file names) narrows them all.
const KINDS = ['untrusted', 'packaged', 'multiroot'];
const kindOf = (file) => KINDS.find((kind) => file.endsWith(`.${kind}.test.js`)) ?? 'trusted';

function compiledTests(kind) {
  if (!existsSync(testsRoot)) return [];
  const wanted = (process.env.MIGRATION_LENS_HOST_FILES ?? '').split(',').filter((part) => part !== '');
  return (
    readdirSync(testsRoot, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.js') && kindOf(file) === kind)
      // tsc never deletes output: a test whose source was removed or renamed must not run from a stale copy.
      .filter((file) => existsSync(path.join(root, 'test', 'host', file.replace(/\.js$/, '.ts'))))
      .filter((file) => wanted.length === 0 || wanted.some((part) => file.includes(part)))
      .sort()
      .map((file) => path.join(testsRoot, file))
  );
}

const configurations = [
  { name: 'trusted', fixture: 'workspace', trust: false, tests: compiledTests('trusted') },
  { name: 'untrusted', fixture: 'workspace', trust: true, tests: compiledTests('untrusted') },
  { name: 'packaged', fixture: 'workspace', trust: false, packaged: true, tests: compiledTests('packaged') },
  {
    name: 'multiroot',
    fixture: 'multiroot',
    open: 'multiroot.code-workspace',
    trust: false,
    tests: compiledTests('multiroot'),
  },
].filter(({ tests }) => tests.length > 0);

/** Packs the .vsix as `npm run package` does and unpacks it; returns the extension folder it holds. */
function unpackedPackage(folder) {
  const vsix = path.join(folder, 'migration-lens.vsix');
  const packed = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs'), '--out', vsix], {
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(`packing the .vsix failed:\n${packed.stdout}${packed.stderr}`);
  const unpacked = spawnSync('unzip', ['-q', vsix, 'extension/*', '-d', path.join(folder, 'vsix')], {
    encoding: 'utf8',
  });
  if (unpacked.status !== 0) throw new Error(`unpacking the .vsix failed: ${unpacked.stderr}`);
  return path.join(folder, 'vsix', 'extension');
}

let scratch;
const SCRATCH_PREFIX = 'ml-host-';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// A run killed outright (SIGKILL, a closed pipe) leaves its scratch folder behind; the folder names the run's pid.
function removeAbandonedScratch() {
  for (const entry of readdirSync(os.tmpdir())) {
    const pid = Number(new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(entry)?.[1]);
    if (pid && !alive(pid)) rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

async function runConfiguration({ name, fixture, open, trust, packaged, tests }) {
  scratch = mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-${name}-`));
  const workspace = path.join(scratch, 'workspace');
  const resultFile = path.join(scratch, 'result.json');
  cpSync(path.join(root, 'test', 'host', 'fixtures', fixture), workspace, { recursive: true });
  const started = Date.now();
  let exitCode;
  try {
    exitCode = await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: packaged ? unpackedPackage(scratch) : root,
      extensionTestsPath: path.join(testsRoot, 'index.js'),
      launchArgs: [
        open ? path.join(workspace, open) : workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
      ],
      extensionTestsEnv: {
        MIGRATION_LENS_HOST_TESTS: JSON.stringify(tests),
        MIGRATION_LENS_HOST_RESULT: resultFile,
        ...(trust ? { MIGRATION_LENS_HOST_TRUST: '1' } : {}),
      },
    });
  } catch (error) {
    console.error(`host ${name}: ${error.message}`);
    exitCode = error.code ?? error.signal ?? 1;
  }
  const counts = existsSync(resultFile)
    ? JSON.parse(readFileSync(resultFile, 'utf8'))
    : { passed: 0, failed: 0, pending: 0 };
  // A run that died before mocha reported (crash, timeout, activation error in the index) still counts as a failure.
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  rmSync(scratch, { recursive: true, force: true });
  console.log(
    `host ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending ?? 0} pending, exit ${exitCode}, ${Date.now() - started} ms`,
  );
  return counts;
}

// runTests() passes Ctrl-C on to the launcher, which then stops VS Code; the remaining configurations are skipped.
// On SIGTERM we just leave: the launcher notices its parent is gone and stops VS Code itself.
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));
process.on('SIGTERM', () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(143);
});

installedHost();
removeAbandonedScratch();
const total = { passed: 0, failed: 0 };
for (const configuration of configurations) {
  if (interrupted) break;
  const counts = await runConfiguration(configuration);
  total.passed += counts.passed;
  total.failed += counts.failed;
}
if (configurations.length === 0) console.log(`host: no host tests to run under ${testsRoot} (compiled, with a source)`);
if (process.env.MIGRATION_LENS_HOST_REPORT)
  writeFileSync(process.env.MIGRATION_LENS_HOST_REPORT, JSON.stringify(total));
process.exit(total.failed > 0 ? 1 : 0);
