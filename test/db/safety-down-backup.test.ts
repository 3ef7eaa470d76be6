import assert from 'node:assert/strict';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { writeBackup } from '../../src/adapters/backup-run';
import { MysqlSession } from '../../src/adapters/mysql/connection';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate } from '../../src/app/open-session';
import { createTestDatabase, folderWith } from './support';

const FILES: Record<string, string> = {
  '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50));\nCREATE TABLE audit (id INT);\n',
  '1_users.down.sql': 'DROP TABLE audit;\nDROP TABLE users;\n',
  '2_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100) NULL;\n',
  '2_email.down.sql': '-- the emails go with the column\nALTER TABLE users DROP COLUMN email;\n',
};

void test('a down that drops a column with data: the backup is written first and restoring it brings the data back', async () => {
  const folder = await folderWith('down', FILES);
  const backups = path.join(folder, 'backups');
  const db = await createTestDatabase('down_backup');
  try {
    const database = parseDatabaseUrl(db.url);
    const target = { folder, database };
    await migrate({ kind: 'up' }, target);
    await db.sql.query(
      "INSERT INTO users VALUES (1, 'Ada', 'ada@example.com'), (2, 'Linus', NULL), (3, 'Zoë', 'zoe@exämple.com')",
    );
    const [before] = await db.sql.query('SELECT * FROM users ORDER BY id');

    const result = await migrate({ kind: 'down', limit: 1 }, target, { backup: { mode: 'always', folder: backups } });
    const backup = result.backup;
    assert.ok(backup);
    assert.deepEqual(backup.tables, ['users']);
    assert.equal(path.dirname(backup.file), backups);
    assert.match(path.basename(backup.file), new RegExp(`^${db.name}_v2_\\d{8}T\\d{6}\\.\\d{3}Z\\.sql$`));
    assert.doesNotMatch(await readFile(backup.file, 'utf8'), /`audit`/, 'only the tables the down file touches');
    const [columns] = await db.sql.query("SHOW COLUMNS FROM users LIKE 'email'");
    assert.deepEqual(columns, [], 'the down dropped the column');

    await db.sql.query(await readFile(backup.file, 'utf8'));
    const [after] = await db.sql.query('SELECT * FROM users ORDER BY id');
    assert.deepEqual(after, before);

    const session = await MysqlSession.open(database);
    try {
      const request = { session, database, databaseName: db.name, version: 1n, folder: backups };
      const all = await writeBackup({ ...request, tables: 'all', tool: 'builtin' });
      assert.ok(all);
      assert.equal(all.tool, 'builtin');
      assert.deepEqual([...all.tables].sort(), ['audit', 'schema_migrations', 'schema_migrations_lens', 'users']);
      assert.equal((await readdir(backups)).length, 2);
      assert.equal(
        await writeBackup({ ...request, tables: ['gone'] }),
        undefined,
        'nothing to back up when the tables do not exist',
      );
    } finally {
      await session.close();
    }
  } finally {
    await db.drop();
    await rm(folder, { recursive: true, force: true });
  }
});
