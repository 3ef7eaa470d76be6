/**
 * The server itself dies mid-migration: a private mariadbd (own data folder and port) is killed with SIGKILL while a
 * command-line run is inside a migration, then started again on the same data. The version table must hold exactly
 * (V, dirty), as golang-migrate would leave it, with nothing written after the killed statement.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { advisoryLockName } from '../../src/core/lock';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { lookAtDatabase } from '../../src/app/open-session';
import { startCli, waitFor } from './support';

const MARIADBD = '/usr/sbin/mariadbd';
const DATABASE = 'server_stop';

let work: string;
let port: number;
let server: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/** Starts mariadbd on the private data folder and waits until it answers. */
async function startServer(): Promise<void> {
  const data = path.join(work, 'data');
  server = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${path.join(work, 'mysqld.sock')}`,
      `--pid-file=${path.join(work, 'mysqld.pid')}`,
      '--skip-grant-tables',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--user=root',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(
    'the private server to answer',
    async () => {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }).catch(() => undefined);
      if (!connection) return undefined;
      await connection.end();
      return true;
    },
    60_000,
  );
}

async function killServer(): Promise<void> {
  const running = server;
  server = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGKILL');
  await exited;
}

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
  work = await mkdtemp(path.join(tmpdir(), 'ml-server-stop-'));
  port = await freePort();
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${path.join(work, 'data')}`,
    '--skip-test-db',
    '--auth-root-authentication-method=normal',
    '--user=root',
  ]);
  await startServer();
  const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
});

after(async () => {
  await killServer();
  await rm(work, { recursive: true, force: true });
});

void test(
  'SIGKILL of the server inside migration 2, then a restart: exactly (2, dirty), nothing after, lock free',
  { timeout: 180_000 },
  async () => {
    const folder = path.join(work, 'migrations');
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
    await killServer();
    const { status, stderr } = await done;
    assert.equal(status, 1, stderr);
    assert.equal(stderr.split('\n').filter((line) => line.startsWith('error: ')).length, 1, stderr);

    await startServer();
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
