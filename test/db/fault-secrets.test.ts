/**
 * A password given in the database URL never comes back out: not in any command's output or error (success, failure,
 * lock held, wrong database, verbose), not in what is written to the database (version table, ledger), not in the
 * statements the server shows in its process list, not in the OS process list while a command runs, not in files the
 * commands create. Nor is it hidden by replacing its text wherever it occurs: with the password "1" that would turn
 * "Dirty database version 1" into a message that gives the password away.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { advisoryLockName } from '../../src/core/lock';
import {
  type CliRun,
  createTestDatabase,
  folderWith,
  runCli,
  runCliInProcess,
  startCli,
  TEST_SERVER,
  type TestDatabase,
  waitFor,
} from './support';

let db: TestDatabase;
let work: string;
/** The unique part of the password: any output holding it, in any encoding that keeps it, is a leak. */
const token = randomBytes(8).toString('hex');
const password = `Ml-${token}-P@ss:w/rd %+`;
const user = `ml_secret_${token.slice(0, 8)}`;
let url: string;

before(async () => {
  db = await createTestDatabase('fault_secrets');
  work = await mkdtemp(path.join(tmpdir(), 'ml-secrets-'));
  await mkdir(path.join(work, 'migrations'));
  await writeFile(path.join(work, 'migrations', '1_a.up.sql'), 'CREATE TABLE a (id int);\n');
  await writeFile(path.join(work, 'migrations', '1_a.down.sql'), 'DROP TABLE a;\n');
  await writeFile(path.join(work, 'migrations', '2_b.up.sql'), 'CREATE TABLE b (id int);\n');
  await writeFile(path.join(work, 'migrations', '2_b.down.sql'), 'DROP TABLE b;\n');
  await db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  await db.sql.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [user, '%']);
  url = `mysql://${user}:${encodeURIComponent(password)}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/${db.name}`;
});

after(async () => {
  await db.sql.query('DROP USER IF EXISTS ?@?', [user, '%']);
  await db.drop();
  await rm(work, { recursive: true, force: true });
});

const cli = (args: readonly string[]): Promise<CliRun> => runCli(args, work);
const output = (run: CliRun): string => run.stdout + run.stderr;

/** The command line of every process on the machine, as the OS shows it (`ps`, /proc/<pid>/cmdline). */
async function processList(): Promise<Map<number, string>> {
  const list = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      list.set(Number(entry), (await readFile(`/proc/${entry}/cmdline`, 'latin1')).replaceAll('\0', ' ').trim());
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return list;
}

function assertNoSecret(text: string, where: string): void {
  assert.ok(!text.includes(token), `${where} shows the password:\n${text}`);
}

void test('every command, succeeding or failing, prints no part of the password', async () => {
  const withUrl = (databaseUrl: string, ...args: string[]) =>
    cli(['-path', 'migrations', '-database', databaseUrl, '-lock-timeout', '1', ...args]);
  const runs: [string, CliRun][] = [];
  const record = async (what: string, run: Promise<CliRun>) => runs.push([what, await run]);

  await record('version before any', withUrl(url, 'version'));
  await record('up 1', withUrl(url, 'up', '1'));
  await record('status', withUrl(url, 'status'));
  await record('status json', withUrl(url, 'status', '-json'));
  await record('up verbose', withUrl(url, '-verbose', 'up'));
  await record('up again', withUrl(url, 'up'));
  await record('version', withUrl(url, 'version'));
  await record('down 1', withUrl(url, 'down', '1'));
  await record('down without N', withUrl(url, 'down'));
  await record('goto 2', withUrl(url, 'goto', '2'));
  await record('goto 9', withUrl(url, 'goto', '9'));
  await record('force 1', withUrl(url, 'force', '1'));
  await record('lint', withUrl(url, 'lint'));
  await record('verify', withUrl(url, 'verify'));
  await record('drop without -f', withUrl(url, 'drop'));
  await record('create', withUrl(url, 'create', '-ext', 'sql', '-seq', 'added'));
  await record('unknown database', withUrl(url.replace(db.name, 'ml_no_such_database'), 'up'));
  await record('wrong port', withUrl(url.replace(`:${TEST_SERVER.port})`, ':1)'), 'up'));
  await record('bad parameter', withUrl(`${url}?x-no-lock=perhaps`, 'up'));
  await record('unknown session variable', withUrl(`${url}?no_such_variable=1`, 'up'));
  await record('usage error', withUrl(url, 'up', 'many'));

  const lockName = advisoryLockName(db.name, 'schema_migrations');
  await db.sql.query('SELECT GET_LOCK(?, 0)', [lockName]);
  await record('lock held', withUrl(url, 'up'));
  await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);

  await writeFile(path.join(work, 'migrations', '3_broken.up.sql'), 'CREATE TABLE (;\n');
  await record('failing migration', withUrl(url, 'up'));
  await record('dirty version', withUrl(url, 'version'));
  await record('dirty refusal', withUrl(url, 'up'));
  await record('drop -f', withUrl(url, 'drop', '-f'));

  for (const [what, run] of runs) assertNoSecret(output(run), what);
  assert.ok(
    runs.some(([, run]) => run.status === 0) && runs.some(([, run]) => run.status !== 0),
    'both successes and failures were seen',
  );
  for (const name of await readdir(path.join(work, 'migrations'))) {
    assertNoSecret(await readFile(path.join(work, 'migrations', name), 'utf8'), name);
  }
});

void test('what is written to the database and what the server shows of a running command hold no password', async () => {
  await mkdir(path.join(work, 'slow'));
  await writeFile(path.join(work, 'slow', '1_a.up.sql'), 'CREATE TABLE a (id int);\n');
  await writeFile(path.join(work, 'slow', '2_sleep.up.sql'), 'SELECT SLEEP(30);\n');
  const running = cli(['-path', 'slow', '-database', url, 'up']);
  const statements = await waitFor('the migration to be running', async () => {
    const [rows] = await db.sql.query(
      'SELECT ID AS id, USER AS user, INFO AS info FROM information_schema.PROCESSLIST WHERE USER = ?',
      [user],
    );
    const list = rows as { id: number; info: string | null }[];
    return list.some((row) => /SLEEP/.test(row.info ?? '')) ? list : undefined;
  });
  assertNoSecret(JSON.stringify(statements), 'the server process list');
  await db.sql.query('KILL ?', [statements.find((row) => /SLEEP/.test(row.info ?? ''))!.id]);
  assertNoSecret(output(await running), 'the killed run');

  const [tables] = await db.sql.query('SHOW TABLES');
  const names = (tables as Record<string, string>[]).map((row) => Object.values(row)[0]);
  assert.ok(names.includes('schema_migrations_lens'), 'the ledger was written');
  for (const name of names) {
    const [rows] = await db.sql.query(`SELECT * FROM \`${name}\``);
    assertNoSecret(JSON.stringify(rows), `table ${name}`);
  }
});

void test('the OS process list shows no password while a command waits for the lock', async () => {
  const lockName = advisoryLockName(db.name, 'schema_migrations');
  await db.sql.query('SELECT GET_LOCK(?, 0)', [lockName]);
  // A folder of its own: `version` reads the source first, and the shared one holds a duplicate by now.
  await mkdir(path.join(work, 'waiting'));
  await writeFile(path.join(work, 'waiting', '1_a.up.sql'), 'CREATE TABLE a (id int);\n');
  const waiting = startCli(['-path', 'waiting', '-database', url, '-lock-timeout', '30', 'version'], work);
  let ended: CliRun | undefined;
  void waiting.done.then((run) => (ended = run));
  await waitFor('the command to wait for the lock', async () => {
    if (ended) assert.fail(`the command ended instead of waiting: ${output(ended)}`);
    const [rows] = await db.sql.query('SELECT INFO AS info FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
    return (rows as { info: string | null }[]).some((row) => /GET_LOCK/i.test(row.info ?? '')) ? true : undefined;
  });
  const list = await processList();
  await db.sql.query('SELECT RELEASE_LOCK(?)', [lockName]);
  const run = await waiting.done;

  assert.equal(list.get(waiting.child.pid!), 'migration-lens', 'the waiting command is listed under its own name');
  const leaks = [...list].filter(([, args]) => args.includes(token));
  assert.deepEqual(leaks, [], 'no process shows the password');
  assert.equal(run.status, 0, output(run));
  assertNoSecret(output(run), 'the command that waited');
});

void test('a password such as "1", "a" or "version" is never shown, and no message is altered to hide it', async () => {
  const folder = await folderWith('secret-words', {
    '1_a.up.sql': 'CREATE TABLE words_a (id int);\n',
    '1_a.down.sql': 'DROP TABLE words_a;\n',
  });
  const wordsUser = `ml_words_${token.slice(0, 8)}`;
  const server = `${TEST_SERVER.host}:${TEST_SERVER.port}`;
  const table = 'words_versions';
  await db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [wordsUser, '%', token]);
  await db.sql.query(`GRANT ALL ON \`${db.name}\`.* TO ?@?`, [wordsUser, '%']);
  await db.sql.query(`CREATE TABLE ${table} (version bigint not null primary key, dirty boolean not null)`);
  await db.sql.query(`INSERT INTO ${table} VALUES (1, 1)`);
  const dirty = (password: string) =>
    `mysql://${wordsUser}:${password}@tcp(${server})/${db.name}?x-migrations-table=${table}`;
  const cases: [string, (password: string) => string, string[]][] = [
    ['the dirty-database refusal', dirty, ['up']],
    ['the version of a dirty database', dirty, ['version']],
    ['a wrong password', (password) => `mysql://${wordsUser}:${password}x@tcp(${server})/${db.name}`, ['up']],
    [
      'an unknown database',
      (password) => `mysql://${wordsUser}:${password}@tcp(${server})/ml_no_such_database`,
      ['up'],
    ],
    ['a closed port', (password) => `mysql://${wordsUser}:${password}@tcp(127.0.0.1:1)/${db.name}`, ['up']],
    ['an unknown session variable', (password) => `${dirty(password)}&no_such_variable=1`, ['up']],
    ['a forgotten "@tcp"', (password) => `mysql://${wordsUser}:${password}(${server})/${db.name}`, ['up']],
    ['a forgotten "@"', (password) => `mysql://${wordsUser}:${password}tcp(${server})/${db.name}`, ['up']],
    ['a forgotten host', (password) => `mysql://${wordsUser}:${password}/${db.name}`, ['up']],
    ['a bad port', (password) => `mysql://${wordsUser}:${password}@tcp(127.0.0.1:port)/${db.name}`, ['up']],
    ['an unknown network', (password) => `mysql://${wordsUser}:${password}@udp(${server})/${db.name}`, ['up']],
    ['a bad parameter', (password) => `${dirty(password)}&x-no-lock=maybe`, ['up']],
    ['a bad session value', (password) => `${dirty(password)}&sql_mode=a%20b`, ['up']],
    ['a bad percent escape', (password) => `mysql://${wordsUser}:${password}%zz@tcp(${server})/${db.name}`, ['up']],
  ];
  const run = async (password: string, url: (password: string) => string, args: readonly string[]) => {
    await db.sql.query('ALTER USER ?@? IDENTIFIED BY ?', [wordsUser, '%', password]);
    const result = await runCliInProcess(['-path', folder, '-database', url(password), ...args], folder);
    return `status ${result.status}\n${result.stdout}${result.stderr}`;
  };
  try {
    for (const [what, url, args] of cases) {
      const reference = await run(token, url, args);
      assertNoSecret(reference, what);
      for (const password of ['1', 'a', 'v', 'version', 'Dirty', 'database', 'error', 'SECRET']) {
        assert.equal(await run(password, url, args), reference, `${what}, with the password "${password}"`);
      }
    }
    assert.match(await run('1', dirty, ['up']), /Dirty database version 1\b/);
    assert.match(await run('1', dirty, ['version']), /^1 \(dirty\)$/m);
  } finally {
    await db.sql.query('DROP USER IF EXISTS ?@?', [wordsUser, '%']);
    await rm(folder, { recursive: true, force: true });
  }
});
