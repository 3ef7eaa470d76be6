import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { verifyFolder } from '../../src/adapters/verify-migrations';
import {
  MysqlScratchDatabase,
  readRealDatabase,
  withScratchDatabase,
} from '../../src/adapters/verify-scratch-database';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { createTestDatabase, TEST_SERVER, waitFor, type TestDatabase } from './support';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/verify');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('verify_scratch');
});

after(async () => {
  await db.drop();
});

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

void test('the scratch database is dropped when the work throws', async () => {
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
});

void test('a cancel stops the running statement, marks the rest not verified and drops the scratch database', async () => {
  const controller = new AbortController();
  const prefix = scratchDatabasePrefix(db.name);
  const result = await verifyFolder(path.join(FIXTURES, 'slow'), parseDatabaseUrl(db.url), {
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.version !== 2n || progress.step !== 'up') return;
      // Cancel once the slow statement is running on the scratch session, as a user would.
      void waitFor('the slow up to run', async () => {
        const [rows] = await db.sql.query(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP%' AND DB LIKE CONCAT(?, '%')",
          [prefix.replaceAll('_', '\\_')],
        );
        return (rows as unknown[]).length > 0 ? true : undefined;
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
