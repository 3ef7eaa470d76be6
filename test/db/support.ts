import { type ChildProcess, type ChildProcessWithoutNullStreams, execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { runCli as runCommandLine } from '../../src/cli/main';
import { quoteIdentifier } from '../../src/adapters/mysql/sql';
import { advisoryLockName } from '../../src/core/lock';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';

/** The MariaDB every db test uses; MIGRATION_LENS_TEST_MYSQL_* override it. */
export const TEST_SERVER = {
  host: process.env['MIGRATION_LENS_TEST_MYSQL_HOST'] ?? '127.0.0.1',
  port: Number(process.env['MIGRATION_LENS_TEST_MYSQL_PORT'] ?? 3306),
  user: process.env['MIGRATION_LENS_TEST_MYSQL_USER'] ?? 'root',
  password: process.env['MIGRATION_LENS_TEST_MYSQL_PASSWORD'] ?? '',
};

export interface TestDatabase {
  readonly name: string;
  /** A golang-migrate database URL for this database. */
  readonly url: string;
  /** A connection to this database with multiple statements on, for setting up and checking state. */
  readonly sql: mysql.Connection;
  /** Drops every table in it, foreign keys or not, for a test that starts from an empty database. */
  dropAllTables(): Promise<void>;
  /** The names of its tables, sorted. */
  tables(): Promise<string[]>;
  /** The rows of its version table (`schema_migrations` unless named) as stored: [version as text, dirty as 0 or 1]. */
  versionRows(table?: string): Promise<[string, number][]>;
  /** The scratch databases Verify or the models check left on the server for this database (there should be none). */
  scratchDatabases(): Promise<string[]>;
  /** Waits until no session holds golang-migrate's lock for this database's `schema_migrations`. */
  waitForFreeLock(): Promise<void>;
  /** Drops the database and closes the connection. */
  drop(): Promise<void>;
}

/** Creates a database named after `label` plus a random suffix, so test files can run in parallel. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const name = `ml_${label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}_${suffix}`;
  const sql = await mysql.createConnection({ ...TEST_SERVER, multipleStatements: true });
  await sql.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await sql.changeUser({ database: name });
  const user = encodeURIComponent(TEST_SERVER.user);
  const credentials = TEST_SERVER.password === '' ? user : `${user}:${encodeURIComponent(TEST_SERVER.password)}`;
  const tables = async (): Promise<string[]> => {
    const [rows] = await sql.query('SHOW TABLES');
    return (rows as Record<string, string>[]).map((row) => Object.values(row)[0]).sort();
  };
  return {
    name,
    url: `mysql://${credentials}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${name}`,
    sql,
    async dropAllTables() {
      const names = await tables();
      if (names.length > 0) {
        await sql.query(
          `SET foreign_key_checks = 0; DROP TABLE ${names.map(quoteIdentifier).join(', ')}; SET foreign_key_checks = 1`,
        );
      }
    },
    tables,
    async versionRows(table = 'schema_migrations') {
      const [rows] = await sql.query(`SELECT CAST(version AS CHAR) AS version, dirty FROM ${quoteIdentifier(table)}`);
      return (rows as { version: string; dirty: number }[]).map((row) => [row.version, Number(row.dirty)]);
    },
    async scratchDatabases() {
      const [rows] = await sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
      return (rows as { name: string }[])
        .map((row) => row.name)
        .filter((schema) => schema.startsWith(scratchDatabasePrefix(name)));
    },
    async waitForFreeLock() {
      const lockName = advisoryLockName(name, 'schema_migrations');
      await waitFor('the lock to be free', async () => {
        const [rows] = await sql.query('SELECT IS_FREE_LOCK(?) AS free', [lockName]);
        return (rows as { free: number }[])[0].free === 1 ? true : undefined;
      });
    },
    async drop() {
      try {
        await sql.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Polls `check` until it returns a value other than undefined, failing after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The built command line (`node scripts/build.mjs` makes it). */
export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The single executable (`npm run build:exe`), built when missing or older than the bundle: once per test run, since
 * the build stage makes a new bundle each time, and not again for each test or bench that uses it.
 */
export function builtExecutable(): string {
  const executable = path.join(ROOT, 'out', 'exe', 'migration-lens');
  if (!existsSync(executable) || statSync(executable).mtimeMs < statSync(CLI).mtimeMs) {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-exe.mjs')], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the executable failed: ${build.stdout}${build.stderr}`);
  }
  return executable;
}

/** How a command line run ended and what it printed. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command line run in progress: its process (to signal it, or find it in the OS process list) and its end. */
export interface StartedCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly done: Promise<CliRun>;
}

/** Starts the built command line as its own process, from `cwd`, with stdin closed and not a terminal. */
export function startCli(args: readonly string[], cwd?: string): StartedCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

/** Runs the built command line to its end; see `startCli`. */
export function runCli(args: readonly string[], cwd?: string): Promise<CliRun> {
  return startCli(args, cwd).done;
}

/**
 * Runs the command line in this process (faster than `runCli`, and it can see the connections it leaves open), with
 * stdin closed and not a terminal.
 */
export async function runCliInProcess(argv: readonly string[], cwd: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const status = await runCommandLine(argv, { stdout, stderr, stdin }, cwd, new AbortController().signal);
  return { status, stdout: out, stderr: err };
}

/** File name to content. */
type Files = Readonly<Record<string, string | Buffer>>;

/**
 * Writes `files` into a new folder and returns it: `<inside>/<name>` (replacing a folder of that name), or without
 * `inside` a fresh temporary folder named `ml-<name>-XXXXXX`. The caller removes it.
 */
export async function folderWith(name: string, files: Files): Promise<string>;
export async function folderWith(inside: string, name: string, files: Files): Promise<string>;
export async function folderWith(...args: [string, Files] | [string, string, Files]): Promise<string> {
  let folder: string;
  let files: Files;
  if (args.length === 2) {
    folder = await mkdtemp(path.join(tmpdir(), `ml-${args[0]}-`));
    files = args[1];
  } else {
    folder = path.join(args[0], args[1]);
    files = args[2];
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder);
  }
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(folder, file), content);
  return folder;
}

/**
 * A mariadbd of the test's own (own data folder, port and socket), for what must not happen on the shared server:
 * killing it, or accounts that change how every login is matched. root has no password.
 */
export interface PrivateServer {
  /** The folder holding its data; the test may put its own files beside. */
  readonly folder: string;
  readonly port: number;
  /** Starts it on its data folder (again, after `kill`) and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Kills it and removes its folder. */
  remove(): Promise<void>;
}

const MARIADBD = '/usr/sbin/mariadbd';

/**
 * Creates the data folder of a private server and starts it. Without `grantTables` every login is root with every
 * privilege (--skip-grant-tables).
 */
export async function startPrivateServer(
  label: string,
  { grantTables }: { grantTables: boolean },
): Promise<PrivateServer> {
  const folder = await mkdtemp(path.join(tmpdir(), `ml-${label}-`));
  const data = path.join(folder, 'data');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--skip-test-db',
    '--auth-root-authentication-method=normal',
    '--user=root',
  ]);
  let running: ChildProcess | undefined;
  const server: PrivateServer = {
    folder,
    port,
    async start() {
      running = spawn(
        MARIADBD,
        [
          '--no-defaults',
          `--datadir=${data}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${path.join(folder, 'mysqld.sock')}`,
          `--pid-file=${path.join(folder, 'mysqld.pid')}`,
          ...(grantTables ? [] : ['--skip-grant-tables']),
          '--skip-log-bin',
          '--innodb-buffer-pool-size=32M',
          '--user=root',
        ],
        { stdio: 'ignore' },
      );
      await waitFor(
        'the private server to answer',
        async () => {
          const connection = await mysql
            .createConnection({ host: '127.0.0.1', port, user: 'root' })
            .catch(() => undefined);
          if (!connection) return undefined;
          await connection.end();
          return true;
        },
        60_000,
      );
    },
    async kill() {
      const stopping = running;
      running = undefined;
      if (!stopping || stopping.exitCode !== null) return;
      const exited = new Promise((resolve) => stopping.once('exit', resolve));
      stopping.kill('SIGKILL');
      await exited;
    },
    async remove() {
      await server.kill();
      await rm(folder, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
