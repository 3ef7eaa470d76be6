import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { verifyFolder } from '../../src/adapters/verify-migrations';
import {
  MysqlScratchDatabase,
  readRealDatabase,
  ScratchAccountRefusedError,
  withScratchDatabase,
} from '../../src/adapters/verify-scratch-database';
import { scratchAccountName, scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { createTestDatabase, TEST_SERVER, waitFor, type TestDatabase } from './support';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/verify');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('verify_scratch');
});

after(async () => {
  await db.drop();
});

/** The hosts of the accounts named `name` on the server. */
async function accountHosts(name: string): Promise<string[]> {
  const [rows] = await db.sql.query('SELECT Host AS host FROM mysql.user WHERE User = ?', [name]);
  return (rows as { host: string }[]).map((row) => row.host);
}

/** The host the server sees this test's connections at, as the host part of `USER()`. */
async function clientHost(): Promise<string> {
  const [[row]] = (await db.sql.query('SELECT USER() AS client')) as unknown as [{ client: string }[]];
  return row.client.slice(row.client.lastIndexOf('@') + 1);
}

/** A URL of the test database for `user` (no password). */
function urlOf(user: string): string {
  return `mysql://${user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
}

async function databasesStartingWith(prefix: string): Promise<{ name: string; charset: string; collation: string }[]> {
  const [rows] = await db.sql.query(
    'SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation ' +
      'FROM information_schema.SCHEMATA',
  );
  return (rows as { name: string; charset: string; collation: string }[]).filter((row) => row.name.startsWith(prefix));
}

void test('reads the real database: its collation and the server databases, writing nothing', async () => {
  const real = await readRealDatabase(parseDatabaseUrl(db.url));
  assert.equal(real.name, db.name);
  assert.equal(real.characterSet, 'utf8mb4');
  assert.equal(real.collation, 'utf8mb4_unicode_ci');
  assert.ok(real.serverDatabases.includes(db.name));
  const [tables] = await db.sql.query('SHOW TABLES');
  assert.deepEqual(tables, []);
});

void test('the scratch database has the real database character set and collation, and is dropped after', async () => {
  const real = { name: db.name, characterSet: 'latin1', collation: 'latin1_swedish_ci', serverDatabases: [] };
  const seen = await withScratchDatabase(parseDatabaseUrl(db.url), real, undefined, async (scratch) => {
    assert.match(scratch.name, new RegExp(`^ml_verify_${db.name.slice(0, 20)}.*_[0-9a-f]{8}$`));
    return databasesStartingWith(scratch.name);
  });
  assert.deepEqual(
    seen.map((row) => [row.charset, row.collation]),
    [['latin1', 'latin1_swedish_ci']],
  );
  assert.deepEqual(await databasesStartingWith(seen[0].name), []);
});

void test('the files run as a temporary account allowed the scratch database only, dropped with it', async () => {
  const real = await readRealDatabase(parseDatabaseUrl(db.url));
  await db.sql.query('CREATE TABLE kept (id int)');
  const host = await clientHost();
  const seen = await withScratchDatabase(parseDatabaseUrl(db.url), real, undefined, async (scratch) => {
    const name = scratchAccountName(scratch.name);
    assert.match(name, /^ml_verify_[0-9a-f]{8}$/);
    // For the very host the server sees this client at: no '%' an anonymous account of that host could shadow.
    assert.equal(scratch.account, `'${name}'@'${host}'`);
    const [grants] = await db.sql.query(`SHOW GRANTS FOR ?@?`, [name, host]);
    const granted = (grants as Record<string, string>[]).map((row) =>
      Object.values(row)[0].replace(/ IDENTIFIED .*/, ''),
    );
    assert.deepEqual(granted, [
      `GRANT USAGE ON *.* TO \`${name}\`@\`${host}\``,
      `GRANT ALL PRIVILEGES ON \`${scratch.name.replaceAll('_', '\\_')}\`.* TO \`${name}\`@\`${host}\``,
    ]);
    const file = (sql: string) => scratch.run(1n, 'up', { fileName: '1_a.up.sql', sql });
    assert.equal(await file('CREATE TABLE mine (id int); INSERT INTO mine VALUES (1)'), undefined);
    const outside = await file(`INSERT INTO \`${db.name}\`.kept VALUES (1)`);
    assert.equal(outside?.serverCode, 1142);
    return { name, database: scratch.name };
  });
  assert.deepEqual(await accountHosts(seen.name), []);
  assert.deepEqual(await databasesStartingWith(seen.database), []);
  const [kept] = await db.sql.query('SELECT id FROM kept');
  assert.deepEqual(kept, []);
});

void test('the scratch database and its account are dropped when the work throws', async () => {
  const real = await readRealDatabase(parseDatabaseUrl(db.url));
  let name = '';
  await assert.rejects(
    withScratchDatabase(parseDatabaseUrl(db.url), real, undefined, (scratch) => {
      name = scratch.name;
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.notEqual(name, '');
  assert.deepEqual(await databasesStartingWith(name), []);
  assert.deepEqual(await accountHosts(scratchAccountName(name)), []);
});

void test('an account that cannot create users is refused, in one line, before anything is created', async () => {
  const user = `ml_limited_${randomBytes(4).toString('hex')}`;
  await db.sql.query('CREATE USER ?@?', [user, '%']);
  try {
    await db.sql.query(`GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO ?@?`, [user, '%']);
    const refused = await verifyFolder(path.join(FIXTURES, 'slow'), parseDatabaseUrl(urlOf(user))).then(
      () => assert.fail('verify ran as an account that can reach the real database'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof ScratchAccountRefusedError, String(refused));
    assert.match(
      refused.message,
      new RegExp(
        `^Verify runs migrations as a temporary account allowed only its scratch database, and ${user} cannot create one \\(Error 1227: Access denied; you need \\(at least one of\\) the CREATE USER privilege\\(s\\) for this operation\\), while it can reach ${db.name}: .*migrationLens\\.scratchDatabaseUrl \\(--scratch-database on the command line\\)`,
      ),
    );
    assert.doesNotMatch(refused.message, /\n/);
    assert.deepEqual(await databasesStartingWith(scratchDatabasePrefix(db.name)), []);

    // Allowed to create users but not to grant: the account it made is dropped again, and no statement text (which
    // holds its password) travels with the error.
    await db.sql.query('GRANT CREATE USER ON *.* TO ?@?', [user, '%']);
    const ungranted = await verifyFolder(path.join(FIXTURES, 'slow'), parseDatabaseUrl(urlOf(user))).then(
      () => assert.fail('verify ran without granting its account'),
      (error: unknown) => error,
    );
    assert.ok(ungranted instanceof ScratchAccountRefusedError, String(ungranted));
    // The server names the database as granted, its wildcards escaped.
    const scratch = /to database '(ml[\\\w]+)'/.exec(ungranted.message)?.[1]?.replaceAll('\\', '');
    assert.ok(scratch, ungranted.message);
    assert.deepEqual(await accountHosts(scratchAccountName(scratch)), []);
    assert.deepEqual(await databasesStartingWith(scratchDatabasePrefix(db.name)), []);
    assert.doesNotMatch(inspect(ungranted, { depth: Infinity, showHidden: true }), /IDENTIFIED/);
  } finally {
    await db.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
  }
});

void test('the scratch database is dropped when its connection was killed', async () => {
  const real = await readRealDatabase(parseDatabaseUrl(db.url));
  const scratch = await MysqlScratchDatabase.create(parseDatabaseUrl(db.url), real);
  const [[row]] = (await db.sql.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ?', [
    scratch.name,
  ])) as unknown as [{ id: number }[]];
  await db.sql.query('KILL CONNECTION ?', [row.id]);
  await scratch.drop();
  assert.deepEqual(await databasesStartingWith(scratch.name), []);
  assert.deepEqual(await accountHosts(scratchAccountName(scratch.name)), []);
});

void test('a cancel stops the running statement, marks the rest not verified, drops the database and account', async () => {
  const controller = new AbortController();
  const prefix = scratchDatabasePrefix(db.name);
  const seen: { database: string; user: string }[] = [];
  const result = await verifyFolder(path.join(FIXTURES, 'slow'), parseDatabaseUrl(db.url), {
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.version !== 2n || progress.step !== 'up') return;
      // Cancel once the slow statement is running on the scratch session, as a user would.
      void waitFor('the slow up to run', async () => {
        const [rows] = await db.sql.query(
          'SELECT DB AS `database`, USER AS user FROM information_schema.PROCESSLIST ' +
            "WHERE INFO LIKE 'DO SLEEP%' AND DB LIKE CONCAT(?, '%')",
          [prefix.replaceAll('_', '\\_')],
        );
        seen.push(...(rows as { database: string; user: string }[]));
        return seen.length > 0 ? true : undefined;
      }).then(() => controller.abort());
    },
  });
  assert.equal(result.cancelled, true);
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, entry.verdict.kind]),
    [
      [1n, 'verified'],
      [2n, 'not-verified'],
      [3n, 'not-verified'],
    ],
  );
  assert.deepEqual(await databasesStartingWith(prefix), []);
  // The slow statement ran as the temporary account, which went with the database.
  assert.deepEqual(
    seen.map((row) => row.user),
    [scratchAccountName(seen[0].database)],
  );
  assert.deepEqual(await accountHosts(seen[0].user), []);
});

void test('a scratch server given apart from the real database is used for the scratch database', async () => {
  const user = encodeURIComponent(TEST_SERVER.user);
  const credentials = TEST_SERVER.password === '' ? user : `${user}:${encodeURIComponent(TEST_SERVER.password)}`;
  const scratchServer = parseDatabaseUrl(`mysql://${credentials}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/`);
  const result = await verifyFolder(path.join(FIXTURES, 'schema-names'), parseDatabaseUrl(db.url), {
    scratchServer,
    to: 1n,
  });
  assert.deepEqual(
    result.versions.map((entry) => entry.verdict.kind),
    ['verified'],
  );
  assert.deepEqual(await databasesStartingWith(scratchDatabasePrefix(db.name)), []);
});
