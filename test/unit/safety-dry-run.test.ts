import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import { planMigrations, type PlanRequest } from '../../src/core/plan';
import { describeRequest, renderDryRun } from '../../src/core/safety-dry-run';

const catalog = buildCatalog(
  ['1_users.up.sql', '1_users.down.sql', '2_email.up.sql', '3_seed.down.sql', '4_orders.up.sql'].map((name) => ({
    name,
  })),
);
const texts = new Map([
  ['1_users.up.sql', 'CREATE TABLE users (id INT);\n\n'],
  ['1_users.down.sql', 'DROP TABLE users;'],
  ['2_email.up.sql', 'ALTER TABLE users ADD email TEXT;'],
  ['4_orders.up.sql', 'CREATE TABLE orders (id INT);'],
]);

function dryRun(request: PlanRequest, version: bigint, dirty = false) {
  const current = { version, dirty };
  const plan = planMigrations(catalog, current, request);
  return { plan, text: renderDryRun({ request, current, plan, texts, target: 'mysql://root:****@tcp(db)/shop' }) };
}

void test('each step shows its version, direction, file and SQL, in order', () => {
  const { text, plan } = dryRun({ kind: 'up' }, 1n);
  assert.equal(plan.outcome.kind, 'ok');
  assert.equal(
    text,
    [
      '-- Dry run of `up`: nothing has run yet.',
      '-- Database: mysql://root:****@tcp(db)/shop',
      '-- The database is at version 1.',
      '-- Apply 3 migrations: version 1 → 4',
      '',
      '-- Step 1 of 3: version 2 up, leaving the database at version 2: 2/u email (2_email.up.sql)',
      'ALTER TABLE users ADD email TEXT;',
      '',
      '-- Step 2 of 3: version 3 up, leaving the database at version 3: 3/u <empty> (no up file: the version moves, no SQL runs)',
      '',
      '-- Step 3 of 3: version 4 up, leaving the database at version 4: 4/u orders (4_orders.up.sql)',
      'CREATE TABLE orders (id INT);',
      '',
    ].join('\n'),
  );
});

void test('going down below the first migration leaves no version', () => {
  const { text } = dryRun({ kind: 'down', limit: 1 }, 1n);
  assert.match(
    text,
    /Step 1 of 1: version 1 down, leaving the database at no version: 1\/d users \(1_users.down.sql\)\nDROP TABLE users;/,
  );
  assert.equal(describeRequest({ kind: 'down', limit: 1 }), 'down 1');
  assert.equal(describeRequest({ kind: 'goto', version: 4n }), 'goto 4');
});

void test('refusals, no change and a short limit are said plainly', () => {
  const dirty = dryRun({ kind: 'up' }, 2n, true);
  assert.equal(dirty.plan.outcome.kind, 'error');
  assert.match(dirty.text, /at version 2 \(dirty\)\.\n-- Refused, nothing would run: Dirty database version 2\./);
  assert.match(dryRun({ kind: 'up' }, 4n).text, /No change: nothing to run, the database stays at version 4\./);
  const short = dryRun({ kind: 'up', limit: 3 }, 2n);
  assert.equal(short.plan.outcome.kind, 'error');
  assert.match(short.text, /Then it stops with: limit 1 short/);
  assert.match(short.text, /Step 2 of 2/);
});
