import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { type CliRun, createTestDatabase, runCli, type TestDatabase } from './support';

const BASIC = path.resolve(__dirname, '../../../test/fixtures/basic');
const FAILING = path.resolve(__dirname, '../../../test/fixtures/failing');

let db: TestDatabase;
let work: string;

before(async () => {
  db = await createTestDatabase('cli_commands');
  work = await mkdtemp(path.join(tmpdir(), 'ml-cli-'));
  await cp(BASIC, path.join(work, 'migrations'), { recursive: true });
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.sql.query(
    'SET foreign_key_checks = 0; DROP TABLE IF EXISTS schema_migrations, users, orders, accounts, audit; SET foreign_key_checks = 1',
  );
});

/** Runs the built command line with stdin not a terminal, from the scratch folder. */
function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, work);
}

function migrate(...args: string[]): Promise<CliRun> {
  return cli('-path', 'migrations', '-database', db.url, '-lock-timeout', '1', ...args);
}

void test('up logs each step to stderr like golang-migrate; up again is "no change" with exit 0', async () => {
  const up = await migrate('up');
  assert.equal(up.status, 0, up.stderr);
  assert.equal(up.stdout, '');
  const lines = up.stderr.trim().split('\n');
  assert.deepEqual(
    lines.map((line) => line.replace(/ \(.*\)$/, '')),
    ['1/u create_users', '2/u add_email', '3/u seed_users', '5/u create_orders'],
  );
  assert.match(lines[0], /^1\/u create_users \(\d+(\.\d+)?(µs|ms|s)\)$/);
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
  const again = await migrate('up');
  assert.deepEqual([again.status, again.stderr], [0, 'no change\n']);
});

void test('up N, then "limit K short" (exit 1) after applying what exists', async () => {
  assert.equal((await migrate('up', '2')).status, 0);
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  const short = await migrate('up', '5');
  assert.equal(short.status, 1);
  assert.match(short.stderr, /^3\/u seed_users .*\n5\/u create_orders .*\nerror: limit 3 short/);
  assert.deepEqual(await db.versionRows(), [['5', 0]]);
});

void test('down N, down -all, and down without N refused without a terminal', async () => {
  await migrate('up');
  const two = await migrate('down', '2');
  assert.equal(two.status, 0);
  // Without a terminal to ask, the table the down file drops is backed up first.
  assert.match(two.stderr, /^Backed up orders with \S+ to \S+\.sql\n5\/d create_orders .*\n3\/d <empty> /);
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  const refused = await migrate('down');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^error: refusing to ask .* without a terminal on stdin: pass -all/);
  assert.deepEqual(await db.versionRows(), [['2', 0]], 'nothing ran');
  const all = await migrate('down', '-all');
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(await db.versionRows(), []);
  assert.equal((await migrate('down', '-all', '3')).status, 2);
});

void test('goto up and down; goto the current version is "no change"', async () => {
  assert.equal((await migrate('goto', '3')).status, 0);
  assert.deepEqual(await db.versionRows(), [['3', 0]]);
  const down = await migrate('-backup', 'never', 'goto', '1');
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stderr, /^3\/d <empty> .*\n2\/d add_email /);
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  assert.deepEqual([(await migrate('goto', '1')).stderr], ['no change\n']);
  const missing = await migrate('goto', '4');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error: no migration found for version 4/);
});

void test('version on empty, clean and dirty; force V and force -1 without "--"', async () => {
  const empty = await migrate('version');
  assert.deepEqual([empty.status, empty.stdout], [1, '']);
  assert.match(empty.stderr, /^error: no migration/);
  await migrate('up', '1');
  assert.deepEqual(await migrate('version'), { status: 0, stdout: '1\n', stderr: '' });
  await db.sql.query('DELETE FROM schema_migrations; INSERT INTO schema_migrations VALUES (2, 1)');
  assert.equal((await migrate('version')).stdout, '2 (dirty)\n');
  const refused = await migrate('up');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^error: Dirty database version 2\. Fix and force version\./);
  assert.deepEqual(await migrate('force', '2'), { status: 0, stdout: '', stderr: '' });
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  assert.equal((await migrate('force', '-1')).status, 0);
  assert.deepEqual(await db.versionRows(), []);
  const below = await migrate('force', '-2');
  assert.equal(below.status, 1);
  assert.match(below.stderr, /^error: argument V must be >= -1/);
});

void test('a failing migration: exit 1, the error names the file, statement and line, the table holds (2, dirty)', async () => {
  const run = await cli('-source', `file://${path.relative(work, FAILING)}`, '-database', db.url, 'up');
  assert.equal(run.status, 1);
  assert.match(
    run.stderr,
    /^1\/u create_accounts .*\nerror: migration failed in 2_audit\.up\.sql, statement 2, line 4: Error 1146/,
  );
  assert.deepEqual(await db.versionRows(), [['2', 1]]);
});

void test('drop -f drops everything; drop without -f is refused without a terminal', async () => {
  await migrate('up');
  const refused = await migrate('drop');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /pass -f to go ahead/);
  const dropped = await migrate('drop', '-f');
  assert.equal(dropped.status, 0, dropped.stderr);
  const [tables] = await db.sql.query('SHOW TABLES');
  assert.deepEqual(tables, []);
});

void test('status --json reports each version and the database version', async () => {
  await migrate('up', '2');
  const run = await migrate('status', '--json');
  assert.equal(run.status, 0, run.stderr);
  const status = JSON.parse(run.stdout) as {
    database: unknown;
    migrations: { version: string; state: string; down: string | null }[];
  };
  assert.deepEqual(status.database, { version: '2', dirty: false, running: null, force: null });
  assert.deepEqual(
    status.migrations.map((row) => [row.version, row.state]),
    [
      ['1', 'applied'],
      ['2', 'current'],
      ['3', 'pending'],
      ['5', 'pending'],
    ],
  );
  assert.equal(status.migrations[2].down, null);
  const table = await migrate('status');
  assert.match(table.stdout, /^VERSION +STATE +NAME +FILES\b.*\n1 +applied +create_users +up\+down\b/);
});

void test('status on a database without a version table reads "no version" and creates nothing', async () => {
  const run = await migrate('status', '-json');
  assert.equal(JSON.parse(run.stdout).database.version, null);
  const [tables] = await db.sql.query("SHOW TABLES LIKE 'schema_migrations'");
  assert.deepEqual(tables, []);
});

void test('the password never appears in any output', async () => {
  const url = db.url.replace('@tcp', ':S3cr%40t-pw@tcp');
  assert.notEqual(url, db.url);
  const run = await cli('-path', 'migrations', '-database', url, 'version');
  assert.equal(run.status, 1);
  assert.match(run.stderr, /^error: Access denied/);
  assert.ok(!run.stderr.includes('S3cr') && !run.stdout.includes('S3cr'), run.stderr);
  const bad = await cli('-path', 'migrations', '-database', 'mysql://u:S3cr%zz@tcp(h)/d', 'up');
  assert.equal(bad.status, 1);
  assert.ok(!bad.stderr.includes('S3cr'), bad.stderr);
});

void test('create: sequential numbers and timestamps, never overwriting', async () => {
  const seq = await cli('create', '-ext', 'sql', '-dir', 'created', '-seq', '-digits', '4', 'add_table');
  assert.equal(seq.status, 0, seq.stderr);
  assert.equal(seq.stdout, 'created/0001_add_table.up.sql\ncreated/0001_add_table.down.sql\n');
  const next = await cli('create', '-ext=.sql', '-dir=created', '-seq', '-digits=4', 'second');
  assert.equal(next.stdout, 'created/0002_second.up.sql\ncreated/0002_second.down.sql\n');
  const stamped = await cli('create', '-ext', 'sql', '-dir', 'stamped', '-tz', 'UTC', 'later');
  assert.match(stamped.stdout, /^stamped\/(\d{14})_later\.up\.sql\nstamped\/\1_later\.down\.sql\n$/);
  const unix = await cli('create', '-ext', 'sql', '-dir', 'stamped', '-format', 'unix', 'epoch');
  assert.match(unix.stdout, /^stamped\/\d{10}_epoch\.up\.sql\n/);
  const year = await cli('create', '-ext', 'sql', '-dir', 'yearly', '-format', '2006', 'first');
  assert.match(year.stdout, /^yearly\/\d{4}_first\.up\.sql\n/);
  const clash = await cli('create', '-ext', 'sql', '-dir', 'yearly', '-format', '2006', 'second');
  assert.equal(clash.status, 1);
  assert.match(clash.stderr, /^error: duplicate migration version: \d{4}/);
  assert.equal((await readdir(path.join(work, 'yearly'))).length, 2);
  const both = await cli('create', '-ext', 'sql', '-dir', 'created', '-seq', '-format', 'unix', 'x');
  assert.equal(both.status, 1);
  assert.match(both.stderr, /mutually exclusive/);
  const noExt = await cli('create', '-dir', 'created', 'x');
  assert.equal(noExt.status, 1);
  assert.match(noExt.stderr, /^error: -ext flag must be specified/);
  assert.equal((await readdir(path.join(work, 'created'))).length, 4);
});

void test('lint: exit 0 with warnings only, exit 1 with an error, JSON on request; no database needed', async () => {
  const clean = await cli('-path', 'migrations', 'lint');
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /migrations\/000003_seed_users\.up\.sql: warning missing-down: /);
  await cp(BASIC, path.join(work, 'broken'), { recursive: true });
  await writeFile(path.join(work, 'broken', '2_again.up.sql'), 'SELECT 1;');
  const broken = await cli('-path', 'broken', 'lint', '--json');
  assert.equal(broken.status, 1);
  const problems = JSON.parse(broken.stdout) as { rule: string; severity: string }[];
  assert.ok(problems.some((problem) => problem.rule === 'duplicate-version' && problem.severity === 'error'));
});

void test('usage errors exit 2: no command, unknown command or flag, a bad flag value, no folder or database', async () => {
  for (const args of [
    [],
    ['frobnicate'],
    ['-nope', 'up'],
    ['-path', 'migrations', '-database', db.url, 'goto', '-1'],
    ['-path', 'migrations', 'up'],
    ['-database', db.url, 'up'],
    ['-lock-timeout', 'soon', 'up'],
  ]) {
    const run = await cli(...args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /^error: .*\nRun migration-lens -help for the usage\.\n$/);
  }
});

void test('-version and -help print to stdout; --flag and -flag=value are accepted', async () => {
  const version = await cli('--version');
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const help = await cli('-help');
  assert.match(help.stdout, /^Usage: migration-lens OPTIONS COMMAND/);
  const run = await cli('--path=migrations', `--database=${db.url}`, '-prefetch', '3', '-verbose', 'up', '1');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /^Read and execute 000001_create_users\.up\.sql\n1\/u create_users /);
});
