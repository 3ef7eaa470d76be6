import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeDirtyRecovery,
  describeMissingFileRecovery,
  dirtyRecovery,
  missingFileRecovery,
  previousVersionOnDisk,
} from '../../src/core/safety-recovery';

void test('a dirty version offers to force itself or the version below it on disk', () => {
  const recovery = dirtyRecovery([1n, 3n, 7n, 20n], 7n);
  assert.equal(recovery.markCompleted.forceVersion, 7n);
  assert.equal(recovery.markUndone.forceVersion, 3n);
  assert.match(recovery.markCompleted.title, /force 7\)/);
  assert.match(recovery.markUndone.title, /force 3\)/);
});

void test('the first migration going dirty offers -1 as the undone choice', () => {
  const recovery = dirtyRecovery([5n, 9n], 5n);
  assert.equal(recovery.markUndone.forceVersion, -1n);
  assert.match(recovery.markUndone.explanation, /no version \(-1\)/);
});

void test('gaps and unsorted input do not matter; a dirty version without a file still finds the one below', () => {
  assert.equal(previousVersionOnDisk([20n, 3n, 1n, 7n], 10n), 7n);
  assert.equal(previousVersionOnDisk([], 10n), -1n);
  assert.equal(previousVersionOnDisk([20260101120000n, 20260102120000n], 20260102120000n), 20260101120000n);
});

void test('a database version with no file offers the highest version below it on disk', () => {
  const recovery = missingFileRecovery([1n, 2n, 40n], 30n);
  assert.equal(recovery.forceVersion, 2n);
  assert.equal(missingFileRecovery([40n], 30n).forceVersion, -1n);
  const text = describeMissingFileRecovery(recovery);
  assert.match(text, /version 30, but no file/);
  assert.match(text, /force 2\b/);
  assert.match(describeMissingFileRecovery(missingFileRecovery([], 3n)), /force -1 \(no version\)/);
});

void test('the dirty explanation names both exact versions', () => {
  const text = describeDirtyRecovery(dirtyRecovery([1n, 2n], 2n));
  assert.match(text, /dirty at version 2/);
  assert.match(text, /1\. Mark 2 as completed \(force 2\)/);
  assert.match(text, /2\. Mark 2 as undone \(force 1\)/);
});
