import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import { NIL_VERSION } from '../../src/core/model';
import { type MigrationPlan, planMigrations, type PlanRequest } from '../../src/core/plan';

const catalog = buildCatalog(
  [
    '1_a.up.sql',
    '1_a.down.sql',
    '2_b.up.sql',
    '2_b.down.sql',
    '3_c.up.sql',
    '5_e.up.sql',
    '5_e.down.sql',
    '7_g.down.sql',
  ].map((name) => ({ name })),
);
const at = (version: bigint, dirty = false) => ({ version, dirty });
const NIL = at(NIL_VERSION);

/** Steps as `version/u->target file` and the outcome as "ok", "no change" or the error message's first words. */
function describePlan(plan: MigrationPlan): [string[], string] {
  const steps = plan.steps.map(
    (s) => `${s.version}/${s.direction === 'up' ? 'u' : 'd'}->${s.targetVersion} ${s.file?.fileName ?? '<empty>'}`,
  );
  const outcome =
    plan.outcome.kind === 'error'
      ? `${plan.outcome.error.code}: ${plan.outcome.error.message.split(/[.:]/)[0]}`
      : plan.outcome.kind;
  return [steps, outcome];
}

const plan = (current: { version: bigint; dirty: boolean }, request: PlanRequest) =>
  describePlan(planMigrations(catalog, current, request));

void describe('up', () => {
  void test('all from nil, the missing up of 7 moves the version without SQL', () => {
    assert.deepEqual(plan(NIL, { kind: 'up' }), [
      ['1/u->1 1_a.up.sql', '2/u->2 2_b.up.sql', '3/u->3 3_c.up.sql', '5/u->5 5_e.up.sql', '7/u->7 <empty>'],
      'ok',
    ]);
  });
  void test('all from the last version is no change', () => {
    assert.deepEqual(plan(at(7n), { kind: 'up' }), [[], 'no-change']);
  });
  void test('N within range', () => {
    assert.deepEqual(plan(at(2n), { kind: 'up', limit: 2 }), [['3/u->3 3_c.up.sql', '5/u->5 5_e.up.sql'], 'ok']);
  });
  void test('N past the end applies what exists then fails with limit K short', () => {
    assert.deepEqual(plan(at(3n), { kind: 'up', limit: 5 }), [
      ['5/u->5 5_e.up.sql', '7/u->7 <empty>'],
      'short-limit: limit 3 short',
    ]);
  });
  void test('N when none is available is file does not exist', () => {
    assert.deepEqual(plan(at(7n), { kind: 'up', limit: 1 }), [[], 'file-does-not-exist: file does not exist']);
  });
  void test('0 is no change even on a dirty database', () => {
    assert.deepEqual(plan(at(3n, true), { kind: 'up', limit: 0 }), [[], 'no-change']);
    assert.deepEqual(plan(at(3n, true), { kind: 'down', limit: 0 }), [[], 'no-change']);
  });
  void test('from nil on an empty folder fails like the source First()', () => {
    const empty = buildCatalog([]);
    assert.deepEqual(describePlan(planMigrations(empty, NIL, { kind: 'up' })), [
      [],
      'file-does-not-exist: file does not exist',
    ]);
    assert.deepEqual(describePlan(planMigrations(empty, NIL, { kind: 'down' })), [[], 'no-change']);
  });
  void test('N from nil counts the first migration', () => {
    assert.deepEqual(plan(NIL, { kind: 'up', limit: 1 }), [['1/u->1 1_a.up.sql'], 'ok']);
  });
  void test('a negative or fractional limit is a programming error', () => {
    assert.throws(() => planMigrations(catalog, NIL, { kind: 'up', limit: -1 }), RangeError);
    assert.throws(() => planMigrations(catalog, NIL, { kind: 'down', limit: 1.5 }), RangeError);
  });
});

void describe('down', () => {
  void test('all from the top goes to nil, the missing down of 3 runs no SQL', () => {
    assert.deepEqual(plan(at(7n), { kind: 'down' }), [
      ['7/d->5 7_g.down.sql', '5/d->3 5_e.down.sql', '3/d->2 <empty>', '2/d->1 2_b.down.sql', '1/d->-1 1_a.down.sql'],
      'ok',
    ]);
  });
  void test('N within range', () => {
    assert.deepEqual(plan(at(5n), { kind: 'down', limit: 1 }), [['5/d->3 5_e.down.sql'], 'ok']);
  });
  void test('N past nil rolls back to nil then fails with limit K short', () => {
    assert.deepEqual(plan(at(2n), { kind: 'down', limit: 4 }), [
      ['2/d->1 2_b.down.sql', '1/d->-1 1_a.down.sql'],
      'short-limit: limit 2 short',
    ]);
  });
  void test('exactly to nil is ok', () => {
    assert.deepEqual(plan(at(2n), { kind: 'down', limit: 2 }), [['2/d->1 2_b.down.sql', '1/d->-1 1_a.down.sql'], 'ok']);
  });
  void test('from nil: all is no change, N is file does not exist', () => {
    assert.deepEqual(plan(NIL, { kind: 'down' }), [[], 'no-change']);
    assert.deepEqual(plan(NIL, { kind: 'down', limit: 1 }), [[], 'file-does-not-exist: file does not exist']);
  });
});

void describe('goto', () => {
  void test('up from nil includes the first migration', () => {
    assert.deepEqual(plan(NIL, { kind: 'goto', version: 3n }), [
      ['1/u->1 1_a.up.sql', '2/u->2 2_b.up.sql', '3/u->3 3_c.up.sql'],
      'ok',
    ]);
  });
  void test('down stops at the target without running its down file', () => {
    assert.deepEqual(plan(at(7n), { kind: 'goto', version: 2n }), [
      ['7/d->5 7_g.down.sql', '5/d->3 5_e.down.sql', '3/d->2 <empty>'],
      'ok',
    ]);
  });
  void test('the current version is no change', () => {
    assert.deepEqual(plan(at(3n), { kind: 'goto', version: 3n }), [[], 'no-change']);
  });
  void test('a target without a file is refused', () => {
    assert.deepEqual(plan(at(3n), { kind: 'goto', version: 4n }), [
      [],
      'no-migration-for-version: no migration found for version 4',
    ]);
  });
  void test('-1 is refused as golang-migrate cannot read it', () => {
    assert.deepEqual(plan(at(3n), { kind: 'goto', version: -1n }), [
      [],
      "invalid-version: can't read version argument V",
    ]);
  });
});

void describe('refusals', () => {
  void test('a dirty database refuses up, down and goto, with the version to force below', () => {
    for (const request of [{ kind: 'up' }, { kind: 'down', limit: 1 }, { kind: 'goto', version: 1n }] as const) {
      const result = planMigrations(catalog, at(3n, true), request);
      assert.equal(result.steps.length, 0);
      assert.equal(result.outcome.kind, 'error');
      if (result.outcome.kind === 'error') {
        assert.match(result.outcome.error.message, /^Dirty database version 3\. Fix and force version\..*force 2/);
      }
    }
  });
  void test('a database version with no file is refused before anything runs', () => {
    assert.deepEqual(plan(at(4n), { kind: 'up' }), [[], 'no-migration-for-version: no migration found for version 4']);
    assert.deepEqual(plan(at(4n), { kind: 'down', limit: 1 }), [
      [],
      'no-migration-for-version: no migration found for version 4',
    ]);
    assert.deepEqual(plan(at(4n), { kind: 'goto', version: 1n }), [
      [],
      'no-migration-for-version: no migration found for version 4',
    ]);
  });
  void test('a folder with duplicates is refused whatever the state', () => {
    const duplicated = buildCatalog([{ name: '1_a.up.sql' }, { name: '01_b.up.sql' }]);
    assert.deepEqual(describePlan(planMigrations(duplicated, NIL, { kind: 'up' })), [
      [],
      'duplicate-migration: duplicate migration file',
    ]);
  });
});
