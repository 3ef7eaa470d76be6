import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseUrlError, parseDatabaseUrl } from '../../src/adapters/mysql/dsn';

const BASE = 'mysql://user@tcp(127.0.0.1:3306)/app';

void test('a session setting whose value holds a ";" is refused before connecting: it would run as a statement', () => {
  for (const value of ["''%3BDROP%20TABLE%20users", '1;', "'a'%3B%20SELECT%201", '1%20--%20x%0A%3BSELECT%201']) {
    assert.throws(
      () => parseDatabaseUrl(`${BASE}?sql_mode=${value}`),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseUrlError);
        assert.match(error.message, /value of "sql_mode" in the database URL holds a ";"/);
        return true;
      },
    );
  }
});

void test('values with ";" inside quotes, and ordinary values, stay session settings', () => {
  const config = parseDatabaseUrl(`${BASE}?sql_mode=%27ANSI_QUOTES%3BX%27&time_zone=%27%2B00:00%27&autocommit=1`);
  assert.deepEqual(
    config.sessionSettings.map((setting) => [setting.name, setting.value]),
    [
      ['sql_mode', "'ANSI_QUOTES;X'"],
      ['time_zone', "'+00:00'"],
      ['autocommit', '1'],
    ],
  );
});
