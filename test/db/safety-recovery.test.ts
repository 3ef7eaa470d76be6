import assert from 'node:assert/strict';
import { rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listMigrationFolder } from '../../src/adapters/file-source';
import { parseDatabaseUrl, type DatabaseConfig } from '../../src/adapters/mysql/dsn';
import { lookAtDatabase, migrate, withRunSession } from '../../src/app/open-session';
import { buildCatalog } from '../../src/core/catalog';
import { DirtyDatabaseError, MigrationFailedError, NoMigrationForVersionError } from '../../src/core/errors';
import { dirtyRecovery, failureBehind, missingFileRecovery } from '../../src/core/safety-recovery';
import { createTestDatabase, folderWith, type TestDatabase } from './support';

const FILES: Record<string, string> = {
  '000001_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50));\n',
  '000001_users.down.sql': 'DROP TABLE users;\n',
  '000003_email.up.sql':
    '-- add the email column and its index\nALTER TABLE users ADD COLUMN email VARCHAR(100);\n' +
    'CREATE INDEX users_email ON users (emial);\n',
  '000003_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
  '000004_orders.up.sql': 'CREATE TABLE orders (id INT PRIMARY KEY);\n',
  '000004_orders.down.sql': 'DROP TABLE orders;\n',
};

async function versionRow(db: TestDatabase): Promise<[number, number][]> {
  const [rows] = await db.sql.query({ sql: 'SELECT version, dirty FROM schema_migrations', rowsAsArray: true });
  return (rows as [number | string, number][]).map(([version, dirty]) => [Number(version), Number(dirty)]);
}

/** Runs `up` with the ledger recording, as the editor and the CLI do, and returns what it threw. */
async function upRecorded(db: TestDatabase, folder: string): Promise<unknown> {
  try {
    await migrate({ kind: 'up' }, { folder, database: parseDatabaseUrl(db.url) });
    return undefined;
  } catch (error) {
    return error;
  }
}

async function readLedger(database: DatabaseConfig) {
  return (await lookAtDatabase(database)).ledger;
}

function force(folder: string, database: DatabaseConfig, version: bigint) {
  return withRunSession({ folder, database }, (session) => session.force(version));
}

function version(folder: string, database: DatabaseConfig) {
  return withRunSession({ folder, database }, (session) => session.version());
}

async function catalogOf(folder: string) {
  return buildCatalog((await listMigrationFolder(folder)).files);
}

void describe('recovering from a migration that fails at its second statement', () => {
  let folder: string;
  const databases: TestDatabase[] = [];

  before(async () => {
    folder = await folderWith('recovery', FILES);
  });

  after(async () => {
    for (const db of databases) await db.drop();
    await rm(folder, { recursive: true, force: true });
  });

  /** A database left dirty at 3 by the failing file, with the ledger holding the failure. */
  async function dirtyDatabase(label: string): Promise<TestDatabase> {
    const db = await createTestDatabase(label);
    databases.push(db);
    const error = await upRecorded(db, folder);
    assert.ok(error instanceof MigrationFailedError, `expected a failed migration, got ${String(error)}`);
    assert.equal(error.statementIndex, 2);
    assert.deepEqual(await versionRow(db), [[3, 1]]);
    return db;
  }

  void it('records the failing statement, its line and the server message, and offers exactly force 3 and force 1', async () => {
    const db = await dirtyDatabase('recovery_offer');
    const ledger = (await readLedger(parseDatabaseUrl(db.url)))!;
    const failed = ledger.find((entry) => entry.version === 3n);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed.lastError?.statementIndex, 2);
    assert.equal(failed.lastError.line, 3);
    assert.equal(failed.lastError.fileName, '000003_email.up.sql');
    assert.match(failed.lastError.message, /^Error 1072: .*emial/);
    assert.equal(ledger.find((entry) => entry.version === 1n)?.state, 'applied');

    const recovery = dirtyRecovery(await catalogOf(folder), 3n);
    assert.deepEqual(
      [recovery.markCompleted.forceVersion, recovery.markUndone.forceVersion],
      [3n, 1n],
      'force the dirty version, or the previous version on disk (2 does not exist)',
    );
    assert.ok((await upRecorded(db, folder)) instanceof DirtyDatabaseError, 'up is refused while dirty');
  });

  void it('completed by hand then force 3: clean at 3, and the next up applies 4', async () => {
    const db = await dirtyDatabase('recovery_completed');
    const recovery = dirtyRecovery(await catalogOf(folder), 3n);
    await db.sql.query('CREATE INDEX users_email ON users (email)');
    const database = parseDatabaseUrl(db.url);
    await force(folder, database, recovery.markCompleted.forceVersion);
    assert.deepEqual(await versionRow(db), [[3, 0]]);
    assert.equal(await upRecorded(db, folder), undefined);
    assert.deepEqual(await versionRow(db), [[4, 0]]);
  });

  void it('undone by hand then force 1: clean at 1, and after fixing the file up applies 3 and 4', async () => {
    const db = await dirtyDatabase('recovery_undone');
    const recovery = dirtyRecovery(await catalogOf(folder), 3n);
    await db.sql.query('ALTER TABLE users DROP COLUMN email');
    const database = parseDatabaseUrl(db.url);
    await force(folder, database, recovery.markUndone.forceVersion);
    assert.deepEqual(await versionRow(db), [[1, 0]]);
    assert.deepEqual(await version(folder, database), { version: 1n, dirty: false });

    const fixed = await folderWith('recovery', FILES);
    try {
      await writeFile(path.join(fixed, '000003_email.up.sql'), FILES['000003_email.up.sql'].replace('emial', 'email'));
      assert.equal(await upRecorded(db, fixed), undefined);
      assert.deepEqual(await versionRow(db), [[4, 0]]);
      const ledger = (await readLedger(database))!;
      assert.equal(ledger.find((entry) => entry.version === 3n)?.state, 'applied');
      assert.equal(ledger.find((entry) => entry.version === 3n)?.lastError?.statementIndex, 2, 'the error is kept');
    } finally {
      await rm(fixed, { recursive: true, force: true });
    }
  });
});

void describe('a database version whose file was deleted', () => {
  void it('is refused until forced to the highest version below it on disk, which golang-migrate then accepts', async () => {
    const folder = await folderWith('recovery', FILES);
    const db = await createTestDatabase('recovery_missing');
    try {
      await writeFile(path.join(folder, '000003_email.up.sql'), FILES['000003_email.up.sql'].replace('emial', 'email'));
      const database = parseDatabaseUrl(db.url);
      await migrate({ kind: 'up' }, { folder, database });
      await unlink(path.join(folder, '000004_orders.up.sql'));
      await unlink(path.join(folder, '000004_orders.down.sql'));

      await assert.rejects(migrate({ kind: 'down', limit: 1 }, { folder, database }), NoMigrationForVersionError);
      const recovery = missingFileRecovery(await catalogOf(folder), 4n);
      assert.equal(recovery.forceVersion, 3n);
      await force(folder, database, recovery.forceVersion);
      assert.deepEqual(await versionRow(db), [[3, 0]]);
      await migrate({ kind: 'down', limit: 1 }, { folder, database });
      assert.deepEqual(await versionRow(db), [[1, 0]]);
    } finally {
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

void describe('recovering from a roll back that fails at its second statement', () => {
  void it('the ledger tells it was a down: force the version below, or force the version back', async () => {
    const folder = await folderWith('recovery-down', {
      '1_users.up.sql': FILES['000001_users.up.sql'],
      '3_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100);\n',
      '3_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\nDROP TABLE nope;\n',
    });
    const db = await createTestDatabase('recovery_down');
    try {
      const database = parseDatabaseUrl(db.url);
      await migrate({ kind: 'up' }, { folder, database });
      await assert.rejects(migrate({ kind: 'down', limit: 1 }, { folder, database }), MigrationFailedError);
      assert.deepEqual(await versionRow(db), [[1, 1]]);

      const catalog = await catalogOf(folder);
      const behind = failureBehind((await readLedger(database))!, catalog, 1n);
      assert.equal(behind?.version, 3n);
      assert.equal(behind.failure.direction, 'down');
      assert.equal(behind.failure.statementIndex, 2);
      const recovery = dirtyRecovery(catalog, 1n, behind.version);
      assert.deepEqual([recovery.markCompleted.forceVersion, recovery.markUndone.forceVersion], [1n, 3n]);

      // Undone by hand: the dropped column is back, so the database is at 3 again.
      await db.sql.query('ALTER TABLE users ADD COLUMN email VARCHAR(100)');
      await force(folder, database, recovery.markUndone.forceVersion);
      assert.deepEqual(await version(folder, database), { version: 3n, dirty: false });
    } finally {
      await db.drop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
