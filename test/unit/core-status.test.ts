import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import { NIL_VERSION } from '../../src/core/model';
import { migrationStatuses } from '../../src/core/status';

const catalog = buildCatalog(
  ['1_a.up.sql', '1_a.down.sql', '2_b.up.sql', '3_c.down.sql', '5_e.up.sql', '5_e.down.sql', '05_e2.up.sql'].map(
    (name) => ({ name }),
  ),
);
const states = (report: ReturnType<typeof migrationStatuses>) =>
  report.rows.map((row) => `${row.version}:${row.state}`);

void describe('migrationStatuses', () => {
  void test('clean database in the middle', () => {
    const report = migrationStatuses(catalog, { version: 2n, dirty: false });
    assert.deepEqual(states(report), ['1:applied', '2:current', '3:pending', '5:pending']);
    assert.deepEqual(report.summary, {
      currentVersion: 2n,
      dirty: false,
      pendingCount: 2,
      appliedCount: 2,
      pendingBelowCurrentCount: 0,
      currentMissingOnDisk: false,
    });
  });

  void test('file flags: up-only, down-only, duplicate', () => {
    const rows = migrationStatuses(catalog, undefined).rows;
    assert.deepEqual(
      rows.map((row) => [row.version, row.upOnly, row.downOnly, row.duplicate]),
      [
        [1n, false, false, false],
        [2n, true, false, false],
        [3n, false, true, false],
        [5n, false, false, true],
      ],
    );
    assert.equal(rows[0].up?.fileName, '1_a.up.sql');
    assert.equal(rows[3].up?.fileName, '05_e2.up.sql');
  });

  void test('without a connection every row is unknown', () => {
    const report = migrationStatuses(catalog, undefined);
    assert.deepEqual(states(report), ['1:unknown', '2:unknown', '3:unknown', '5:unknown']);
    assert.equal(report.summary.currentVersion, undefined);
    assert.equal(report.summary.pendingCount, 0);
  });

  void test('nil version: everything pending', () => {
    const report = migrationStatuses(catalog, { version: NIL_VERSION, dirty: false });
    assert.deepEqual(states(report), ['1:pending', '2:pending', '3:pending', '5:pending']);
    assert.equal(report.summary.currentVersion, NIL_VERSION);
    assert.equal(report.summary.appliedCount, 0);
  });

  void test('dirty marks the failed version', () => {
    const report = migrationStatuses(catalog, { version: 3n, dirty: true });
    assert.deepEqual(states(report), ['1:applied', '2:applied', '3:dirty', '5:pending']);
    assert.equal(report.summary.dirty, true);
    assert.equal(report.summary.appliedCount, 2);
  });

  void test('a database version with no file gets its own row in order', () => {
    const report = migrationStatuses(catalog, { version: 4n, dirty: false });
    assert.deepEqual(states(report), ['1:applied', '2:applied', '3:applied', '4:missing-on-disk', '5:pending']);
    assert.equal(report.summary.currentMissingOnDisk, true);
    const beyond = migrationStatuses(catalog, { version: 9n, dirty: true });
    assert.deepEqual(states(beyond), ['1:applied', '2:applied', '3:applied', '5:applied', '9:missing-on-disk']);
    assert.equal(beyond.summary.dirty, true);
  });

  void test('a dirty version another session holds the lock for is running, not failed', () => {
    const dirty = { version: 3n, dirty: true };
    assert.equal(migrationStatuses(catalog, dirty).rows.find((row) => row.version === 3n)?.state, 'dirty');
    const running = migrationStatuses(catalog, dirty, { runningElsewhere: true });
    assert.equal(running.rows.find((row) => row.version === 3n)?.state, 'running');
    assert.equal(running.summary.dirty, true);
  });

  void test('with a ledger, versions below current that never ran are pending-below-current', () => {
    const report = migrationStatuses(catalog, { version: 5n, dirty: false }, { knownApplied: new Set([1n, 3n, 5n]) });
    assert.deepEqual(states(report), ['1:applied', '2:pending-below-current', '3:applied', '5:current']);
    assert.equal(report.summary.pendingBelowCurrentCount, 1);
    assert.equal(report.summary.appliedCount, 3);
  });
});
