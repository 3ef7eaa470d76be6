/**
 * The server itself dies mid-migration: a private mariadbd (own data folder and port) is killed with SIGKILL while a
 * command-line run is inside a migration, then started again on the same data. The version table must hold exactly
 * (V, dirty), as golang-migrate would leave it, with nothing written after the killed statement.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import { advisoryLockName } from '../../src/core/lock';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { lookAtDatabase } from '../../src/app/open-session';
import { type PrivateServer, startCli, startPrivateServer, waitFor } from './support';

const DATABASE = 'server_stop';

let server: PrivateServer;
let port: number;

async function query<Row>(sql: string, values: unknown[] = []): Promise<Row[]> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: DATABASE });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as Row[];
  } finally {
    await connection.end();
  }
}

before(async () => {
  server = await startPrivateServer('server-stop', { grantTables: false });
  port = server.port;
  const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
});

after(async () => {
  await server.remove();
});

void test(
  'SIGKILL of the server inside migration 2, then a restart: exactly (2, dirty), nothing after, lock free',
  { timeout: 180_000 },
  async () => {
    const folder = path.join(server.folder, 'migrations');
    await mkdir(folder);
    await writeFile(path.join(folder, '1_a.up.sql'), 'CREATE TABLE a (id int);\n');
    await writeFile(
      path.join(folder, '2_b.up.sql'),
      'CREATE TABLE b (id int);\nSELECT SLEEP(60);\nCREATE TABLE after_sleep (id int);\n',
    );
    await writeFile(path.join(folder, '3_c.up.sql'), 'CREATE TABLE c (id int);\n');
    const url = `mysql://root@tcp(127.0.0.1:${port})/${DATABASE}?timeout=5s`;
    const { done } = startCli(['-path', folder, '-database', url, 'up']);

    await waitFor('migration 2 to be sleeping', async () => {
      const rows = await query<{ info: string | null }>('SELECT INFO AS info FROM information_schema.PROCESSLIST');
      return rows.some((row) => /SLEEP\(60\)/.test(row.info ?? '')) ? true : undefined;
    });
    await server.kill();
    const { status, stderr } = await done;
    assert.equal(status, 1, stderr);
    assert.equal(stderr.split('\n').filter((line) => line.startsWith('error: ')).length, 1, stderr);

    await server.start();
    const versions = await query<{ version: string; dirty: number }>(
      'SELECT CAST(version AS CHAR) AS version, dirty FROM schema_migrations',
    );
    assert.deepEqual(versions, [{ version: '2', dirty: 1 }]);
    const tables = (await query<Record<string, string>>('SHOW TABLES')).map((row) => Object.values(row)[0]).sort();
    assert.deepEqual(
      tables.filter((name) => !name.startsWith('schema_migrations')),
      ['a', 'b'],
      'what ran before the killed statement stays, nothing after it',
    );
    const [free] = await query<{ free: number }>('SELECT IS_FREE_LOCK(?) AS free', [
      advisoryLockName(DATABASE, 'schema_migrations'),
    ]);
    assert.equal(free.free, 1);
    assert.deepEqual((await lookAtDatabase(parseDatabaseUrl(url))).version, { version: 2n, dirty: true });
  },
);
