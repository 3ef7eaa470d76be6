import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, createTestDatabase, type TestDatabase, waitFor } from './support';

const BASIC = path.resolve(__dirname, '../../../test/fixtures/basic');
/** util-linux `script` gives the command line a real terminal, so its questions are asked and answered. */
const hasScript = spawnSync('script', ['--version']).status === 0;

let db: TestDatabase;
let work: string;

before(async () => {
  db = await createTestDatabase('cli_prompts');
  work = await mkdtemp(path.join(tmpdir(), 'ml-prompts-'));
});

after(async () => {
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Runs the command line on a terminal, typing `answers` at its questions, from a folder that takes its backups. */
async function onTerminal(answers: string, ...args: string[]): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, CLI, '-path', BASIC, '-database', db.url, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: work });
  child.stdin.end(`${answers}\n`);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, output: output.replace(/\r/g, '') };
}

async function versionRows(): Promise<unknown> {
  const [rows] = await db.sql.query('SELECT CAST(version AS CHAR) AS version, dirty FROM schema_migrations');
  return rows;
}

void test(
  'on a terminal, down without N asks golang-migrate\'s question; only "y" goes ahead',
  { skip: !hasScript },
  async () => {
    assert.equal((await onTerminal('', 'up')).status, 0);
    const declined = await onTerminal('n', 'down');
    assert.equal(declined.status, 1);
    assert.match(
      declined.output,
      /Are you sure you want to apply all down migrations\? \[y\/N\]\nNot applying all down migrations/,
    );
    assert.deepEqual(await versionRows(), [{ version: '5', dirty: 0 }]);
    const cancelled = await onTerminal('y\nc', 'down');
    assert.equal(cancelled.status, 1, cancelled.output);
    assert.match(
      cancelled.output,
      /Applying all down migrations\nBack up orders, users before going down\? \[Y\/n\/c\(ancel\)\]\n.*nothing ran/,
    );
    assert.deepEqual(await versionRows(), [{ version: '5', dirty: 0 }]);
    const accepted = await onTerminal('y\ny', 'down');
    assert.equal(accepted.status, 0, accepted.output);
    assert.match(accepted.output, /Applying all down migrations\nBack up orders, users .*\nBacked up orders, users /);
    assert.match(accepted.output, /\.sql\n5\/d create_orders /);
    assert.deepEqual(await versionRows(), []);
  },
);

void test('on a terminal, drop without -f asks first', { skip: !hasScript }, async () => {
  await onTerminal('', 'up', '1');
  const declined = await onTerminal('N', 'drop');
  assert.equal(declined.status, 1);
  assert.match(declined.output, /Aborted dropping the entire database schema/);
  const accepted = await onTerminal('y', 'drop');
  assert.equal(accepted.status, 0, accepted.output);
  const [tables] = await db.sql.query('SHOW TABLES');
  assert.deepEqual(tables, []);
});

void test('Ctrl+C stops after the running migration: it finishes clean, no further one starts, exit 0', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'ml-cli-sigint-'));
  try {
    await writeFile(path.join(folder, '1_slow.up.sql'), 'CREATE TABLE slow_done (id int);\nSELECT SLEEP(1);');
    await writeFile(path.join(folder, '2_next.up.sql'), 'CREATE TABLE never_started (id int);');
    await db.sql.query('DROP TABLE IF EXISTS schema_migrations');
    const child = spawn(process.execPath, [CLI, '-path', folder, '-database', db.url, 'up'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor('the first migration to run', async () => {
      const [rows] = await db.sql.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%SLEEP(1)%' AND ID <> CONNECTION_ID()",
        [db.name],
      );
      return (rows as unknown[]).length > 0 ? true : undefined;
    });
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(
      stderr,
      /^Stopping after this running migration \.\.\.\n1\/u slow \(.*\)\nStopped after 1 migration\.\n$/,
    );
    assert.deepEqual(await versionRows(), [{ version: '1', dirty: 0 }]);
    const [tables] = await db.sql.query("SHOW TABLES LIKE 'never_started'");
    assert.deepEqual(tables, []);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
