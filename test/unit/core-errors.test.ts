import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DirtyDatabaseError,
  DuplicateMigrationError,
  LockNotAcquiredError,
  MigrationFailedError,
  MigrationLensError,
  NilVersionError,
  NoChangeError,
  NoMigrationForVersionError,
  SequenceTooLargeError,
  ShortLimitError,
} from '../../src/core/errors';

void test('messages start with golang-migrate phrases', () => {
  assert.match(
    new DirtyDatabaseError(3n, { completed: 3n, undone: 2n }).message,
    /^Dirty database version 3\. Fix and force version\. .*`force 3` .*`force 2`/,
  );
  assert.match(new NoChangeError().message, /^no change$/);
  assert.match(new ShortLimitError(2, 'up').message, /^limit 2 short/);
  assert.match(new NoMigrationForVersionError(7n).message, /^no migration found for version 7/);
  assert.match(new NilVersionError().message, /^no migration/);
  assert.match(new LockNotAcquiredError('874159513', 'test', 10).message, /^can't acquire lock 874159513/);
  assert.match(
    new DuplicateMigrationError('1_b.up.sql', '1_a.up.sql').message,
    /^duplicate migration file: 1_b\.up\.sql/,
  );
  assert.match(
    new SequenceTooLargeError('1000000', 6).message,
    /^Next sequence number 1000000 too large\. At most 6 digits are allowed/,
  );
});

void test('errors carry their facts and a stable code', () => {
  const cause = new Error('ER_NO_SUCH_TABLE');
  const error = new MigrationFailedError({
    version: 3n,
    direction: 'up',
    fileName: '3_x.up.sql',
    targetVersion: 3n,
    statementIndex: 2,
    line: 7,
    serverCode: 1146,
    serverMessage: "Table 'test.x' doesn't exist",
    cause,
  });
  assert.ok(error instanceof MigrationLensError);
  assert.ok(error instanceof Error);
  assert.equal(error.code, 'migration-failed');
  assert.equal(error.name, 'MigrationFailedError');
  assert.equal(error.cause, cause);
  assert.equal(error.version, 3n);
  assert.equal(error.direction, 'up');
  assert.equal(error.statementIndex, 2);
  assert.match(error.message, /^migration failed in 3_x\.up\.sql, statement 2, line 7: Error 1146: Table/);
  assert.match(error.message, /dirty at version 3/);
  assert.equal(new DirtyDatabaseError(5n).version, 5n);
  assert.equal(new DirtyDatabaseError(5n).code, 'dirty-database');
});

void test('a failure without a file name is named the way golang-migrate logs it', () => {
  const error = new MigrationFailedError({ version: 4n, direction: 'down', targetVersion: 3n });
  assert.match(error.message, /^migration failed in 4\/d\. The database is now dirty at version 3/);
});
