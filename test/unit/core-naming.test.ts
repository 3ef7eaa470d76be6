import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MigrationLensError } from '../../src/core/errors';
import { type CreateRequest, formatGoTime, nextMigrationNames } from '../../src/core/naming';

/** 2024-03-05T07:08:09.012345678Z */
const NOW = BigInt(Date.UTC(2024, 2, 5, 7, 8, 9)) * 1_000_000n + 12_345_678n;

const create = (request: Partial<CreateRequest>) =>
  nextMigrationNames({ existingFileNames: [], name: 'add_users', ext: 'sql', nowEpochNanoseconds: NOW, ...request });

function assertFails(request: Partial<CreateRequest>, code: string, message: RegExp) {
  assert.throws(
    () => create(request),
    (error: unknown) => error instanceof MigrationLensError && error.code === code && message.test(error.message),
  );
}

void describe('sequential', () => {
  void test('first migration is 000001', () => {
    assert.deepEqual(create({ options: { seq: true } }), {
      version: '000001',
      up: '000001_add_users.up.sql',
      down: '000001_add_users.down.sql',
    });
  });
  void test('one more than the lexicographically last name with the extension', () => {
    const existingFileNames = ['000001_a.up.sql', '000002_b.up.sql', '000002_b.down.sql', '9_notes.txt', 'README.md'];
    assert.equal(create({ existingFileNames, options: { seq: true } }).version, '000003');
  });
  void test('lexicographic, not numeric: 10 sorts before 9 without padding', () => {
    assert.equal(
      create({ existingFileNames: ['9_a.up.sql', '10_b.up.sql'], options: { seq: true } }).version,
      '000010',
    );
  });
  void test('digits pads and limits', () => {
    assert.equal(create({ options: { seq: true, digits: 3 } }).up, '001_add_users.up.sql');
    assertFails(
      { existingFileNames: ['999_a.up.sql'], options: { seq: true, digits: 3 } },
      'sequence-too-large',
      /^Next sequence number 1000 too large\. At most 3 digits are allowed/,
    );
    assertFails({ options: { seq: true, digits: 0 } }, 'invalid-sequence-width', /^Digits must be positive/);
  });
  void test('a malformed last name stops create', () => {
    assertFails(
      { existingFileNames: ['1_a.up.sql', 'zz.sql'], options: { seq: true } },
      'malformed-migration-file-name',
      /^Malformed migration filename: zz\.sql/,
    );
    assertFails(
      { existingFileNames: ['_x.sql'], options: { seq: true } },
      'malformed-migration-file-name',
      /^Malformed migration filename: _x\.sql/,
    );
    assertFails(
      { existingFileNames: ['v1_x.sql'], options: { seq: true } },
      'malformed-migration-file-name',
      /invalid syntax/,
    );
  });
  void test('seq and format are exclusive, unless format is the default', () => {
    assertFails({ options: { seq: true, format: 'unix' } }, 'incompatible-seq-and-format', /mutually exclusive/);
    assert.equal(create({ options: { seq: true, format: '20060102150405' } }).version, '000001');
  });
});

void describe('timestamps', () => {
  void test('default layout is YYYYMMDDhhmmss in UTC', () => {
    assert.deepEqual(create({}), {
      version: '20240305070809',
      up: '20240305070809_add_users.up.sql',
      down: '20240305070809_add_users.down.sql',
    });
  });
  void test('in another zone', () => {
    assert.equal(create({ options: { timeZone: 'America/New_York' } }).version, '20240305020809');
    assert.equal(create({ options: { timeZone: 'Asia/Kolkata' } }).version, '20240305123809');
    assert.equal(create({ options: { timeZone: '' } }).version, '20240305070809');
  });
  void test('unix and unixNano', () => {
    assert.equal(create({ options: { format: 'unix' } }).version, '1709622489');
    assert.equal(create({ options: { format: 'unixNano' } }).version, '1709622489012345678');
    assert.equal(create({ options: { format: 'unix' }, nowEpochNanoseconds: -1n }).version, '-1');
  });
  void test('errors: empty format, unknown zone, missing extension, existing version', () => {
    assertFails({ options: { format: '' } }, 'empty-time-format', /^Time format may not be empty/);
    assertFails({ options: { timeZone: 'Mars/Olympus' } }, 'unknown-time-zone', /Mars\/Olympus/);
    assertFails({ ext: '' }, 'missing-extension', /-ext/);
    assertFails(
      { existingFileNames: ['20240305070809_other.down.sql'] },
      'duplicate-migration-version',
      /^duplicate migration version: 20240305070809/,
    );
  });
  void test('the extension may start with a dot; other extensions do not clash', () => {
    assert.equal(create({ ext: '.sql' }).up, '20240305070809_add_users.up.sql');
    assert.equal(
      create({ ext: 'cql', existingFileNames: ['20240305070809_x.up.sql'] }).up,
      '20240305070809_add_users.up.cql',
    );
  });
});

void describe('formatGoTime', () => {
  void test('Go layout elements and literal text', () => {
    assert.equal(formatGoTime(NOW, '2006-01-02T15:04:05.000Z07:00'), '2024-03-05T07:08:09.012Z');
    assert.equal(
      formatGoTime(NOW, 'Mon Jan _2 3:4:5 PM 06 .999999999 -0700 002'),
      'Tue Mar  5 7:8:9 AM 24 .012345678 +0000 065',
    );
    assert.equal(formatGoTime(NOW, 'Monday, January 2, 2006 at 03pm'), 'Tuesday, March 5, 2024 at 07am');
    assert.equal(formatGoTime(NOW, 'v2006_01'), 'v2024_03');
    assert.equal(formatGoTime(NOW, '_2006'), '_2024');
    assert.equal(formatGoTime(NOW, 'Janet'), 'Janet');
    assert.equal(formatGoTime(NOW, '15.9'), '07');
    assert.equal(formatGoTime(NOW, 'MST'), 'UTC');
  });
  void test('zone offsets', () => {
    assert.equal(formatGoTime(NOW, '15:04 -07:00 Z0700 -07', 'Asia/Kolkata'), '12:38 +05:30 +0530 +05');
    assert.equal(formatGoTime(NOW, '2006-01-02 15:04 MST', 'America/New_York'), '2024-03-05 02:08 EST');
    assert.equal(formatGoTime(NOW, 'MST', 'Europe/Paris'), '+0100');
  });
});
