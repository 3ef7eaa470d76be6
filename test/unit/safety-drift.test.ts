import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog';
import { checksumsOf } from '../../src/core/safety-checksum';
import { driftLabel, driftOf, driftVerdicts, type LedgerEntry } from '../../src/core/safety-drift';

const RAN = 'CREATE TABLE users (id INT PRIMARY KEY);\n';

function applied(version: bigint, text: string): LedgerEntry {
  const { raw, normalized } = checksumsOf(text);
  return {
    version,
    state: 'applied',
    upChecksum: raw,
    upChecksumNormalized: normalized,
    appliedAt: new Date('2026-01-02T03:04:05Z'),
  };
}

void test('an up file unchanged since it ran has no message', () => {
  const verdict = driftOf(1n, '1_users.up.sql', RAN, applied(1n, RAN));
  assert.equal(verdict.kind, 'unchanged');
  assert.equal(verdict.message, undefined);
  assert.equal(driftLabel(verdict.kind), undefined);
});

void test('a re-formatted or re-commented file is information, an edited one a warning', () => {
  const reformatted = driftOf(
    1n,
    '1_users.up.sql',
    '-- users\nCREATE TABLE users (\n  id INT PRIMARY KEY\n);\n',
    applied(1n, RAN),
  );
  assert.equal(reformatted.kind, 'reformatted');
  assert.equal(reformatted.severity, 'info');
  const edited = driftOf(1n, '1_users.up.sql', RAN.replace('INT', 'BIGINT'), applied(1n, RAN));
  assert.equal(edited.kind, 'edited');
  assert.equal(edited.severity, 'warning');
  assert.match(edited.message!, /edited after it was applied on 2026-01-02T03:04:05.000Z/);
});

void test('a version with no ledger row, or whose last run failed or was rolled back, was applied outside', () => {
  for (const entry of [
    undefined,
    { ...applied(1n, RAN), state: 'failed' as const },
    { version: 1n, state: 'reverted' as const },
  ]) {
    const verdict = driftOf(1n, '1_users.up.sql', RAN, entry);
    assert.equal(verdict.kind, 'outside');
    assert.equal(verdict.severity, 'info');
    assert.equal(driftLabel(verdict.kind), 'applied outside Migration Lens');
  }
});

void test('verdicts cover applied versions with an up file, not pending or dirty ones', () => {
  const catalog = buildCatalog(
    ['1_a.up.sql', '2_b.up.sql', '2_b.down.sql', '3_c.down.sql', '4_d.up.sql', '5_e.up.sql'].map((name) => ({ name })),
  );
  const contents = new Map([
    ['1_a.up.sql', 'SELECT 1'],
    ['2_b.up.sql', 'SELECT 2'],
    ['4_d.up.sql', 'SELECT 4'],
    ['5_e.up.sql', 'SELECT 5'],
  ]);
  const ledger = [applied(1n, 'SELECT 1'), applied(2n, 'SELECT  2 -- same'), applied(4n, 'SELECT 40')];
  const verdicts = driftVerdicts(catalog, { version: 4n, dirty: false }, contents, ledger);
  assert.deepEqual(
    verdicts.map((verdict) => [verdict.version, verdict.kind]),
    [
      [1n, 'unchanged'],
      [2n, 'reformatted'],
      [4n, 'edited'],
    ],
  );
  const dirty = driftVerdicts(catalog, { version: 4n, dirty: true }, contents, ledger);
  assert.deepEqual(
    dirty.map((verdict) => verdict.version),
    [1n, 2n],
  );
  assert.deepEqual(driftVerdicts(catalog, { version: -1n, dirty: false }, contents, ledger), []);
  assert.deepEqual(
    driftVerdicts(catalog, { version: 4n, dirty: false }, contents, undefined),
    [],
    'no ledger, no verdict',
  );
});
