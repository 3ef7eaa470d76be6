import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  effectOf,
  nextAttempt,
  onlineAlterText,
  probeAttempts,
  readRefusal,
  withAlgorithm,
  writtenExecution,
} from '../../src/core/preflight-probe';
import { readPreflightScript } from '../../src/core/preflight-statements';

const statement = (sql: string) => readPreflightScript(sql).statements[0];

void test('attempts go from the least disruptive to the most; NOCOPY on MariaDB only', () => {
  const words = (flavour: 'mariadb' | 'mysql') =>
    probeAttempts(flavour).map((attempt) => `${attempt.algorithm}${attempt.lock ? `/${attempt.lock}` : ''}`);
  assert.deepEqual(words('mariadb'), [
    'INSTANT',
    'NOCOPY/NONE',
    'INPLACE/NONE',
    'INPLACE/SHARED',
    'INPLACE/EXCLUSIVE',
    'COPY/NONE',
    'COPY/SHARED',
    'COPY/EXCLUSIVE',
  ]);
  assert.deepEqual(words('mysql').slice(0, 2), ['INSTANT', 'INPLACE/NONE']);
});

void test('refusals are read from the server’s own words (1845, 1846, measured on MariaDB 10.11)', () => {
  assert.deepEqual(
    readRefusal(1846, 'ALGORITHM=INSTANT is not supported. Reason: Cannot change column type. Try ALGORITHM=COPY'),
    { reason: 'Cannot change column type', tryAlgorithm: 'COPY' },
  );
  assert.deepEqual(
    readRefusal(1846, 'LOCK=NONE is not supported. Reason: COPY algorithm requires a lock. Try LOCK=SHARED'),
    { reason: 'COPY algorithm requires a lock', tryLock: 'SHARED' },
  );
  assert.deepEqual(readRefusal(1845, 'ALGORITHM=INSTANT is not supported for this operation. Try ALGORITHM=INPLACE'), {
    tryAlgorithm: 'INPLACE',
  });
  assert.equal(readRefusal(1054, "Unknown column 'x' in 'users'"), undefined);
});

void test('the next attempt is the one the server suggests, else the next in order', () => {
  const attempts = probeAttempts('mariadb');
  const index = (algorithm: string, lock?: string) =>
    attempts.findIndex((attempt) => attempt.algorithm === algorithm && attempt.lock === lock);
  assert.equal(nextAttempt(attempts, 0, { tryAlgorithm: 'COPY' }), index('COPY', 'NONE'));
  assert.equal(nextAttempt(attempts, index('COPY', 'NONE'), { tryLock: 'SHARED' }), index('COPY', 'SHARED'));
  assert.equal(nextAttempt(attempts, 0, { tryAlgorithm: 'INPLACE' }), index('INPLACE', 'NONE'));
  assert.equal(nextAttempt(attempts, 0, {}), index('NOCOPY', 'NONE'));
  assert.equal(nextAttempt(attempts, attempts.length - 1, {}), -1);
});

void test('ALGORITHM and LOCK are written into each kind of statement, replacing its own', () => {
  const inplace = { algorithm: 'INPLACE', lock: 'NONE' } as const;
  assert.equal(
    withAlgorithm(statement('ALTER TABLE users ADD COLUMN x INT'), inplace),
    'ALTER TABLE users ADD COLUMN x INT, ALGORITHM=INPLACE, LOCK=NONE',
  );
  assert.equal(
    withAlgorithm(statement('ALTER TABLE users ALGORITHM = COPY, ADD COLUMN x INT, LOCK=SHARED'), inplace),
    'ALTER TABLE users ADD COLUMN x INT, ALGORITHM=INPLACE, LOCK=NONE',
  );
  assert.equal(
    withAlgorithm(statement('ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4'), { algorithm: 'INSTANT' }),
    'ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4, ALGORITHM=INSTANT',
  );
  assert.equal(
    withAlgorithm(statement('CREATE UNIQUE INDEX u ON t (a) LOCK=SHARED'), inplace),
    'CREATE UNIQUE INDEX u ON t (a) ALGORITHM=INPLACE LOCK=NONE',
  );
  assert.equal(
    withAlgorithm(statement('DROP INDEX IF EXISTS `i` ON shop.t'), { algorithm: 'COPY' }),
    'ALTER TABLE shop.t DROP INDEX IF EXISTS `i`, ALGORITHM=COPY',
  );
  assert.equal(
    withAlgorithm(statement('OPTIMIZE TABLE `odd``name`'), inplace),
    'ALTER TABLE `odd``name` FORCE, ALGORITHM=INPLACE, LOCK=NONE',
  );
  assert.equal(withAlgorithm(statement('ALTER TABLE t ADD x INT, ALGORITHM=COPY')), 'ALTER TABLE t ADD x INT');
});

void test('the change as pt-online-schema-change --alter takes it', () => {
  assert.equal(
    onlineAlterText(statement('ALTER TABLE app.users\n  MODIFY email VARCHAR(20),\n  ALGORITHM=COPY')),
    'MODIFY email VARCHAR(20)',
  );
  assert.equal(
    onlineAlterText(statement('CREATE UNIQUE INDEX u_email USING BTREE ON users (email) COMMENT "x" LOCK=NONE')),
    'ADD UNIQUE INDEX u_email USING BTREE (email) COMMENT "x"',
  );
  assert.equal(onlineAlterText(statement('DROP INDEX IF EXISTS i ON users')), 'DROP INDEX IF EXISTS i');
  assert.equal(onlineAlterText(statement('OPTIMIZE TABLE users')), 'ENGINE=InnoDB');
});

void test('what an accepted attempt means for other sessions', () => {
  assert.deepEqual(effectOf({ algorithm: 'INSTANT' }), {
    copies: false,
    rebuilds: false,
    blocksWrites: false,
    blocksReads: false,
  });
  assert.equal(effectOf({ algorithm: 'INPLACE', lock: 'NONE' }).blocksWrites, false);
  assert.equal(effectOf({ algorithm: 'INPLACE', lock: 'SHARED' }).blocksWrites, true);
  assert.equal(effectOf({ algorithm: 'COPY', lock: 'NONE' }).blocksWrites, false);
  assert.equal(effectOf({ algorithm: 'COPY' }).blocksWrites, true);
  assert.equal(effectOf({ algorithm: 'COPY', lock: 'EXCLUSIVE' }).blocksReads, true);
  assert.deepEqual(effectOf({ algorithm: 'INSTANT', engineChange: true }), {
    copies: true,
    rebuilds: true,
    blocksWrites: true,
    blocksReads: false,
  });
  assert.deepEqual(writtenExecution({ kind: 'alter-table', table: 't', lock: 'NONE' }), {
    algorithm: 'INPLACE',
    lock: 'NONE',
    asWritten: true,
  });
});
