/**
 * The single executable as a Go team drops it in, installed with the README's commands: on a PATH that holds no Node,
 * under golang-migrate's name, run by the Makefile of golang-migrate's MySQL tutorial, unchanged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readmeBlock } from './readme';
import { builtExecutable, createTestDatabase, TEST_SERVER, type TestDatabase } from './support';

const ROOT = path.resolve(__dirname, '../../..');

/** The tutorial's Makefile, as blog posts copy it. */
const TUTORIAL_MAKEFILE = `include .env

create_migration:
\tmigrate create -ext sql -dir ./migrations -seq $(name)

migrate_up:
\tmigrate -path=./migrations -database "mysql://\${DB_USER}:\${DB_PASS}@tcp(\${DB_HOST}:\${DB_PORT})/\${DB_NAME}" -verbose up 1

migrate_down:
\tmigrate -path=./migrations -database "mysql://\${DB_USER}:\${DB_PASS}@tcp(\${DB_HOST}:\${DB_PORT})/\${DB_NAME}" -verbose down 1

.PHONY: create_migration migrate_up migrate_down
`;

let db: TestDatabase;
let work: string;
let project: string;
let bin: string;

before(async () => {
  db = await createTestDatabase('install_executable');
  work = await mkdtemp(path.join(tmpdir(), 'ml-exe-'));
  // The README's way: `npm run build:exe` (run by builtExecutable, once per test run), then its install lines, with a
  // home folder of the test's own.
  const [build, ...install] = readmeBlock('Install', 0);
  assert.equal(build, 'npm run build:exe');
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts;
  assert.equal((scripts as Record<string, string>)['build:exe'], 'node scripts/build-exe.mjs');
  builtExecutable();
  const home = path.join(work, 'home');
  for (const command of install) {
    const run = spawnSync('/bin/sh', ['-c', command], {
      cwd: ROOT,
      env: { ...process.env, HOME: home },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `${command}: ${run.stderr}`);
  }
  bin = path.join(home, '.local', 'bin');
  project = path.join(work, 'project');
  await mkdir(project);
  await writeFile(path.join(project, 'Makefile'), TUTORIAL_MAKEFILE);
  await writeFile(
    path.join(project, '.env'),
    [
      `DB_USER=${TEST_SERVER.user}`,
      `DB_PASS=${TEST_SERVER.password}`,
      `DB_HOST=${TEST_SERVER.host}`,
      `DB_PORT=${TEST_SERVER.port}`,
      `DB_NAME=${db.name}`,
      '',
    ].join('\n'),
  );
  // On the PATH, only what the Makefile calls: the executable under both names, as the README installs it, and make.
  assert.deepEqual((await readdir(bin)).sort(), ['migrate', 'migration-lens']);
  await symlink(whichOnHost('make'), path.join(bin, 'make'));
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

function whichOnHost(command: string): string {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  assert.equal(found.status, 0, `${command} is needed on this machine`);
  return found.stdout.trim();
}

/** Runs a command with an environment holding only a PATH of `bin` (env -i PATH=bin ...). */
function isolated(command: string, args: readonly string[], cwd = project) {
  const run = spawnSync(path.join(bin, command), args, { cwd, env: { PATH: bin }, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function make(...args: string[]) {
  return isolated('make', ['--no-print-directory', ...args]);
}

void test('the PATH holds no node: the executable needs none', () => {
  const lookup = spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: bin }, encoding: 'utf8' });
  assert.notEqual(lookup.status, 0, lookup.stdout);
  assert.match(isolated('migrate', ['-version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

void test("the tutorial's Makefile: create_migration, migrate_up, migrate_down, unchanged", async () => {
  const created = make('create_migration', 'name=create_users');
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /migrations\/000001_create_users\.up\.sql\n/);
  assert.equal(make('create_migration', 'name=add_email').status, 0);
  const migrations = path.join(project, 'migrations');
  assert.deepEqual((await readdir(migrations)).sort(), [
    '000001_create_users.down.sql',
    '000001_create_users.up.sql',
    '000002_add_email.down.sql',
    '000002_add_email.up.sql',
  ]);
  await writeFile(path.join(migrations, '000001_create_users.up.sql'), 'CREATE TABLE users (id INT PRIMARY KEY);\n');
  await writeFile(path.join(migrations, '000001_create_users.down.sql'), 'DROP TABLE users;\n');
  await writeFile(path.join(migrations, '000002_add_email.up.sql'), 'ALTER TABLE users ADD email VARCHAR(255);\n');
  await writeFile(path.join(migrations, '000002_add_email.down.sql'), 'ALTER TABLE users DROP COLUMN email;\n');

  const first = make('migrate_up');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^Read and execute 000001_create_users\.up\.sql\n1\/u create_users \(/m);
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  assert.equal(make('migrate_up').status, 0);
  assert.deepEqual(await db.versionRows(), [['2', 0]]);
  const [columns] = await db.sql.query("SHOW COLUMNS FROM users LIKE 'email'");
  assert.equal((columns as unknown[]).length, 1);

  const down = make('migrate_down');
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stderr, /^2\/d add_email \(/m);
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
  const nothingLeft = make('migrate_down');
  assert.equal(nothingLeft.status, 0, nothingLeft.stderr);
  assert.deepEqual(await db.versionRows(), []);
});

void test('under the name migrate it calls itself migrate; under its own name, migration-lens', () => {
  const asMigrate = isolated('migrate', ['-help']);
  assert.equal(asMigrate.status, 0);
  assert.match(asMigrate.stdout, /^Usage: migrate OPTIONS COMMAND \[arg\.\.\.\]\n {7}migrate \[ -version \| -help \]/);
  assert.match(isolated('migrate', ['frobnicate']).stderr, /\nRun migrate -help for the usage\.\n$/);
  const asItself = isolated('migration-lens', ['-help']);
  assert.match(asItself.stdout, /^Usage: migration-lens OPTIONS COMMAND/);
  assert.match(isolated('migration-lens', ['frobnicate']).stderr, /\nRun migration-lens -help for the usage\.\n$/);
});

void test('the executable reads Go models without anything beside it: the Go grammar is inside', async () => {
  const models = path.join(project, 'models');
  await mkdir(models, { recursive: true });
  await writeFile(
    path.join(models, 'user.go'),
    'package models\n\nimport "gorm.io/gorm"\n\ntype User struct {\n\tgorm.Model\n\tName string `gorm:"size:255"`\n}\n',
  );
  const url = `mysql://${TEST_SERVER.user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
  const run = isolated('migration-lens', [
    '-path',
    'migrations',
    '-database',
    url,
    'models',
    '-models',
    models,
    '--json',
  ]);
  assert.equal(run.status, 1, run.stderr);
  const findings = (JSON.parse(run.stdout) as { findings: { code: string; table?: string }[] }).findings;
  assert.ok(
    findings.some((finding) => finding.code === 'model-table-missing' && finding.table === 'users'),
    run.stdout,
  );
});
