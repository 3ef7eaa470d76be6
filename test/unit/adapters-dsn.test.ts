import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DatabaseUrlError,
  parseDatabaseUrl,
  redactDatabaseUrl,
  redactDatabaseUrlsIn,
} from '../../src/adapters/mysql/dsn';

const endpointCases: [string, unknown][] = [
  ['mysql://root@tcp(127.0.0.1:3306)/app', { kind: 'tcp', host: '127.0.0.1', port: 3306 }],
  ['mysql://root@tcp(db.internal:3307)/app', { kind: 'tcp', host: 'db.internal', port: 3307 }],
  ['mysql://root@tcp(db.internal)/app', { kind: 'tcp', host: 'db.internal', port: 3306 }],
  ['mysql://root@tcp/app', { kind: 'tcp', host: '127.0.0.1', port: 3306 }],
  ['mysql://root@/app', { kind: 'tcp', host: '127.0.0.1', port: 3306 }],
  ['mysql:///app', { kind: 'tcp', host: '127.0.0.1', port: 3306 }],
  ['mysql://root@tcp([::1]:3310)/app', { kind: 'tcp', host: '::1', port: 3310 }],
  ['mysql://root@tcp([::1])/app', { kind: 'tcp', host: '::1', port: 3306 }],
  ['mysql://root@unix(/run/mysqld/mysqld.sock)/app', { kind: 'unix', socketPath: '/run/mysqld/mysqld.sock' }],
  ['mysql://root@unix/app', { kind: 'unix', socketPath: '/tmp/mysql.sock' }],
  ['mysql://root:secret@db.example:3308/app', { kind: 'tcp', host: 'db.example', port: 3308 }],
  ['mysql://root:secret@db.example/app', { kind: 'tcp', host: 'db.example', port: 3306 }],
];

for (const [url, endpoint] of endpointCases) {
  void test(`endpoint of ${url}`, () => {
    assert.deepEqual(parseDatabaseUrl(url).endpoint, endpoint);
  });
}

void test('user, password and database of the canonical form', () => {
  const config = parseDatabaseUrl('mysql://alice:s3cret@tcp(localhost:3306)/shop');
  assert.equal(config.user, 'alice');
  assert.equal(config.password, 's3cret');
  assert.equal(config.database, 'shop');
  assert.equal(config.migrationsTable, 'schema_migrations');
  assert.equal(config.noLock, false);
  assert.equal(config.statementTimeoutMs, undefined);
  assert.equal(config.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS);
  assert.deepEqual(config.tls, { kind: 'off' });
  assert.deepEqual(config.sessionSettings, []);
});

void test('a password with @, : and / percent-encoded is decoded', () => {
  const config = parseDatabaseUrl('mysql://app:p%40ss%3Aw%2Frd@tcp(127.0.0.1:3306)/shop');
  assert.equal(config.password, 'p@ss:w/rd');
  assert.equal(config.user, 'app');
  assert.equal(config.database, 'shop');
});

void test('a password with unescaped @ and / is split like go-sql-driver (last @ before the database slash)', () => {
  const config = parseDatabaseUrl('mysql://app:p@ss/w@tcp(127.0.0.1:3306)/shop');
  assert.equal(config.password, 'p@ss/w');
  assert.equal(config.database, 'shop');
});

void test('a password holding a colon keeps it (user ends at the first colon)', () => {
  assert.equal(parseDatabaseUrl('mysql://app:a:b:c@tcp(h:1)/d').password, 'a:b:c');
});

void test('+ in user and password is a space, in the database name it stays', () => {
  const config = parseDatabaseUrl('mysql://my+user:pa+ss@tcp(h)/db+name');
  assert.equal(config.user, 'my user');
  assert.equal(config.password, 'pa ss');
  assert.equal(config.database, 'db+name');
});

void test('a user without a password', () => {
  const config = parseDatabaseUrl('mysql://root@tcp(h:3306)/d');
  assert.equal(config.user, 'root');
  assert.equal(config.password, '');
});

void test('an empty password after the colon', () => {
  assert.equal(parseDatabaseUrl('mysql://root:@tcp(h:3306)/d').password, '');
});

void test('no database name leaves it empty (the server current database is used)', () => {
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h:3306)/').database, '');
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h:3306)/?x-no-lock=true').database, '');
});

void test('percent-encoded database name', () => {
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/my%2Ddb').database, 'my-db');
});

void test('x-migrations-table, x-no-lock and x-statement-timeout', () => {
  const config = parseDatabaseUrl(
    'mysql://root@tcp(h)/d?x-migrations-table=my_migrations&x-no-lock=true&x-statement-timeout=2500',
  );
  assert.equal(config.migrationsTable, 'my_migrations');
  assert.equal(config.noLock, true);
  assert.equal(config.statementTimeoutMs, 2500);
  assert.deepEqual(config.sessionSettings, []);
});

void test('x-no-lock accepts Go booleans and rejects others', () => {
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?x-no-lock=1').noLock, true);
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?x-no-lock=F').noLock, false);
  assert.throws(() => parseDatabaseUrl('mysql://root@tcp(h)/d?x-no-lock=yes'), /could not parse x-no-lock as bool/);
});

void test('x-statement-timeout must be whole milliseconds', () => {
  assert.throws(() => parseDatabaseUrl('mysql://root@tcp(h)/d?x-statement-timeout=1s'), /whole number of milliseconds/);
});

void test('an x-statement-timeout or timeout longer than a timer can wait means no practical limit', () => {
  const statementTimeout = (value: string) =>
    parseDatabaseUrl(`mysql://root@tcp(h)/d?x-statement-timeout=${value}`).statementTimeoutMs;
  assert.equal(statementTimeout('2147483647'), 2_147_483_647);
  for (const value of ['2147483648', '3000000000', '99999999999999999999999']) {
    assert.equal(statementTimeout(value), undefined, value);
  }
  // Node fires a timer of 2^31 ms or more after 1 ms: a connect timeout that long must not become 1 ms.
  for (const value of ['596h', '720h', '100000h']) {
    const connectTimeoutMs = parseDatabaseUrl(`mysql://root@tcp(h)/d?timeout=${value}`).connectTimeoutMs;
    assert.ok(connectTimeoutMs >= 2_000_000_000 && connectTimeoutMs <= 2_147_483_647, `${value}: ${connectTimeoutMs}`);
  }
});

void test('session settings are kept in order with their values decoded', () => {
  const config = parseDatabaseUrl("mysql://root@tcp(h)/d?time_zone=%27%2B00%3A00%27&sql_mode='ANSI_QUOTES'");
  assert.deepEqual(config.sessionSettings, [
    { name: 'time_zone', value: "'+00:00'" },
    { name: 'sql_mode', value: "'ANSI_QUOTES'" },
  ]);
});

void test('go-sql-driver client parameters are not session settings', () => {
  const config = parseDatabaseUrl(
    'mysql://root@tcp(h)/d?parseTime=true&multiStatements=true&loc=Local&readTimeout=5s&interpolateParams=true',
  );
  assert.deepEqual(config.sessionSettings, []);
});

void test('charset takes the first of the list; collation wins over charset', () => {
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?charset=utf8mb4,utf8').charset, 'utf8mb4');
  assert.equal(
    parseDatabaseUrl('mysql://root@tcp(h)/d?charset=utf8mb4&collation=utf8mb4_unicode_ci').charset,
    'utf8mb4_unicode_ci',
  );
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d').charset, undefined);
});

void test('timeout is a Go duration and becomes the connect timeout', () => {
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?timeout=5s').connectTimeoutMs, 5000);
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?timeout=250ms').connectTimeoutMs, 250);
  assert.equal(parseDatabaseUrl('mysql://root@tcp(h)/d?timeout=1m30s').connectTimeoutMs, 90_000);
  assert.throws(() => parseDatabaseUrl('mysql://root@tcp(h)/d?timeout=5'), /invalid timeout "5"/);
});

void test('tls modes', () => {
  assert.deepEqual(parseDatabaseUrl('mysql://root@tcp(h)/d?tls=true').tls, { kind: 'verify' });
  assert.deepEqual(parseDatabaseUrl('mysql://root@tcp(h)/d?tls=false').tls, { kind: 'off' });
  assert.deepEqual(parseDatabaseUrl('mysql://root@tcp(h)/d?tls=skip-verify').tls, { kind: 'skip-verify' });
  assert.deepEqual(parseDatabaseUrl('mysql://root@tcp(h)/d?tls=preferred').tls, { kind: 'preferred' });
});

void test('tls=custom with x-tls-* files, unescaped slashes in the values accepted', () => {
  const config = parseDatabaseUrl(
    'mysql://root:pw@tcp(h:3306)/d?tls=custom&x-tls-ca=/etc/ssl/ca.pem&x-tls-cert=/etc/ssl/c.pem&x-tls-key=/etc/ssl/k.pem&x-tls-insecure-skip-verify=true',
  );
  assert.equal(config.database, 'd');
  assert.equal(config.password, 'pw');
  assert.deepEqual(config.tls, {
    kind: 'custom',
    name: 'custom',
    caFile: '/etc/ssl/ca.pem',
    certFile: '/etc/ssl/c.pem',
    keyFile: '/etc/ssl/k.pem',
    insecureSkipVerify: true,
  });
});

void test('tls=custom needs a CA file, and a certificate needs its key', () => {
  assert.throws(() => parseDatabaseUrl('mysql://root@tcp(h)/d?tls=custom'), /needs x-tls-ca/);
  assert.throws(
    () => parseDatabaseUrl('mysql://root@tcp(h)/d?tls=custom&x-tls-ca=ca.pem&x-tls-cert=c.pem'),
    /both x-tls-cert and x-tls-key/,
  );
});

void test('parameters without "=" are skipped, as Go does', () => {
  const config = parseDatabaseUrl('mysql://root@tcp(h)/d?flag&x-no-lock=true');
  assert.equal(config.noLock, true);
  assert.deepEqual(config.sessionSettings, []);
});

const rejected: [string, RegExp][] = [
  ['postgres://root@localhost/d', /must start with mysql:\/\//],
  ['mysql://root@tcp(h:3306)', /no "\/" before the database name/],
  ['mysql://root@tcp(h:3306/d', /not closed by "\)"/],
  ['mysql://root@udp(h:3306)/d', /unknown network in the database URL/],
  ['mysql://root@tcp(h:99999)/d', /invalid port in the database URL/],
  ['mysql://root@tcp(::1)/d', /IPv6 address .* brackets/],
  ['mysql://root:bad%zzpw@tcp(h)/d', /invalid percent-encoding in the password/],
  ['mysql://root@tcp(h)/d?sql-mode=1', /not a valid system variable name/],
];

for (const [url, message] of rejected) {
  void test(`rejects ${url} with one clear line`, () => {
    assert.throws(
      () => parseDatabaseUrl(url),
      (error: unknown) =>
        error instanceof DatabaseUrlError && message.test(error.message) && !error.message.includes('\n'),
    );
  });
}

void test('errors never contain the password', () => {
  const secrets = ['Hunter2x', 'p%40ss%3Aw%2Frd'];
  for (const secret of secrets) {
    for (const tail of ['tcp(h:0)/d', 'udp(h)/d', 'tcp(h)/d?timeout=zz', 'tcp(h)/d?tls=custom', 'tcp(h']) {
      try {
        parseDatabaseUrl(`mysql://user:${secret}@${tail}`);
      } catch (error) {
        assert.ok(error instanceof DatabaseUrlError);
        assert.ok(!error.message.includes(secret), error.message);
        assert.ok(!error.message.includes('p@ss'), error.message);
        continue;
      }
      assert.fail(`expected ${tail} to be rejected`);
    }
  }
});

/** Where a password goes in URLs that are wrong: a forgotten `@` or host, a bad address, port or parameter. */
const MISTAKES: ((password: string) => string)[] = [
  (password) => `mysql://user:${password}(127.0.0.1:3306)/db`,
  (password) => `mysql://user:${password}tcp(127.0.0.1:3306)/db`,
  (password) => `mysql://user:${password}/db`,
  (password) => `mysql://user:${password}/`,
  (password) => `mysql://user:${password}`,
  (password) => `mysql:/user:${password}@tcp(h)/db`,
  (password) => `user:${password}@tcp(h)/db`,
  (password) => `postgres://user:${password}@h/db`,
  (password) => `mysql://user:${password}@tcp(h:0)/db`,
  (password) => `mysql://user:${password}@tcp(h:port)/db`,
  (password) => `mysql://user:${password}@h:99999/db`,
  (password) => `mysql://user:${password}@udp(h)/db`,
  (password) => `mysql://user:${password}@tcp(h/db`,
  (password) => `mysql://user:${password}@tcp(::1)/db`,
  (password) => `mysql://user:${password}@tcp(h:3306)`,
  (password) => `mysql://user:${password}%zz@tcp(h)/db`,
  (password) => `mysql://user:${password}@tcp(h)/db?x-no-lock=maybe`,
  (password) => `mysql://user:${password}@tcp(h)/db?x-statement-timeout=soon`,
  (password) => `mysql://user:${password}@tcp(h)/db?timeout=zz`,
  (password) => `mysql://user:${password}@tcp(h)/db?tls=custom`,
  (password) => `mysql://user:${password}@tcp(h)/db?x-tls-ca=ca.pem&tls=custom&x-tls-cert=c.pem`,
  (password) => `mysql://user:${password}@tcp(h)/db?1bad=1`,
  (password) => `mysql://user:${password}@tcp(h)/db?sql_mode=a%20b`,
  (password) => `mysql://user:${password}@tcp(h)/db?time_zone=%zz`,
];

/** The message parsing `url` fails with, or undefined when it parses; any other error fails the test. */
function urlErrorOf(url: string): string | undefined {
  try {
    parseDatabaseUrl(url);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DatabaseUrlError, `${url}: ${String(error)}`);
    assert.ok(!error.message.includes('\n'), error.message);
    return error.message;
  }
}

void test('a password such as "1", "a" or "version" is never echoed: each message reads as with any other password', () => {
  for (const mistake of MISTAKES) {
    const reference = urlErrorOf(mistake('Hunter2x'));
    for (const password of ['SECRET', '1', 'a', 'version', 'database', 'URL', 'port', 'tcp']) {
      assert.equal(urlErrorOf(mistake(password)), reference, mistake(password));
    }
  }
  assert.doesNotMatch(urlErrorOf('mysql://user:SECRET(127.0.0.1:3306)/db') ?? '', /SECRET/);
  assert.doesNotMatch(urlErrorOf('mysql://user:SECRET/db') ?? '', /SECRET/);
  // Parsed as host "user" and port 1, the password would be shown as the port of every connection error.
  assert.ok(urlErrorOf('mysql://user:1/db') !== undefined, 'a host:port form without user@ is refused');
});

/** A small deterministic generator (mulberry32), so a failing case can be run again. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

void test('fuzz: random passwords in wrong URLs, written raw or percent-encoded, never come back in a message', () => {
  const random = randomSource(20_260_101);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@:/?#%()&=+!$*,;[] \'"_.~-';
  let refused = 0;
  for (let round = 0; round < 400; round++) {
    const length = 6 + Math.floor(random() * 12);
    const password = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const written = random() < 0.5 ? password : encodeURIComponent(password);
    for (const mistake of MISTAKES) {
      const message = urlErrorOf(mistake(written));
      if (message === undefined) continue;
      refused++;
      for (const text of new Set([password, written])) {
        for (let at = 0; at + 5 <= text.length; at++) {
          const piece = text.slice(at, at + 5);
          assert.ok(!message.includes(piece), `"${piece}" of the password in: ${message}\nURL: ${mistake(written)}`);
        }
      }
    }
  }
  assert.ok(refused > 400 * (MISTAKES.length - 4), `${refused} of the URLs were refused`);
});

void test('redactDatabaseUrl hides the password only', () => {
  assert.equal(
    redactDatabaseUrl('mysql://app:p%40ss%3Aw%2Frd@tcp(127.0.0.1:3306)/shop?x-no-lock=true'),
    'mysql://app:****@tcp(127.0.0.1:3306)/shop?x-no-lock=true',
  );
  assert.equal(redactDatabaseUrl('mysql://app:p@ss/w@tcp(h)/d'), 'mysql://app:****@tcp(h)/d');
  assert.equal(redactDatabaseUrl('mysql://root@tcp(h)/d'), 'mysql://root@tcp(h)/d');
  assert.equal(redactDatabaseUrl('mysql://root:pw@host'), 'mysql://root:****@host');
  assert.equal(redactDatabaseUrl('not a url'), 'not a url');
  assert.equal(
    redactDatabaseUrl('mysql://u:pw@tcp(h)/d?tls=custom&x-tls-ca=/etc/ca.pem'),
    'mysql://u:****@tcp(h)/d?tls=custom&x-tls-ca=/etc/ca.pem',
  );
});

void test('redactDatabaseUrlsIn hides the password of each URL in a text by position, and changes nothing else', () => {
  assert.equal(
    redactDatabaseUrlsIn('cannot read mysql://app:1@tcp(h:1)/v1 (version 1); also "MYSQL://b:1@h/d".'),
    'cannot read mysql://app:****@tcp(h:1)/v1 (version 1); also "MYSQL://b:****@h/d".',
  );
  assert.equal(
    redactDatabaseUrlsIn('Dirty database version 1. Fix and force version.'),
    'Dirty database version 1. Fix and force version.',
  );
  assert.equal(redactDatabaseUrlsIn('mysql://root@tcp(h)/d and mysql://'), 'mysql://root@tcp(h)/d and mysql://');
});
