import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { LockNotAcquiredError, MigrationFailedError, SourceUnreadableError } from '../../src/core/errors';
import { advisoryLockName } from '../../src/core/lock';
import type { PlanRequest } from '../../src/core/plan';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate } from '../../src/app/open-session';
import { createTestDatabase, folderWith, type TestDatabase, waitFor } from './support';

const FAILING = path.resolve(__dirname, '../../../test/fixtures/failing');

let db: TestDatabase;
let scratch: string;

before(async () => {
  db = await createTestDatabase('engine_failures');
  scratch = await mkdtemp(path.join(tmpdir(), 'ml-engine-failures-'));
});

after(async () => {
  await db.drop();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.dropAllTables();
});

async function run(request: PlanRequest, folder = FAILING, lockTimeoutSeconds = 0.3) {
  return migrate(request, { folder, database: parseDatabaseUrl(db.url), lockTimeoutSeconds });
}

async function tableExists(name: string): Promise<boolean> {
  const [rows] = await db.sql.query('SHOW TABLES LIKE ?', [name]);
  return (rows as unknown[]).length === 1;
}

void test('a failing second statement: (2, dirty), the first statement kept, the error names statement 2 and line 4', async () => {
  await assert.rejects(run({ kind: 'up' }), (error: unknown) => {
    assert.ok(error instanceof MigrationFailedError);
    assert.equal(error.version, 2n);
    assert.equal(error.targetVersion, 2n);
    assert.equal(error.fileName, '2_audit.up.sql');
    assert.equal(error.statementIndex, 2);
    assert.equal(error.line, 4);
    assert.equal(error.serverCode, 1146);
    assert.match(
      error.message,
      /^migration failed in 2_audit\.up\.sql, statement 2, line 4: Error 1146: Table '.*no_such_table' doesn't exist/,
    );
    return true;
  });
  assert.deepEqual(await db.versionRows(), [['2', 1]]);
  assert.equal(await tableExists('accounts'), true);
  assert.equal(await tableExists('audit'), true, 'the first statement of the failing file stays committed');
  assert.equal(await tableExists('never_created'), false);
  await assert.rejects(run({ kind: 'up' }), /^DirtyDatabaseError: Dirty database version 2/);
});

void test('an empty file leaves (V, dirty) with error 1065; a comment-only file succeeds', async () => {
  const folder = await folderWith(scratch, 'empty', {
    '1_comments.up.sql': '-- nothing yet\n/* still nothing */\n',
    '2_empty.up.sql': '  \n',
  });
  await assert.rejects(run({ kind: 'up' }, folder), (error: unknown) => {
    assert.ok(error instanceof MigrationFailedError);
    assert.equal(error.serverCode, 1065);
    assert.equal(error.statementIndex, 1);
    return true;
  });
  assert.deepEqual(await db.versionRows(), [['2', 1]]);
});

void test('a failing down of the first migration leaves (-1, dirty)', async () => {
  const folder = await folderWith(scratch, 'first_down', {
    '1_first.up.sql': 'CREATE TABLE first_table (id int);',
    '1_first.down.sql': 'DROP TABLE no_such_table;',
  });
  await run({ kind: 'up' }, folder);
  await assert.rejects(run({ kind: 'down' }, folder), MigrationFailedError);
  assert.deepEqual(await db.versionRows(), [['-1', 1]]);
});

void test('a file that is not UTF-8 is refused before the version moves', async () => {
  const folder = await folderWith(scratch, 'latin1', { '1_latin1.up.sql': Buffer.from("SELECT 'caf\xe9';", 'latin1') });
  await assert.rejects(run({ kind: 'up' }, folder), (error: unknown) => {
    assert.ok(error instanceof SourceUnreadableError);
    assert.match(error.message, /1_latin1\.up\.sql: it is not valid UTF-8/);
    return true;
  });
  assert.deepEqual(await db.versionRows(), []);
});

void test('the lock: a run waits, fails naming the lock, and succeeds once the holder releases it', async () => {
  const lockName = advisoryLockName(db.name, 'schema_migrations');
  await db.sql.query('SELECT GET_LOCK(?, 0)', [lockName]);
  try {
    await assert.rejects(run({ kind: 'up', limit: 1 }), (error: unknown) => {
      assert.ok(error instanceof LockNotAcquiredError);
      assert.equal(error.lockName, lockName);
      assert.match(error.message, new RegExp(`can't acquire lock ${lockName} on database ${db.name} after 0.3 s`));
      return true;
    });
    // A run that starts while the lock is held proceeds as soon as it is released.
    const waiting = run({ kind: 'up', limit: 1 }, FAILING, 10);
    await waitFor('the run to wait on the lock', async () => {
      const [rows] = await db.sql.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%' AND ID <> CONNECTION_ID()",
      );
      return (rows as unknown[]).length > 0 ? true : undefined;
    });
    await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
    const result = await waiting;
    assert.equal(result.steps.length, 1);
  } finally {
    await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
  }
  assert.deepEqual(await db.versionRows(), [['1', 0]]);
});
