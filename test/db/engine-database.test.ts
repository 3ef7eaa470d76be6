import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { LockNotAcquiredError } from '../../src/core/errors';
import { advisoryLockName } from '../../src/core/lock';
import { DatabaseConnectionError } from '../../src/adapters/mysql/connection';
import { MigrationDatabase } from '../../src/adapters/mysql/database';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { createTestDatabase, TEST_SERVER, type TestDatabase } from './support';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('engine_database');
});

after(async () => {
  await db.drop();
});

async function open(url = db.url): Promise<MigrationDatabase> {
  return MigrationDatabase.open(parseDatabaseUrl(url));
}

/** Takes the lock, waiting at most 0.2 s for another session. */
function lock(database: MigrationDatabase): Promise<void> {
  return database.lock({ totalSeconds: 0.2 });
}

/** Runs a script and returns how it failed; fails the test if it did not. */
async function failureOf(database: MigrationDatabase, text: string) {
  const outcome = await database.runScript(text);
  if (outcome.kind !== 'failed') assert.fail(`${text} did not fail`);
  return outcome;
}

void test('creates the version table exactly as golang-migrate does, once', async () => {
  const database = await open();
  try {
    await lock(database);
    await database.ensureVersionTable();
    await database.ensureVersionTable();
    assert.deepEqual(await database.readVersion(), { version: -1n, dirty: false });
  } finally {
    await database.close();
  }
  const [columns] = await db.sql.query('SHOW COLUMNS FROM `schema_migrations`');
  assert.deepEqual(
    (columns as { Field: string; Type: string; Null: string; Key: string }[]).map((c) => [
      c.Field,
      c.Type,
      c.Null,
      c.Key,
    ]),
    [
      ['version', 'bigint(20)', 'NO', 'PRI'],
      ['dirty', 'tinyint(1)', 'NO', ''],
    ],
  );
});

void test('set version: one row, nil clean empties the table, nil dirty is kept; one round trip each', async () => {
  const database = await open();
  try {
    await database.ensureVersionTable();
    const before = database.roundTrips;
    await database.setVersion(20240101120000n, true);
    assert.equal(database.roundTrips - before, 1);
    assert.deepEqual(await db.versionRows(), [['20240101120000', 1]]);
    await database.setVersion(18446744073709551615n >> 1n, false);
    assert.deepEqual(await database.readVersion(), { version: 9223372036854775807n, dirty: false });
    assert.deepEqual(await db.versionRows(), [['9223372036854775807', 0]]);
    await database.setVersion(-1n, true);
    assert.deepEqual(await db.versionRows(), [['-1', 1]]);
    assert.deepEqual(await database.readVersion(), { version: -1n, dirty: true });
    await database.setVersion(-1n, false);
    assert.deepEqual(await db.versionRows(), []);
  } finally {
    await database.close();
  }
});

void test('the lock: a run fails naming the lock and its holder while another session holds it, then succeeds', async () => {
  const lockName = advisoryLockName(db.name, 'schema_migrations');
  const [[held]] = (await db.sql.query('SELECT GET_LOCK(?, 0) AS held, CONNECTION_ID() AS id', [
    lockName,
  ])) as unknown as [{ held: number; id: number }[]];
  assert.equal(held.held, 1);
  const database = await open();
  try {
    assert.equal(database.lockName, lockName);
    await assert.rejects(lock(database), (error: unknown) => {
      assert.ok(error instanceof LockNotAcquiredError);
      assert.equal(error.holder?.connectionId, held.id);
      assert.match(error.message, new RegExp(`^can't acquire lock ${lockName} on database ${db.name}`));
      assert.match(error.message, new RegExp(`held by connection ${held.id} \\(user ${TEST_SERVER.user}`));
      assert.match(error.message, new RegExp(`KILL ${held.id}`));
      return true;
    });
    await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
    await lock(database);
    const [[state]] = (await db.sql.query('SELECT IS_USED_LOCK(?) AS holder', [lockName])) as unknown as [
      { holder: number }[],
    ];
    assert.equal(state.holder, database.connectionId);
  } finally {
    await database.close();
  }
  const [[released]] = (await db.sql.query('SELECT IS_FREE_LOCK(?) AS free', [lockName])) as unknown as [
    { free: number }[],
  ];
  assert.equal(released.free, 1, 'close releases the lock');
});

void test('x-no-lock skips the lock; x-migrations-table names the table and the lock', async () => {
  const lockName = advisoryLockName(db.name, 'my_migrations');
  assert.equal(lockName, advisoryLockName(db.name, 'my_migrations'));
  await db.sql.query('SELECT GET_LOCK(?, 0)', [lockName]);
  try {
    const blocked = await open(`${db.url}?x-migrations-table=my_migrations`);
    await assert.rejects(lock(blocked), LockNotAcquiredError);
    await blocked.close();
    const database = await open(`${db.url}?x-migrations-table=my_migrations&x-no-lock=true`);
    try {
      await lock(database);
      await database.ensureVersionTable();
      await database.setVersion(7n, false);
    } finally {
      await database.close();
    }
    assert.deepEqual(await db.versionRows('my_migrations'), [['7', 0]]);
  } finally {
    await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
  }
});

void test('a failing second statement: the first stays, the error names statement 2', async () => {
  const database = await open();
  try {
    const failure = await failureOf(
      database,
      'CREATE TABLE kept (id int);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE never (id int);',
    );
    assert.equal(failure.statementIndex, 2);
    assert.equal(failure.serverCode, 1146);
    const [tables] = await db.sql.query("SHOW TABLES LIKE 'kept'");
    assert.equal((tables as unknown[]).length, 1);
    const [never] = await db.sql.query("SHOW TABLES LIKE 'never'");
    assert.equal((never as unknown[]).length, 0);
    // The session is still usable after the failure.
    assert.deepEqual(await database.runScript('SELECT 1; SELECT 2'), { kind: 'done', transactionOpen: false });
  } finally {
    await database.close();
  }
});

void test('an empty file fails with 1065, a comment-only file succeeds', async () => {
  const database = await open();
  try {
    assert.equal((await failureOf(database, ' \n\t')).serverCode, 1065);
    assert.equal((await database.runScript('-- nothing to do\n/* really */')).kind, 'done');
  } finally {
    await database.close();
  }
});

void test('x-statement-timeout stops a long statement and keeps the session usable', async () => {
  const database = await open(`${db.url}?x-statement-timeout=100`);
  try {
    const failure = await failureOf(database, 'SELECT 1; SELECT SLEEP(30)');
    assert.equal(failure.statementIndex, 2);
    assert.equal(failure.timedOutAfterMs, 100);
    assert.equal((await database.runScript('SELECT 1')).kind, 'done');
  } finally {
    await database.close();
  }
});

void test('a script that ends inside a transaction says so, whether it ends with rows or not', async () => {
  const database = await open();
  try {
    await database.runScript('CREATE TABLE IF NOT EXISTS acct (i int) ENGINE=InnoDB');
    const cases: [string, boolean][] = [
      ['INSERT INTO acct VALUES (1)', false],
      ['SET autocommit=0; INSERT INTO acct VALUES (8);', true],
      ['START TRANSACTION; INSERT INTO acct VALUES (2);', true],
      ['BEGIN; INSERT INTO acct VALUES (3); SAVEPOINT s1;', true],
      ['START TRANSACTION; INSERT INTO acct VALUES (4); SELECT * FROM acct;', true],
      ['START TRANSACTION; INSERT INTO acct VALUES (5); COMMIT;', false],
      ['SELECT 1', false],
    ];
    for (const [script, open] of cases) {
      assert.deepEqual(await database.runScript(script), { kind: 'done', transactionOpen: open }, script);
      if (open) await database.rollbackOpenTransaction();
    }
  } finally {
    await database.close();
  }
  const [rows] = await db.sql.query('SELECT i FROM acct ORDER BY i');
  assert.deepEqual(rows, [{ i: 1 }, { i: 5 }]);
});

void test('an x-statement-timeout or timeout beyond the longest timer lets statements and the connection take their time', async () => {
  const database = await open(`${db.url}?x-statement-timeout=3000000000&timeout=720h`);
  try {
    await database.runScript('SELECT SLEEP(0.2); SELECT 1');
  } finally {
    await database.close();
  }
});

void test('session settings from the URL apply to the connection', async () => {
  const database = await open(`${db.url}?time_zone=%27%2B03%3A00%27`);
  try {
    await database.runScript('CREATE TABLE tz AS SELECT @@session.time_zone AS zone');
  } finally {
    await database.close();
  }
  const [rows] = await db.sql.query('SELECT zone FROM tz');
  assert.deepEqual(rows, [{ zone: '+03:00' }]);
});

void test('drop removes every table, the version table too, with foreign keys between them', async () => {
  await db.sql.query(
    'CREATE TABLE parent (id int primary key); CREATE TABLE child (id int, parent_id int, FOREIGN KEY (parent_id) REFERENCES parent(id))',
  );
  const database = await open();
  try {
    await database.ensureVersionTable();
    const dropped = await database.dropAllTables();
    assert.ok(dropped.includes('parent') && dropped.includes('schema_migrations'));
    assert.deepEqual(await database.dropAllTables(), []);
  } finally {
    await database.close();
  }
  const [rows] = await db.sql.query('SHOW TABLES');
  assert.deepEqual(rows, []);
});

void test('a password with @, : and / percent-encoded connects', async () => {
  const user = `ml_user_${randomBytes(4).toString('hex')}`;
  const password = 'p@ss:w/rd';
  await db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  try {
    await db.sql.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [user, '%']);
    const url = `mysql://${user}:${encodeURIComponent(password)}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
    assert.match(url, /p%40ss%3Aw%2Frd/);
    const database = await open(url);
    await database.close();
    const wrong = `mysql://${user}:not-it@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
    await assert.rejects(open(wrong), (error: unknown) => {
      assert.ok(error instanceof DatabaseConnectionError);
      assert.match(error.message, /Access denied for user .* Check the user and password/);
      assert.ok(!error.message.includes('not-it'));
      return true;
    });
  } finally {
    await db.sql.query('DROP USER ?@?', [user, '%']);
  }
});

void test('an unknown database and an unreachable port fail with one clear line', async () => {
  const base = `mysql://${TEST_SERVER.user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})`;
  await assert.rejects(open(`${base}/ml_no_such_database_here`), /Unknown database 'ml_no_such_database_here'/);
  await assert.rejects(
    open(`mysql://root@tcp(127.0.0.1:1)/${db.name}?timeout=2s`),
    /^DatabaseConnectionError: cannot connect to 127\.0\.0\.1:1: connection refused/,
  );
  await assert.rejects(open(`mysql://root@tcp(10.255.255.1:3306)/${db.name}?timeout=200ms`), (error: unknown) => {
    assert.ok(error instanceof DatabaseConnectionError);
    assert.match(error.message, /^cannot connect to 10\.255\.255\.1:3306: /);
    return true;
  });
});

void test('no database name in the URL and none current: "no database name"', async () => {
  await assert.rejects(
    open(`mysql://${TEST_SERVER.user}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/`),
    /^NoDatabaseNameError: no database name/,
  );
});
