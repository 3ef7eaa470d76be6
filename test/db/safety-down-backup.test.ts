import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findMysqldump, writeMysqldump } from '../../src/adapters/backup-mysqldump';
import { writeBackup } from '../../src/adapters/backup-run';
import { MysqlSession } from '../../src/adapters/mysql/connection';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate } from '../../src/app/open-session';
import { DEFAULT_BACKUP_FOLDER } from '../../src/core/safety-backup';
import { gitIn } from '../unit/git-repository';
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
      assert.equal((await readdir(backups)).filter((name) => name.endsWith('.sql')).length, 2);
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

void test('backups are private and never committed: 0600 files from their creation, in 0700 folders git ignores', async () => {
  const repository = await mkdtemp(path.join(tmpdir(), 'ml-private-backup-'));
  const git = gitIn(() => repository);
  const db = await createTestDatabase('private_backup');
  // The usual umask, under which a file created without a mode is readable by everyone.
  const umask = process.umask(0o022);
  try {
    git('init', '--quiet');
    await writeFile(path.join(repository, 'README.md'), 'a project\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'first');
    await db.sql.query(
      "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50)); INSERT INTO users VALUES (1, 'Ada')",
    );
    const database = parseDatabaseUrl(db.url);
    const folder = path.join(repository, DEFAULT_BACKUP_FOLDER);
    const session = await MysqlSession.open(database);
    try {
      const request = { session, database, databaseName: db.name, folder };
      const builtin = await writeBackup({ ...request, version: 1n, tables: 'all', tool: 'builtin' });
      const automatic = await writeBackup({ ...request, version: 2n, tables: ['users'] });
      assert.ok(builtin && automatic);
    } finally {
      await session.close();
    }

    // mysqldump writes into the file it is given: the file must be private before it starts.
    const executable = await findMysqldump();
    const modeAtStart = path.join(repository, 'mode-at-start.txt');
    if (executable) {
      const wrapper = path.join(repository, 'mysqldump-wrapper.sh');
      await writeFile(
        wrapper,
        `#!/bin/sh\nfor arg; do case "$arg" in --result-file=*) stat -c %a "\${arg#--result-file=}" > '${modeAtStart}';; esac; done\nexec '${executable}' "$@"\n`,
        { mode: 0o755 },
      );
      await writeMysqldump(wrapper, database, db.name, ['users'], path.join(folder, 'by-mysqldump.sql'));
      assert.equal((await readFile(modeAtStart, 'utf8')).trim(), '600', 'the result file mysqldump opens is private');
      await rm(wrapper);
      await rm(modeAtStart);
    }

    assert.equal(git('status', '--porcelain', '--untracked-files=all'), '', 'git sees no new file');
    for (const created of [path.dirname(folder), folder]) {
      assert.equal((await stat(created)).mode & 0o777, 0o700, `${created} is private`);
    }
    const backups = (await readdir(folder)).filter((name) => name.endsWith('.sql'));
    assert.equal(backups.length, executable ? 3 : 2);
    for (const name of backups) {
      assert.equal((await stat(path.join(folder, name))).mode & 0o777, 0o600, `${name} is private`);
    }
  } finally {
    process.umask(umask);
    await db.drop();
    await rm(repository, { recursive: true, force: true });
  }
});
