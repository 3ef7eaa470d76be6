/**
 * Every shell command README.md shows is run by a test: the command line examples here, against a test database; the
 * others by the test each claim below names, which reads them from the README and runs them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readmeBlock, readmeBlocks } from './readme';
import { CLI, createTestDatabase, type TestDatabase } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const BASIC = path.join(ROOT, 'test', 'fixtures', 'basic');
const COMMAND_LINE = 'On the command line';
/** The database the README's first example names, replaced by the test database. */
const EXAMPLE_URL = "'mysql://app:secret@tcp(127.0.0.1:3306)/app'";

/** Which test runs each README block (or one command of it), and the text in its source that reads the block. */
const CLAIMS: readonly { heading: string; index: number; command?: string; runner: string; evidence: string }[] = [
  {
    heading: 'Set-up and tests',
    index: 0,
    command: 'npm run sandbox',
    runner: 'test/db/sandbox.test.ts',
    evidence: "readmeBlock('Set-up and tests', 0)",
  },
  // CI's entry point is this very command.
  { heading: 'Set-up and tests', index: 0, command: 'npm test', runner: '.ci/run', evidence: '\nnpm test\n' },
  { heading: 'Install', index: 0, runner: 'test/db/install-executable.test.ts', evidence: "readmeBlock('Install', 0)" },
  {
    heading: 'Install',
    index: 1,
    runner: 'test/db/install-npm-package.test.ts',
    evidence: "readmeBlock('Install', 1)",
  },
  {
    heading: COMMAND_LINE,
    index: 0,
    runner: 'test/db/readme-commands.test.ts',
    evidence: 'readmeBlock(COMMAND_LINE, 0)',
  },
  {
    heading: 'Environments and fleets',
    index: 0,
    runner: 'test/db/environments-fleet.test.ts',
    evidence: "readmeBlock('Environments and fleets', 0)",
  },
];

let db: TestDatabase;
let project: string;

before(async () => {
  db = await createTestDatabase('readme_commands');
  project = await mkdtemp(path.join(tmpdir(), 'ml-readme-'));
  await cp(BASIC, path.join(project, 'db', 'migrations'), { recursive: true });
  // migration-lens on the PATH, as the npm package installs it: a link to the command line.
  await mkdir(path.join(project, 'bin'));
  await symlink(CLI, path.join(project, 'bin', 'migration-lens'));
});

after(async () => {
  await db.drop();
  await rm(project, { recursive: true, force: true });
});

void test('every README shell command is claimed by a test that runs it', async () => {
  const unclaimed: string[] = [];
  for (const block of readmeBlocks()) {
    for (const command of block.commands) {
      const claim = CLAIMS.find(
        (candidate) =>
          candidate.heading === block.heading &&
          candidate.index === block.index &&
          (candidate.command === undefined || candidate.command === command),
      );
      if (!claim) {
        unclaimed.push(`${block.heading}: ${command}`);
        continue;
      }
      const source = await readFile(path.join(ROOT, claim.runner), 'utf8');
      assert.ok(source.includes(claim.evidence), `${claim.runner} does not run "${command}"`);
    }
  }
  assert.deepEqual(unclaimed, [], 'README commands no test runs');
});

void test('the command line examples run as written, in order, against a test database', async () => {
  const commands = readmeBlock(COMMAND_LINE, 0);
  assert.ok(commands.length >= 5);
  const env = {
    ...process.env,
    PATH: `${path.join(project, 'bin')}${path.delimiter}${process.env['PATH']}`,
    DATABASE_URL: db.url,
  };
  for (const command of commands) {
    assert.ok(/^migration-lens /.test(command), command);
    const run = spawnSync('/bin/sh', ['-c', command.replace(EXAMPLE_URL, `'${db.url}'`)], {
      cwd: project,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(run.status, 0, `${command}: ${run.stderr}`);
  }
  // up to 5, down 1 to 3, goto 3 as a dry run, force 2, force -- -1: no version; create numbered after 5.
  assert.deepEqual(await db.versionRows(), []);
  const created = await readFile(path.join(project, 'db', 'migrations', '000006_add_email.up.sql'), 'utf8');
  assert.equal(created, '');
});
