import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { PendingSchemaCache, runModelsCheck } from '../../src/app/models-check';
import { createTestDatabase, folderWith, runCli, type TestDatabase } from './support';

/** The sandbox service: golang-migrate's tutorial with GORM, its User one field (Email) ahead of version 1. */
const SANDBOX = path.resolve(__dirname, '../../../sandbox');
const MIGRATIONS = path.join(SANDBOX, 'db', 'migrations');

const USER_WITHOUT_EMAIL = `package models

import "gorm.io/gorm"

type User struct {
	gorm.Model
	Name string \`gorm:"size:255;not null"\`
}
`;

let db: TestDatabase;
let withoutEmail: string;

before(async () => {
  db = await createTestDatabase('models_check');
  withoutEmail = await folderWith('models', { 'user.go': USER_WITHOUT_EMAIL });
});

after(async () => {
  await db.drop();
  await rm(withoutEmail, { recursive: true, force: true });
});

function migrate(...args: string[]) {
  return runCli(['-path', MIGRATIONS, '-database', db.url, ...args], SANDBOX);
}

function models(...args: string[]) {
  return runCli(['-path', MIGRATIONS, '-database', db.url, 'models', ...args], SANDBOX);
}

async function liveState(): Promise<unknown> {
  const [create] = await db.sql.query('SHOW CREATE TABLE users');
  return { tables: await db.tables(), versions: await db.versionRows(), create };
}

void test('the sandbox at version 1: User.Email has no column yet, 000002 adds it; after pending the model matches', async () => {
  assert.equal((await migrate('up', '1')).status, 0);
  const before = await liveState();
  const cache = new PendingSchemaCache();
  const check = await runModelsCheck({
    modelsFolder: path.join(SANDBOX, 'models'),
    migrationsFolder: MIGRATIONS,
    database: parseDatabaseUrl(db.url),
    cache,
  });
  assert.deepEqual(
    check.models.map((model) => [model.name, model.table]),
    [['User', 'users']],
  );
  assert.deepEqual(
    check.current.map((finding) => [finding.code, finding.field, finding.line, finding.addedBy?.name]),
    [['model-field-missing-column', 'Email', 11, '000002_add_email_to_users']],
  );
  assert.equal(
    check.current[0].message,
    'User.Email: users.email does not exist at version 1; 000002_add_email_to_users adds it, pending',
  );
  assert.deepEqual(check.pendingVersions, [2n]);
  assert.equal(check.lastVersion, 2n);
  assert.deepEqual(
    check.afterPending?.map((finding) => [finding.code, finding.severity]),
    [['model-null-mismatch', 'info']],
  );
  // The live database was only read, and the scratch database is gone.
  assert.deepEqual(await liveState(), before);
  assert.deepEqual(await db.scratchDatabases(), []);

  // The same up files and version: the replay is not run again.
  const started = Date.now();
  const again = await runModelsCheck({
    modelsFolder: path.join(SANDBOX, 'models'),
    migrationsFolder: MIGRATIONS,
    database: parseDatabaseUrl(db.url),
    cache,
  });
  assert.equal(again.pending, check.pending, 'the cached replay is reused');
  assert.ok(Date.now() - started < 5_000);
});

void test("the tutorial's manual steps: after up the struct lacks Email, after down 1 it has one too many", async () => {
  assert.equal((await migrate('up')).status, 0);
  const afterUp = await runModelsCheck({
    modelsFolder: withoutEmail,
    migrationsFolder: MIGRATIONS,
    database: parseDatabaseUrl(db.url),
  });
  assert.deepEqual(
    afterUp.current.map((finding) => [finding.code, finding.column]),
    [['model-column-without-field', 'email']],
  );
  assert.deepEqual(afterUp.pendingVersions, []);
  assert.equal((await migrate('down', '1')).status, 0);
  const afterDown = await runModelsCheck({
    modelsFolder: path.join(SANDBOX, 'models'),
    migrationsFolder: MIGRATIONS,
    database: parseDatabaseUrl(db.url),
  });
  assert.deepEqual(
    afterDown.current.map((finding) => [finding.code, finding.field]),
    [['model-field-missing-column', 'Email']],
  );
});

void test('migration-lens models: exit 1 on a disagreement at the target version, 0 when none, 2 on a usage error', async () => {
  await db.dropAllTables();
  assert.equal((await migrate('up', '1')).status, 0);
  const atVersion = await models();
  assert.equal(atVersion.status, 1, atVersion.stderr);
  assert.equal(
    atVersion.stdout,
    'models/user.go:11: error model-field-missing-column: User.Email: users.email does not exist at version 1; 000002_add_email_to_users adds it, pending\n',
  );
  assert.equal(atVersion.stderr, '1 model checked at version 1: 1 error, 0 warnings, 0 notes\n');

  const afterPending = await models('--after-pending', '--json');
  assert.equal(afterPending.status, 0, afterPending.stderr);
  const json = JSON.parse(afterPending.stdout) as { target: string; version: string; ok: boolean; findings: unknown[] };
  assert.deepEqual([json.target, json.version, json.ok, json.findings.length], ['after-pending', '2', true, 1]);

  const elsewhere = await models('-models', withoutEmail);
  assert.equal(elsewhere.status, 0, elsewhere.stdout);

  assert.equal((await migrate('up')).status, 0);
  assert.equal((await models()).status, 0);
  assert.equal((await models('-models', withoutEmail)).status, 0, 'a column without a field is only a note');

  const noDatabase = await runCli(['-path', MIGRATIONS, 'models'], SANDBOX);
  assert.equal(noDatabase.status, 2);
  assert.match(noDatabase.stderr, /^error: no database: pass -database/);
  const badFlag = await models('--models-dir', 'x');
  assert.equal(badFlag.status, 2);
  assert.deepEqual(await db.scratchDatabases(), []);
});
