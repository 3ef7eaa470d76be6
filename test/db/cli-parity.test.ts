/** golang-migrate's command line to the letter, where a Makefile or a tutorial would notice a difference. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { CLI, type CliRun, createTestDatabase, folderWith, runCli, type TestDatabase } from './support';

const BASIC = path.resolve(__dirname, '../../../test/fixtures/basic');
const VERIFY_OBJECTS = path.resolve(__dirname, '../../../test/fixtures/verify/objects');

let db: TestDatabase;
let work: string;

before(async () => {
  db = await createTestDatabase('cli_parity');
  work = await mkdtemp(path.join(tmpdir(), 'ml-parity-'));
  await cp(BASIC, path.join(work, 'migrations'), { recursive: true });
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.dropAllTables();
});

function migrate(...args: string[]): Promise<CliRun> {
  return runCli(['-path', 'migrations', '-database', db.url, '-lock-timeout', '1', ...args], work);
}

void test('force -- -1, golang-migrate documented spelling, empties the version table (exit 0)', async () => {
  assert.equal((await migrate('up', '2')).status, 0);
  assert.deepEqual(await migrate('force', '--', '-1'), { status: 0, stdout: '', stderr: '' });
  assert.deepEqual(await db.versionRows(), []);
  assert.equal((await migrate('force', '--', '3')).status, 0);
  assert.deepEqual(await db.versionRows(), [['3', 0]]);
});

void test('a non-numeric or missing N or V is an error (exit 1), as golang-migrate reports it, and changes nothing', async () => {
  assert.equal((await migrate('up', '1')).status, 0);
  for (const [args, message] of [
    [['up', 'abc'], /^error: can't read limit argument N/],
    [['down', '1x'], /^error: can't read limit argument N/],
    [['goto', 'three'], /^error: can't read version argument V/],
    [['force', 'v2'], /^error: can't read version argument V/],
    [['goto'], /^error: please specify version argument V/],
    [['force'], /^error: please specify version argument V/],
    [['goto', '99999999999999999999'], /^error: can't read version argument V/],
  ] as const) {
    const run = await migrate(...args);
    assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.doesNotMatch(run.stderr, /-help for the usage/);
  }
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  // Go's flag parser reads goto's -1 as an unknown flag: a usage error.
  assert.equal((await migrate('goto', '-1')).status, 2);
});

void test('--dry-run is accepted after the arguments too: goto 3 --dry-run, down 1 --dry-run, up 1 --dry-run', async () => {
  assert.equal((await migrate('up', '2')).status, 0);
  const goto = await migrate('goto', '3', '--dry-run');
  assert.equal(goto.status, 0, goto.stderr);
  assert.match(goto.stdout, /000003_seed_users\.up\.sql/);
  const down = await migrate('down', '1', '--dry-run');
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /000002_add_email\.down\.sql/);
  const up = await migrate('up', '1', '-dry-run');
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, /000003_seed_users\.up\.sql/);
  assert.deepEqual(await db.versionRows(), [['2', 0]], 'a dry run changes nothing');
  assert.equal((await migrate('goto', '3', '--dry-run', 'extra')).status, 2);
});

void test('version reads the source first: a missing folder or a duplicate file fails before connecting', async () => {
  const missing = await runCli(['-path', 'no-such-folder', '-database', db.url, 'version'], work);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no-such-folder/);
  const duplicate = await folderWith('duplicate', { '1_a.up.sql': 'SELECT 1;', '01_b.up.sql': 'SELECT 1;' });
  try {
    const run = await runCli(['-path', duplicate, '-database', db.url, 'version'], work);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /duplicate migration file: .*1_a\.up\.sql/);
    assert.match(run.stderr, new RegExp(duplicate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  } finally {
    await rm(duplicate, { recursive: true, force: true });
  }
  assert.deepEqual(await db.tables(), [], 'no version table was created');
});

/** Runs the command line inside a terminal (util-linux `script`), and returns the screen's lines as shown. */
function onTerminal(args: readonly string[], cwd: string): { status: number | null; lines: string[]; error: string } {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const run = spawnSync('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  // A carriage return and "erase line" rewrite a line in place: what remains of it is what follows the last one.
  const lines = run.stdout
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => line.split(/\r(?:\x1b\[2K)?/).at(-1)!);
  return { status: run.status, lines, error: `${run.error?.message ?? ''}${run.stderr}` };
}

void test('verify on a terminal shows each version once (the progress line is rewritten, then cleared)', async () => {
  const run = onTerminal(['-path', VERIFY_OBJECTS, '-database', db.url, 'verify'], work);
  const versionLines = run.lines.filter((line) => line.includes('create_accounts'));
  assert.equal(versionLines.length, 1, `${run.lines.join('\n')}\n${run.error}`);
  assert.match(versionLines[0], /^ok +1 create_accounts: /);
  assert.ok(run.lines.some((line) => /^\d+ versions: /.test(line)));
  // Without a terminal, scripts still get the progress on stderr and the report on stdout.
  const piped = await runCli(['-path', VERIFY_OBJECTS, '-database', db.url, 'verify'], work);
  assert.match(piped.stderr, /^1 create_accounts: verified$/m);
  assert.match(piped.stdout, /^ok +1 create_accounts: /m, piped.stderr);
});

void test("lint's closing line counts what it found by severity, notes apart from problems", async () => {
  const folder = await folderWith('lint-summary', {
    '000001_a.up.sql': 'CREATE TABLE a (id INT);',
    '000001_a.down.sql': 'DROP TABLE a;',
    '000003_b.up.sql': 'CREATE TABLE b (id INT);',
  });
  try {
    const run = await runCli(['-path', folder, 'lint'], work);
    assert.equal(run.status, 0, run.stderr);
    const findings = run.stdout.trim().split('\n');
    const count = (severity: string) => findings.filter((line) => line.includes(`: ${severity} `)).length;
    assert.ok(findings.length >= 2, run.stdout);
    assert.equal(
      run.stderr,
      `${findings.length} findings: ${count('error')} errors, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ` +
        `${count('info')} note${count('info') === 1 ? '' : 's'}\n`,
    );
    await writeFile(path.join(folder, '000003_b.down.sql'), 'DROP TABLE b;');
    await writeFile(path.join(folder, '000002_gap.up.sql'), '');
    assert.match((await runCli(['-path', folder, 'lint'], work)).stderr, /^\d+ findings?: 1 error, /);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

void test('run through a link named migrate (as an npm bin link would be), it calls itself migrate', async () => {
  const link = path.join(work, 'migrate');
  await symlink(CLI, link);
  // As the bin link's `#!/usr/bin/env node` line starts it: node with the link's path.
  const help = spawnSync(process.execPath, [link, '-help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: migrate OPTIONS COMMAND/);
  assert.match(
    spawnSync(process.execPath, [link, 'nope'], { encoding: 'utf8' }).stderr,
    /\nRun migrate -help for the usage\.\n$/,
  );
  assert.match((await runCli(['nope'], work)).stderr, /\nRun migration-lens -help for the usage\.\n$/);
});
