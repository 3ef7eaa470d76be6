import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import {
  describeDirtyRecovery,
  describeFailure,
  failureBehind,
  describeMissingFileRecovery,
  dirtyRecovery,
  missingFileRecovery,
} from '../../src/core/safety-recovery';

/** A folder with an up file for each version. */
function onDisk(...versions: bigint[]) {
  return buildCatalog(versions.map((version) => ({ name: `${version}_m.up.sql` })));
}

void test('a dirty version offers to force itself or the version below it on disk', () => {
  const recovery = dirtyRecovery(onDisk(1n, 3n, 7n, 20n), 7n);
  assert.equal(recovery.markCompleted.forceVersion, 7n);
  assert.equal(recovery.markUndone.forceVersion, 3n);
  assert.match(recovery.markCompleted.title, /force 7\)/);
  assert.match(recovery.markUndone.title, /force 3\)/);
});

void test('the first migration going dirty offers -1 as the undone choice', () => {
  const recovery = dirtyRecovery(onDisk(5n, 9n), 5n);
  assert.equal(recovery.markUndone.forceVersion, -1n);
  assert.match(recovery.markUndone.explanation, /no version \(-1\)/);
});

void test('a dirty version without a file still finds the one below it on disk', () => {
  assert.equal(dirtyRecovery(onDisk(20n, 3n, 1n, 7n), 10n).markUndone.forceVersion, 7n);
  assert.equal(dirtyRecovery(onDisk(), 10n).markUndone.forceVersion, -1n);
  const timestamps = onDisk(20260101120000n, 20260102120000n);
  assert.equal(dirtyRecovery(timestamps, 20260102120000n).markUndone.forceVersion, 20260101120000n);
});

void test('a database version with no file offers the highest version below it on disk', () => {
  const recovery = missingFileRecovery(onDisk(1n, 2n, 40n), 30n);
  assert.equal(recovery.forceVersion, 2n);
  assert.equal(missingFileRecovery(onDisk(40n), 30n).forceVersion, -1n);
  const text = describeMissingFileRecovery(recovery);
  assert.match(text, /version 30, but no file/);
  assert.match(text, /force 2\b/);
  assert.match(describeMissingFileRecovery(missingFileRecovery(onDisk(), 3n)), /force -1 \(no version\)/);
});

void test('the dirty explanation names both exact versions', () => {
  const text = describeDirtyRecovery(dirtyRecovery(onDisk(1n, 2n), 2n));
  assert.match(text, /dirty at version 2/);
  assert.match(text, /1\. Mark 2 as completed \(force 2\)/);
  assert.match(text, /2\. Mark 2 as undone \(force 1\)/);
});

void test('the failure behind a dirty version: a failed up of it, or a failed down of the version above it', () => {
  const error = {
    direction: 'up' as const,
    message: "Error 1072: Key column 'emial' doesn't exist in table",
    fileName: '3_email.up.sql',
    statementIndex: 2,
    line: 3,
  };
  const catalog = onDisk(1n, 3n, 7n);
  const ledger = [
    { version: 3n, state: 'failed' as const, lastError: error },
    { version: 1n, state: 'applied' as const, lastError: { ...error, fileName: '1_old.up.sql' } },
  ];
  assert.deepEqual(failureBehind(ledger, catalog, 3n), { version: 3n, failure: error });
  assert.equal(failureBehind(ledger, catalog, 1n), undefined, 'fixed since');
  assert.equal(failureBehind(ledger, catalog, 7n), undefined);
  const down = { direction: 'down' as const, message: 'Error 1091', fileName: '7_x.down.sql' };
  const downLedger = [{ version: 7n, state: 'failed' as const, lastError: down }];
  assert.deepEqual(failureBehind(downLedger, catalog, 3n), { version: 7n, failure: down }, 'the down left 3, dirty');
  assert.equal(failureBehind(downLedger, catalog, 7n), undefined);
  assert.equal(
    describeFailure(error),
    "The up run failed at statement 2, line 3 of 3_email.up.sql: Error 1072: Key column 'emial' doesn't exist in table",
  );
  assert.equal(describeFailure({ direction: 'down', message: 'lost' }), 'The down run failed at the down file: lost');
});

void test('after a failed down of 7 (dirty at 3): completed forces 3, undone forces 7 back', () => {
  const recovery = dirtyRecovery(onDisk(1n, 3n, 7n), 3n, 7n);
  assert.equal(recovery.markCompleted.forceVersion, 3n);
  assert.equal(recovery.markUndone.forceVersion, 7n);
  assert.match(recovery.markCompleted.title, /roll back of 7 as completed \(force 3\)/);
  assert.match(recovery.markUndone.title, /roll back of 7 as undone \(force 7\)/);
  assert.match(dirtyRecovery(onDisk(7n), -1n, 7n).markCompleted.explanation, /clean at no version \(-1\)/);
});
