/**
 * The npm package as the README installs it: `npm pack`, `npm install -g` of the tarball (here into a fresh prefix),
 * `npx` of it, with no registry (the bundles need no dependency at run time), then the installed command against a
 * real database.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readmeBlock } from './readme';
import { createTestDatabase, type TestDatabase } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const BASIC = path.resolve(ROOT, 'test/fixtures/basic');

let db: TestDatabase;
let work: string;
let npxVersion: string;

before(async () => {
  db = await createTestDatabase('install_npm');
  work = await mkdtemp(path.join(tmpdir(), 'ml-npm-'));
  await cp(BASIC, path.join(work, 'migrations'), { recursive: true });
  const [pack, install, npx] = readmeBlock('Install', 1);
  const env = {
    ...process.env,
    // Nothing may come from a registry: the packed tarball must be enough.
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // The tarball and the global install go to the test's own folders.
    npm_config_pack_destination: work,
    npm_config_prefix: path.join(work, 'prefix'),
    // The bundles were built by the build stage; prepack would rebuild them under the other test files running now.
    npm_config_ignore_scripts: 'true',
  };
  const shell = (command: string, cwd: string) => {
    const run = spawnSync('/bin/sh', ['-c', command], { cwd, env, encoding: 'utf8' });
    assert.equal(run.status, 0, `${command}: ${run.stderr}`);
    return run;
  };
  shell(pack, ROOT);
  assert.equal(shell(install, work).stderr, '', 'npm install -g prints no warning');
  npxVersion = shell(npx, work).stdout;
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

function installed(command: string, args: readonly string[]) {
  return spawnSync(path.join(work, 'prefix', 'bin', command), args, { cwd: work, encoding: 'utf8' });
}

void test('the tarball holds the command line and its vendor files, nothing of the extension or its tests', () => {
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const listing = spawnSync('tar', ['-tzf', path.join(work, `migration-lens-${version}.tgz`)], { encoding: 'utf8' });
  assert.deepEqual(listing.stdout.trim().split('\n').sort(), [
    'package/LICENSE',
    'package/README.md',
    'package/dist/cli.js',
    'package/dist/vendor/go-syntax.js',
    'package/dist/vendor/mysql2.js',
    'package/dist/vendor/sql-formatter.js',
    'package/dist/vendor/tree-sitter-go.wasm',
    'package/dist/vendor/web-tree-sitter.wasm',
    'package/package.json',
  ]);
});

void test('npx runs the tarball without installing it', () => {
  assert.match(npxVersion, /^\d+\.\d+\.\d+\n$/);
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
