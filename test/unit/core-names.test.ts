import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareFileNames, explainIgnoredFileName, parseMigrationFileName } from '../../src/core/names';

type Parsed = [version: bigint, identifier: string, direction: 'up' | 'down', extension: string];

const matching: [string, Parsed][] = [
  ['000042_add_email.up.sql', [42n, 'add_email', 'up', 'sql']],
  ['000042_add_email.down.sql', [42n, 'add_email', 'down', 'sql']],
  ['1_x.up.sql', [1n, 'x', 'up', 'sql']],
  ['001_x.up.sql', [1n, 'x', 'up', 'sql']],
  ['0_zero.up.sql', [0n, 'zero', 'up', 'sql']],
  ['11_a.b.c.up.sql', [11n, 'a.b.c', 'up', 'sql']],
  ['1_a.up.sql.bak', [1n, 'a', 'up', 'sql.bak']],
  ['14_y.up.', [14n, 'y', 'up', '']],
  ['2_.up.sql', [2n, '', 'up', 'sql']],
  ['3_.down.', [3n, '', 'down', '']],
  ['4_create users.up.sql', [4n, 'create users', 'up', 'sql']],
  ['5_x.up.SQL', [5n, 'x', 'up', 'SQL']],
  ['6_x.up.txt', [6n, 'x', 'up', 'txt']],
  ['7_a.up.b.down.sql', [7n, 'a.up.b', 'down', 'sql']],
  ['8_a.down.b.up.sql', [8n, 'a.down.b', 'up', 'sql']],
  ['9_x.up.up.sql', [9n, 'x.up', 'up', 'sql']],
  ['10_x.up.sql.up.', [10n, 'x.up.sql', 'up', '']],
  ['12__x.up.sql', [12n, '_x', 'up', 'sql']],
  ['13_x_y_z.down.sql', [13n, 'x_y_z', 'down', 'sql']],
  ['20240101120000_init.up.sql', [20240101120000n, 'init', 'up', 'sql']],
  ['1700000000000000000_nano.up.sql', [1700000000000000000n, 'nano', 'up', 'sql']],
  ['18446744073709551615_max.up.sql', [18446744073709551615n, 'max', 'up', 'sql']],
  ['0018446744073709551615_padded.up.sql', [18446744073709551615n, 'padded', 'up', 'sql']],
  ['15_ünïcödé.up.sql', [15n, 'ünïcödé', 'up', 'sql']],
  ['16_x.up.sql\r', [16n, 'x', 'up', 'sql\r']],
  ['17_x\u2028y.up.sql', [17n, 'x\u2028y', 'up', 'sql']],
  ['18_x.up.tar.gz', [18n, 'x', 'up', 'tar.gz']],
];

const ignored = [
  '13_x.UP.sql',
  '13_x.Down.sql',
  'README.md',
  '',
  '_x.up.sql',
  'x1_a.up.sql',
  '1.up.sql',
  '1x_a.up.sql',
  '1-a.up.sql',
  '1 _a.up.sql',
  ' 1_a.up.sql',
  '1_a.up',
  '1_a.upsql',
  '1_a.sql',
  '1_a_up.sql',
  '1_a.up-sql',
  '18446744073709551616_overflow.up.sql',
  '99999999999999999999_overflow.up.sql',
  '1_a\n.up.sql',
  '1_a.up.sql\n',
  '-1_neg.up.sql',
  '+1_pos.up.sql',
  '١_arabic_digit.up.sql',
];

void describe('parseMigrationFileName', () => {
  for (const [name, [version, identifier, direction, extension]] of matching) {
    void test(`matches ${JSON.stringify(name)}`, () => {
      assert.deepEqual(parseMigrationFileName(name), { fileName: name, version, identifier, direction, extension });
    });
  }
  for (const name of ignored) {
    void test(`ignores ${JSON.stringify(name)}`, () => {
      assert.equal(parseMigrationFileName(name), undefined);
      assert.equal(typeof explainIgnoredFileName(name), 'string');
    });
  }
});

void describe('explainIgnoredFileName', () => {
  void test('says nothing for a matching name', () => {
    assert.equal(explainIgnoredFileName('1_a.up.sql'), undefined);
  });
  void test('names the cause', () => {
    assert.match(explainIgnoredFileName('13_x.UP.sql')!, /lower case/);
    assert.match(explainIgnoredFileName('1-a.up.sql')!, /not followed by "_"/);
    assert.match(explainIgnoredFileName('README.md')!, /does not start with a version/);
    assert.match(explainIgnoredFileName('18446744073709551616_a.up.sql')!, /64-bit/);
    assert.match(explainIgnoredFileName('1_a.up')!, /followed by "\." and an extension/);
    assert.match(explainIgnoredFileName('1_a.sql')!, /no "\.up\." or "\.down\."/);
  });
});

void describe('compareFileNames', () => {
  void test('orders by code point like Go orders bytes', () => {
    const names = ['b', 'a', 'B', '\uffff', '\u{1f600}', 'ab', 'a'];
    assert.deepEqual(names.sort(compareFileNames), ['B', 'a', 'a', 'ab', 'b', '\uffff', '\u{1f600}']);
  });
});
