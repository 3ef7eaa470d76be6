import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fleetCountsLine, fleetMatrix, fleetRowLine, inShard, parseShard, type Shard } from '../../src/core/fleet';
import {
  exceptionWords,
  fleetCounts,
  fleetCountsWords,
  fleetExceptions,
  standingOf,
  standingWords,
  unreachableStanding,
  type DatabaseStanding,
} from '../../src/core/fleet-status';
import { buildCatalog } from '../../src/core/catalog';
import { migrationStatuses } from '../../src/core/status';

void describe('shards', () => {
  void test('i/N from 0 to N-1; anything else is refused in one line', () => {
    assert.deepEqual(parseShard('0/4'), { shard: { index: 0, count: 4 } });
    assert.deepEqual(parseShard(' 3/4 '), { shard: { index: 3, count: 4 } });
    for (const bad of ['4/4', '1/0', '-1/4', '1', 'a/b', '1/4/2', '']) {
      const parsed = parseShard(bad);
      assert.ok('problem' in parsed, bad);
      assert.match(parsed.problem, /^-shard takes i\/N/);
    }
  });

  void test('N shards split a fleet into disjoint parts that cover it, each a fair share', () => {
    const names = Array.from({ length: 1000 }, (_, index) => `tenant_${String(index).padStart(4, '0')}`);
    const shards: Shard[] = [0, 1, 2, 3].map((index) => ({ index, count: 4 }));
    const parts = shards.map((shard) => names.filter((name) => inShard(name, shard)));
    assert.equal(parts.flat().length, names.length);
    assert.equal(new Set(parts.flat()).size, names.length);
    for (const part of parts) assert.ok(part.length > 200 && part.length < 300, `${part.length}`);
  });

  void test('a database keeps its shard when others are added: the choice is by its name alone', () => {
    const shard = { index: 1, count: 3 };
    const before = ['a', 'b', 'c', 'd', 'e'].filter((name) => inShard(name, shard));
    const after = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].filter((name) => inShard(name, shard));
    assert.deepEqual(
      after.filter((name) => name <= 'e'),
      before,
    );
  });
});

void describe('the summary matrix', () => {
  const rows = [
    {
      database: 'tenant_1',
      from: { version: 7n, dirty: false },
      to: { version: 10n, dirty: false },
      result: 'migrated' as const,
      durationMs: 1234.4,
    },
    {
      database: 'tenant_22',
      from: { version: 10n, dirty: false },
      to: { version: 10n, dirty: false },
      result: 'no-change' as const,
      durationMs: 12,
    },
    {
      database: 'tenant_3',
      from: { version: 8n, dirty: false },
      to: { version: 9n, dirty: true },
      result: 'failed' as const,
      detail: 'migration 9/u failed',
      durationMs: 80,
    },
    { database: 'tenant_4', result: 'unreachable' as const, detail: 'connect ECONNREFUSED', durationMs: 3 },
    { database: 'tenant_5', result: 'not-started' as const },
  ];

  void test('one row per database: from, to, result, time; a line of counts', () => {
    assert.deepEqual(fleetMatrix(rows), [
      'DATABASE   FROM  TO       RESULT       TIME',
      'tenant_1   7     10       migrated     1.234s',
      'tenant_22  10    10       no change    12ms',
      'tenant_3   8     9 dirty  failed       80ms',
      'tenant_4   -     -        unreachable  3ms',
      'tenant_5   -     -        not started  -',
      '',
      '5 databases: 1 migrated, 1 no change, 1 failed, 1 unreachable, 1 not started',
    ]);
  });

  void test('the line printed as each database finishes', () => {
    assert.equal(fleetRowLine(rows[0]), 'tenant_1: 7 -> 10 migrated (1.234s)');
    assert.equal(fleetRowLine(rows[2]), 'tenant_3: 8 -> 9 dirty failed (80ms): migration 9/u failed');
    assert.equal(fleetRowLine(rows[3]), 'tenant_4: unreachable (3ms): connect ECONNREFUSED');
    assert.equal(fleetCountsLine([]), '0 databases');
  });
});

void describe('standings, counts and exceptions', () => {
  const catalog = buildCatalog(
    ['1_a', '2_b', '3_c'].flatMap((name) => [{ name: `${name}.up.sql` }, { name: `${name}.down.sql` }]),
  );
  const at = (database: string, version: bigint, dirty = false, edited = 0): DatabaseStanding =>
    standingOf(database, migrationStatuses(catalog, { version, dirty }), undefined, edited);

  void test('current, behind, dirty, locked, a version with no file, unreachable', () => {
    assert.equal(at('a', 3n).standing, 'current');
    assert.equal(at('b', 1n).standing, 'behind');
    assert.equal(at('b', 1n).pending, 2);
    assert.equal(at('n', -1n).standing, 'behind');
    assert.equal(at('c', 2n, true).standing, 'dirty');
    assert.equal(at('d', 9n).standing, 'unknown-version');
    const locked = standingOf('e', migrationStatuses(catalog, { version: 2n, dirty: true }), { connectionId: 7 }, 0);
    assert.equal(locked.standing, 'locked');
    assert.equal(standingWords(locked), 'v2 dirty · 1 pending · locked by connection 7');
    assert.equal(standingWords(at('b', 1n, false, 1)), 'v1 · 2 pending · 1 edited since applied');
    assert.equal(standingWords(unreachableStanding('f', 'login refused')), 'unreachable: login refused');
  });

  void test('a fleet in counts by standing and version, and its exceptions by name', () => {
    const standings = [
      ...Array.from({ length: 12 }, (_, index) => at(`cur_${index}`, 3n)),
      at('beh_1', 2n),
      at('beh_2', 1n),
      at('dirty_1', 2n, true),
      unreachableStanding('gone', 'Unknown database'),
      at('edit_1', 3n, false, 2),
    ];
    const counts = fleetCounts(standings);
    assert.equal(
      fleetCountsWords(counts),
      '17 databases: 13 current, 2 behind, 1 dirty, 1 unreachable; by version: v3 13, v2 2, v1 1',
    );
    const exceptions = fleetExceptions(standings);
    assert.deepEqual(
      exceptions.map((exception) => exceptionWords(exception)),
      [
        '2 behind: beh_1 (v2, 1 pending), beh_2 (v1, 2 pending)',
        '1 dirty: dirty_1 (v2 dirty)',
        '1 unreachable: gone (Unknown database)',
        '1 with edited files: edit_1 (v3, 2 edited)',
      ],
    );
    const many = fleetExceptions(Array.from({ length: 14 }, (_, index) => at(`b${index}`, 1n)));
    assert.match(exceptionWords(many[0], 3), /^14 behind: b0 \(v1, 2 pending\), b1 .*, b2 .*, \.\.\.and 11 more$/);
  });
});
