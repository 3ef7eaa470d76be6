/**
 * The npm package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a fresh prefix, with no
 * registry (the bundles need no dependency at run time), then the installed command against a real database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const BASIC = path.resolve(ROOT, 'test/fixtures/basic');

let db: TestDatabase;
let work: string;
let packed: { filename: string; files: { path: string }[] };

function npm(args: readonly string[], cwd = ROOT) {
  // Offline: nothing may come from a registry; the packed tarball must be enough.
  const run = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=warn'], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `npm ${args.join(' ')}: ${run.stderr}`);
  return run;
}

before(async () => {
  db = await createTestDatabase('install_npm');
  work = await mkdtemp(path.join(tmpdir(), 'ml-npm-'));
  await cp(BASIC, path.join(work, 'migrations'), { recursive: true });
  // The bundles were built by the build stage; prepack would rebuild them under the other test files running now.
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work]);
  [packed] = JSON.parse(pack.stdout) as (typeof packed)[];
  const install = npm(['install', '--global', '--prefix', path.join(work, 'prefix'), path.join(work, packed.filename)]);
  assert.equal(install.stderr, '', 'npm install -g prints no warning');
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

function installed(command: string, args: readonly string[]) {
  return spawnSync(path.join(work, 'prefix', 'bin', command), args, { cwd: work, encoding: 'utf8' });
}

void test('the tarball holds the command line and its vendor files, nothing of the extension or its tests', () => {
  assert.deepEqual(packed.files.map((file) => file.path).sort(), [
    'LICENSE',
    'README.md',
    'dist/cli.js',
    'dist/vendor/mysql2.js',
    'dist/vendor/sql-formatter.js',
    'package.json',
  ]);
});

void test('npm install -g of the tarball gives a migration-lens command that migrates a real database', async () => {
  const version = installed('migration-lens', ['-version']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const up = installed('migration-lens', ['-path', 'migrations', '-database', db.url, 'up']);
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stderr, /^1\/u create_users .*\n2\/u add_email /);
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
  assert.match(installed('migration-lens', ['-help']).stdout, /^Usage: migration-lens OPTIONS/);
});

void test('the installed command linked as migrate calls itself migrate', async () => {
  await symlink(path.join(work, 'prefix', 'bin', 'migration-lens'), path.join(work, 'prefix', 'bin', 'migrate'));
  const help = installed('migrate', ['-help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: migrate OPTIONS COMMAND/);
});
