import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseUrlError, parseDatabaseUrl } from '../../src/adapters/mysql/dsn';

const BASE = 'mysql://user@tcp(127.0.0.1:3306)/app';

/** Asserts the URL is refused before connecting, in one line that names the parameter. */
function assertRefused(query: string, name: string): void {
  assert.throws(
    () => parseDatabaseUrl(`${BASE}?${query}`),
    (error: unknown) => {
      assert.ok(error instanceof DatabaseUrlError, String(error));
      assert.ok(error.message.includes(`"${name}"`), error.message);
      assert.ok(!error.message.includes('\n'), error.message);
      return true;
    },
    query,
  );
}

void test('a session setting whose value holds a ";" is refused before connecting: it would run as a statement', () => {
  for (const value of ["''%3BDROP%20TABLE%20users", '1;', "'a'%3B%20SELECT%201", '1%20--%20x%0A%3BSELECT%201']) {
    assertRefused(`sql_mode=${value}`, 'sql_mode');
  }
});

void test('a backslash in a quoted value is refused: under NO_BACKSLASH_ESCAPES it ends the string for the server', () => {
  // The first setting turns backslash escapes off; the second one's \' then closes its string and the rest runs.
  const bypass = `sql_mode=%27NO_BACKSLASH_ESCAPES%27&autocommit=${encodeURIComponent("'\\'=''; CREATE TABLE pwn (id int); #'")}`;
  assertRefused(bypass, 'autocommit');
  for (const value of ["'a\\'", "'\\\\'", '"a\\"', "'a\\'; SELECT 1; #'"]) {
    assertRefused(`time_zone=${encodeURIComponent(value)}`, 'time_zone');
  }
});

void test('only a number, a word or a quoted string without its own quote inside is a session value', () => {
  for (const value of [
    '',
    "'a''b'",
    '"a""b"',
    "'unterminated",
    "'a' 'b'",
    "'a'||'b'",
    'A,B',
    'READ-COMMITTED',
    '(SELECT 1)',
    '@@sql_mode',
    '`ident`',
    '1 + 1',
    "CONCAT('a')",
    '1e',
    '--1',
  ]) {
    assertRefused(`sql_mode=${encodeURIComponent(value)}`, 'sql_mode');
  }
});

void test('what real URLs use stays a session setting, verbatim', () => {
  const settings: [string, string][] = [
    ['sql_mode', "'ANSI_QUOTES;X'"],
    ['time_zone', "'+00:00'"],
    ['autocommit', '1'],
    ['sql_mode', "'STRICT_TRANS_TABLES,NO_ZERO_DATE'"],
    ['time_zone', '"Europe/Paris"'],
    ['transaction_isolation', "'READ-COMMITTED'"],
    ['foreign_key_checks', 'OFF'],
    ['sql_mode', 'TRADITIONAL'],
    ['sql_mode', 'DEFAULT'],
    ['sql_mode', "''"],
    ['max_execution_time', '0'],
    ['long_query_time', '1.5'],
    ['auto_increment_offset', '-1'],
    ['net_read_timeout', '+60'],
  ];
  for (const [name, value] of settings) {
    const config = parseDatabaseUrl(`${BASE}?${name}=${encodeURIComponent(value)}`);
    assert.deepEqual(config.sessionSettings, [{ name, value }]);
  }
});
