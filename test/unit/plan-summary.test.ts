import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import { NIL_VERSION } from '../../src/core/model';
import { planMigrations } from '../../src/core/plan';
import { stepLabel, summarisePlan, versionLabel } from '../../src/core/plan-summary';

const catalog = buildCatalog(
  [
    '000001_create_users.up.sql',
    '000001_create_users.down.sql',
    '000002_add_email.up.sql',
    '000002_add_email.down.sql',
    '000005_seed.up.sql',
  ].map((name) => ({ name })),
);

void test('up from no version lists every up file in order', () => {
  const current = { version: NIL_VERSION, dirty: false };
  const summary = summarisePlan(planMigrations(catalog, current, { kind: 'up' }), current);
  assert.equal(summary.headline, 'Apply 3 migrations: no version → 5');
  assert.deepEqual(summary.steps, [
    '1/u create_users (000001_create_users.up.sql)',
    '2/u add_email (000002_add_email.up.sql)',
    '5/u seed (000005_seed.up.sql)',
  ]);
  assert.equal(summary.goesDown, false);
});

void test('down past the first migration ends at no version and flags the step without a file', () => {
  const current = { version: 5n, dirty: false };
  const summary = summarisePlan(planMigrations(catalog, current, { kind: 'goto', version: 1n }), current);
  assert.equal(summary.headline, 'Roll back 2 migrations: version 5 → 1');
  assert.deepEqual(summary.steps, [
    '5/d <empty> (no down file: the version moves, no SQL runs)',
    '2/d add_email (000002_add_email.down.sql)',
  ]);
  assert.equal(summary.goesDown, true);
  const all = planMigrations(catalog, { version: 1n, dirty: false }, { kind: 'down' });
  assert.equal(
    summarisePlan(all, { version: 1n, dirty: false }).headline,
    'Roll back 1 migration: version 1 → no version',
  );
});

void test('labels match golang-migrate log lines', () => {
  assert.equal(versionLabel(NIL_VERSION), 'no version');
  assert.equal(versionLabel(42n), 'version 42');
  assert.equal(stepLabel(2n, 'up', 'add_email'), '2/u add_email');
  assert.equal(stepLabel(5n, 'down', undefined), '5/d <empty>');
});
