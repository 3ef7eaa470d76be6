import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatMigrationSql } from '../../src/adapters/format-migration';
import type { LedgerSettings } from '../../src/adapters/ledger-store';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { lookAtDatabase, migrate, withRunSession } from '../../src/app/open-session';
import type { RunOptions } from '../../src/app/run-session';
import type { PlanRequest } from '../../src/core/plan';
import { checksumsOf } from '../../src/core/safety-checksum';
import { createTestDatabase, folderWith, type TestDatabase } from './support';

const FILES: Record<string, string> = {
  '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50));\n',
  '1_users.down.sql': 'DROP TABLE users;\n',
  '2_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100);\n',
  '2_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
  '3_orders.up.sql': 'create table orders (id int primary key, user_id int not null, total decimal(10,2));\n',
  '3_orders.down.sql': 'DROP TABLE orders;\n',
};

function recorded(
  db: TestDatabase,
  folder: string,
  request: PlanRequest,
  ledger: LedgerSettings = {},
  options: RunOptions = {},
) {
  return migrate(request, { folder, database: parseDatabaseUrl(db.url), ledger }, options);
}

async function readLedger(db: TestDatabase, ledger: LedgerSettings = {}) {
  return (await lookAtDatabase(parseDatabaseUrl(db.url), ledger)).ledger;
}

/** The drift of every applied file, as `status` reports it. */
async function verdicts(db: TestDatabase, folder: string) {
  const { drift } = await withRunSession({ folder, database: parseDatabaseUrl(db.url) }, (session) => session.status());
  return [...drift.values()].map((verdict) => [verdict.version, verdict.kind]);
}

void describe('the ledger beside schema_migrations', () => {
  let folder: string;
  let db: TestDatabase;

  before(async () => {
    folder = await folderWith('ledger', FILES);
    db = await createTestDatabase('ledger');
  });

  after(async () => {
    await db.drop();
    await rm(folder, { recursive: true, force: true });
  });

  void it('records what Migration Lens applied; a version applied by another tool says so', async () => {
    const before = Date.now();
    // Another tool: nothing recorded.
    await recorded(db, folder, { kind: 'up', limit: 1 }, { create: false });
    await recorded(db, folder, { kind: 'up' });
    const ledger = (await readLedger(db))!;
    assert.deepEqual(
      ledger.map((entry) => [entry.version, entry.state]),
      [
        [2n, 'applied'],
        [3n, 'applied'],
      ],
    );
    const entry = ledger[0];
    const expected = checksumsOf(FILES['2_email.up.sql']);
    assert.equal(entry.upChecksum, expected.raw);
    assert.equal(entry.upChecksumNormalized, expected.normalized);
    assert.equal(entry.fileName, '2_email.up.sql');
    assert.ok(entry.appliedAt!.getTime() >= before - 1000 && entry.appliedAt!.getTime() <= Date.now() + 1000);
    assert.ok(entry.durationMs! >= 0);
    assert.ok(entry.osUser);
    assert.deepEqual(await verdicts(db, folder), [
      [1n, 'outside'],
      [2n, 'unchanged'],
      [3n, 'unchanged'],
    ]);
  });

  void it('an edited applied file shows drift, a re-formatted one only the information', async () => {
    await writeFile(path.join(folder, '2_email.up.sql'), FILES['2_email.up.sql'].replace('100', '200'));
    const reformatted = await formatMigrationSql(FILES['3_orders.up.sql'], { tabWidth: 2, useTabs: false });
    assert.notEqual(reformatted, FILES['3_orders.up.sql']);
    await writeFile(path.join(folder, '3_orders.up.sql'), `-- orders of a user\n${reformatted}`);
    assert.deepEqual(await verdicts(db, folder), [
      [1n, 'outside'],
      [2n, 'edited'],
      [3n, 'reformatted'],
    ]);
  });

  void it('a down is recorded as reverted; schema_migrations keeps exactly golang-migrate shape', async () => {
    await recorded(db, folder, { kind: 'down', limit: 1 });
    const ledger = (await readLedger(db))!;
    assert.equal(ledger.find((entry) => entry.version === 3n)?.state, 'reverted');
    assert.deepEqual(await verdicts(db, folder), [
      [1n, 'outside'],
      [2n, 'edited'],
    ]);
    const [columns] = await db.sql.query(
      'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ' +
        'ORDER BY ORDINAL_POSITION',
      [db.name, 'schema_migrations'],
    );
    assert.deepEqual(
      (columns as { name: string }[]).map((column) => column.name),
      ['version', 'dirty'],
    );
    const [rows] = await db.sql.query('SELECT version, dirty FROM schema_migrations');
    assert.deepEqual(rows, [{ version: 2, dirty: 0 }]);
  });

  void it('takes another table name, and creates nothing when creation is opted out', async () => {
    const other = await createTestDatabase('ledger_settings');
    try {
      await recorded(other, folder, { kind: 'down' });
      const [afterNoChange] = await other.sql.query('SHOW TABLES');
      assert.deepEqual(afterNoChange, [{ [`Tables_in_${other.name}`]: 'schema_migrations' }], 'no step, no ledger');
      await recorded(other, folder, { kind: 'up', limit: 1 }, { create: false });
      const [tables] = await other.sql.query('SHOW TABLES');
      assert.deepEqual((tables as Record<string, string>[]).map((row) => Object.values(row)[0]).sort(), [
        'schema_migrations',
        'users',
      ]);
      assert.equal(await readLedger(other), undefined);

      await recorded(other, folder, { kind: 'up', limit: 1 }, { table: 'deploy_log' });
      assert.deepEqual(
        (await readLedger(other, { table: 'deploy_log' }))!.map((entry) => entry.version),
        [2n],
      );
      assert.equal(await readLedger(other), undefined, 'the default table was not created');
      await recorded(other, folder, { kind: 'up', limit: 1 }, { table: 'deploy_log', create: false });
      assert.deepEqual(
        (await readLedger(other, { table: 'deploy_log' }))!.map((entry) => entry.version),
        [2n, 3n],
        'an existing ledger is written even when creation is opted out',
      );
    } finally {
      await other.drop();
    }
  });

  void it("a table in the ledger's place that is not a ledger never stops the migration", async () => {
    const other = await createTestDatabase('ledger_broken');
    try {
      // A table of that name with a different shape makes every ledger write fail.
      await other.sql.query('CREATE TABLE schema_migrations_lens (id INT)');
      const errors: unknown[] = [];
      await recorded(other, folder, { kind: 'up' }, {}, { onLedgerProblem: (error) => errors.push(error) });
      const [rows] = await other.sql.query('SELECT version, dirty FROM schema_migrations');
      assert.deepEqual(rows, [{ version: 3, dirty: 0 }]);
      assert.equal(errors.length, 1, 'one warning for the run');
      assert.match(String(errors[0]), /table schema_migrations_lens exists without the ledger's columns/);
    } finally {
      await other.drop();
    }
  });
});
