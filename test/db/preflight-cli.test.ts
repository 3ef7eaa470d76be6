// The command line: `preflight [--json]` exits 1 on an error finding, reads migration-lens.json from the project's
// root (the first folder at or above the migrations folder holding it or a .git), and `lint` reads it too.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { FolderSource } from '../../src/adapters/file-source';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { withRunSession } from '../../src/app/open-session';
import { preflightPreview } from '../../src/app/preflight';
import { blockingFindings, confirmationParagraph } from '../../src/core/preflight-findings';
import { createTestDatabase, folderWith, runCli, type TestDatabase } from './support';

let db: TestDatabase;
let project: string;
let migrations: string;

before(async () => {
  db = await createTestDatabase('preflight_cli');
  project = await mkdtemp(path.join(tmpdir(), 'ml-preflight-project-'));
  await mkdir(path.join(project, '.git'));
  await mkdir(path.join(project, 'db'));
  migrations = await folderWith(path.join(project, 'db'), 'migrations', {
    '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), legacy TEXT);\n',
    '1_users.down.sql': 'DROP TABLE users;\n',
    '2_unique.up.sql': '-- one email per user\nALTER TABLE users ADD UNIQUE (email);\n',
    '2_unique.down.sql': 'ALTER TABLE users DROP INDEX email, DROP COLUMN legacy;\n',
    '3_widen.up.sql': 'ALTER TABLE users MODIFY id BIGINT;\n',
  });
  assert.equal((await runCli(['-path', migrations, '-database', db.url, 'up', '1'])).status, 0);
  await db.sql.query(
    "INSERT INTO users VALUES (1, 'a@example.com', NULL), (2, 'a@example.com', NULL); ANALYZE TABLE users",
  );
});

after(async () => {
  await db?.drop();
  await rm(project, { recursive: true, force: true });
});

async function projectFile(content: unknown): Promise<void> {
  await writeFile(path.join(project, 'migration-lens.json'), JSON.stringify(content));
}

void test('preflight prints each finding on its file and line and exits 1 on an error', async () => {
  await rm(path.join(project, 'migration-lens.json'), { force: true });
  const run = await runCli(['-path', 'db/migrations', '-database', db.url, 'preflight'], project);
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(
    lines[0],
    /^db\/migrations\/2_unique\.up\.sql:2: info preflight-execution: Works in place without rebuilding/,
  );
  assert.equal(
    lines[1],
    'db/migrations/2_unique.up.sql:2: error preflight-duplicates-under-unique: 1 value occurs more than once under ' +
      'UNIQUE (email) on users (2 rows share it). The statement fails (error 1062 Duplicate entry): remove or merge ' +
      'the duplicates first.',
  );
  assert.match(
    lines[2],
    /^db\/migrations\/3_widen\.up\.sql:1: warning preflight-copies-table: Copies the table and blocks writes: users, about 2 rows/,
  );
  assert.match(
    lines[3],
    /^ {4}pt-online-schema-change --ask-pass --alter 'MODIFY id BIGINT' h=127\.0\.0\.1,P=3306,u=root,D=ml_preflight_cli_\w+,t=users --dry-run$/,
  );
  assert.match(
    run.stderr,
    /^3 findings \(1 error\) in 2 pending migrations: 2 statements asked of the server on a scratch database, 1 count of rows\n$/,
  );
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
});

void test('--json gives every finding with its code, place, execution and alternatives', async () => {
  const run = await runCli(['-path', migrations, '-database', db.url, 'preflight', '--json']);
  assert.equal(run.status, 1, run.stderr);
  const json = JSON.parse(run.stdout) as {
    ok: boolean;
    pending: number;
    findings: { code: string; line: number; version: string; execution: unknown; fix: string | null }[];
  };
  assert.equal(json.ok, false);
  assert.equal(json.pending, 2);
  const widen = json.findings.find((finding) => finding.code === 'preflight-copies-table')!;
  assert.deepEqual([widen.version, widen.line, widen.execution], ['3', 1, { algorithm: 'COPY', lock: 'SHARED' }]);
  assert.equal(widen.fix, 'ALTER TABLE users MODIFY id BIGINT, ALGORITHM=INPLACE, LOCK=NONE');
});

void test("migration-lens.json at the project's root changes severities, for preflight and lint alike", async () => {
  await projectFile({
    rules: { 'preflight-duplicates-under-unique': 'warning', 'preflight-execution': 'off', 'destructive-down': 'off' },
  });
  const run = await runCli(['-path', migrations, '-database', db.url, 'preflight']);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^\S+2_unique\.up\.sql:2: warning preflight-duplicates-under-unique:/);
  assert.doesNotMatch(run.stdout, /preflight-execution/);
  const lint = await runCli(['-path', migrations, 'lint']);
  assert.doesNotMatch(lint.stdout, /destructive-down/);
  await projectFile({ rules: { 'destructive-down': 'warning', 'no-such-rule': 'off' } });
  const loud = await runCli(['-path', migrations, 'lint']);
  assert.match(
    loud.stdout,
    /2_unique\.down\.sql:1:\d+: warning destructive-down: DROP COLUMN users\.legacy in a down migration/,
  );
  assert.match(loud.stderr, /^warning: migration-lens\.json: rules\.no-such-rule: unknown rule/);
});

void test("the confirmation before a run: of the run session's preview, what should stop it, in one paragraph", async () => {
  const database = parseDatabaseUrl(db.url);
  const preview = await withRunSession({ folder: migrations, database }, (session) => session.preview({ kind: 'up' }));
  const { findings } = await preflightPreview(preview, new FolderSource(migrations), { database });
  assert.deepEqual(
    blockingFindings(findings).map((finding) => `${finding.fileName}:${finding.line} ${finding.code}`),
    ['2_unique.up.sql:2 preflight-duplicates-under-unique', '3_widen.up.sql:1 preflight-copies-table'],
  );
  assert.equal(
    confirmationParagraph(findings),
    'Preflight: 1 statement will fail on this database, and 1 will block writes or lose data. 2_unique.up.sql line 2: ' +
      '1 value occurs more than once under UNIQUE (email) on users (2 rows share it); 3_widen.up.sql line 1: Copies ' +
      'the table and blocks writes: users, about 2 rows, 16 KB.',
  );
});

void test('with nothing pending, preflight has nothing to look at and says so', async () => {
  await rm(path.join(project, 'migration-lens.json'), { force: true });
  const run = await runCli(['-path', migrations, '-database', db.url, 'preflight', '--json']);
  assert.equal(JSON.parse(run.stdout).pending, 2);
  const applied = await runCli(['-path', migrations, '-database', db.url, 'force', '3']);
  assert.equal(applied.status, 0, applied.stderr);
  const nothing = await runCli(['-path', migrations, '-database', db.url, 'preflight']);
  assert.equal(nothing.status, 0);
  assert.equal(nothing.stdout, '');
  assert.equal(nothing.stderr, 'no pending migration: nothing to look at\n');
});
