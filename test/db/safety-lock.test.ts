import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate } from '../../src/app/open-session';
import type { RunOptions } from '../../src/app/run-session';
import { LockNotAcquiredError, LockWaitCancelledError } from '../../src/core/errors';
import { advisoryLockName } from '../../src/core/lock';
import type { LockHolder } from '../../src/core/model';
import { TEST_SERVER, createTestDatabase, folderWith, type TestDatabase } from './support';

let db: TestDatabase;
let folder: string;
let holder: mysql.Connection;
let lockName: string;

before(async () => {
  db = await createTestDatabase('lock_wait');
  folder = await folderWith('lock', { '1_users.up.sql': 'CREATE TABLE users (id INT);\n' });
  holder = await mysql.createConnection({ ...TEST_SERVER, database: db.name });
  lockName = advisoryLockName(db.name, 'schema_migrations');
});

after(async () => {
  await holder.end();
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

async function hold(): Promise<void> {
  const [rows] = await holder.query('SELECT GET_LOCK(?, 0) AS got', [lockName]);
  assert.equal((rows as { got: number }[])[0].got, 1);
}

function up(lockTimeoutSeconds: number, options: RunOptions) {
  return migrate({ kind: 'up' }, { folder, database: parseDatabaseUrl(db.url), lockTimeoutSeconds }, options);
}

void test('a held lock names its holder while waiting, and the timeout says which lock and who has it', async () => {
  await hold();
  const seen: (LockHolder | undefined)[] = [];
  const failure = await up(2, { onLockWait: (lockHolder) => seen.push(lockHolder) }).catch((error: unknown) => error);
  assert.ok(failure instanceof LockNotAcquiredError);
  assert.equal(failure.lockName, lockName);
  assert.ok(seen.length >= 1);
  assert.equal(seen[0]?.connectionId, holder.threadId);
  assert.equal(seen[0]?.user, TEST_SERVER.user);
  assert.match(failure.message, new RegExp(`can't acquire lock ${lockName} on database ${db.name} after 2 s`));
  assert.match(failure.message, new RegExp(`held by connection ${holder.threadId} \\(user ${TEST_SERVER.user}`));
  const [rows] = await db.sql.query("SHOW TABLES LIKE 'users'");
  assert.deepEqual(rows, [], 'nothing ran');
});

void test('cancel ends the wait with nothing run; once the holder lets go the run goes ahead', async () => {
  const controller = new AbortController();
  const started = performance.now();
  const cancelled = await up(30, { signal: controller.signal, onLockWait: () => controller.abort() }).catch(
    (error: unknown) => error,
  );
  assert.ok(cancelled instanceof LockWaitCancelledError);
  assert.match(cancelled.message, new RegExp(`held by connection ${holder.threadId}`));
  assert.ok(performance.now() - started < 10_000, 'the wait ended long before its 30 s');

  let waits = 0;
  const result = await up(30, {
    onLockWait: () => {
      waits++;
      void holder.query('SELECT RELEASE_LOCK(?)', [lockName]);
    },
  });
  assert.equal(waits, 1);
  assert.equal(result.outcome.kind, 'ok');
  assert.deepEqual(result.version, { version: 1n, dirty: false });
});
