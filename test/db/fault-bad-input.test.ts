/**
 * Hostile and broken input to the command line, run in-process: every case ends with one clear `error:` line (no stack,
 * no crash), within the connect timeout, without leaking a connection, and without writing anything it should not.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, runCliInProcess as cli, TEST_SERVER, type TestDatabase, waitFor } from './support';

let db: TestDatabase;
let scratch: string;

before(async () => {
  db = await createTestDatabase('fault_bad_input');
  scratch = await mkdtemp(path.join(tmpdir(), 'ml-bad-input-'));
});

after(async () => {
  await db.drop();
  await rm(scratch, { recursive: true, force: true });
});

interface Case {
  readonly title: string;
  /** Arguments after `-path <folder>`; `URL` is the test database's URL, a function gives an argument made late. */
  readonly args: readonly (string | (() => string))[];
  /** The migrations folder's files; a valid one-migration folder when absent. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  /** Tables expected afterwards besides the version table and the ledger, and the version table's row. */
  readonly leaves?: { readonly tables: readonly string[]; readonly version: string };
  /** No `-path` at all. */
  readonly noFolder?: boolean;
}

const VALID = { '1_create_a.up.sql': 'CREATE TABLE a (id int);\n', '1_create_a.down.sql': 'DROP TABLE a;\n' };
const SERVER = `${TEST_SERVER.host}:${TEST_SERVER.port}`;
const USER = encodeURIComponent(TEST_SERVER.user);
const BOOKKEEPING = new Set(['schema_migrations', 'schema_migrations_lens']);

function url(rest: string): string {
  return `mysql://${USER}@tcp(${SERVER})/${db.name}${rest}`;
}

const cases: Case[] = [];

// Names golang-migrate does not accept as migrations: alone in the folder, there is nothing to apply.
for (const name of [
  '1_a.UP.sql',
  '1_a.Up.sql',
  'a_1.up.sql',
  '1.up.sql',
  '1_a.sideways.sql',
  '1_a.up',
  '99999999999999999999_a.up.sql',
  '-1_a.up.sql',
  ' 1_a.up.sql',
  '0x1_a.up.sql',
  '1e3_a.up.sql',
  '.1_a.up.sql',
  '\uff11_fullwidth.up.sql',
  'README.md',
]) {
  cases.push({
    title: `malformed name ${JSON.stringify(name)}`,
    files: { [name]: 'CREATE TABLE a (id int);' },
    args: ['-database', 'URL', 'up'],
  });
}

// Two files for one version and direction refuse the whole folder, whatever the command.
for (const pair of [
  ['1_a.up.sql', '01_b.up.sql'],
  ['1_a.up.sql', '1_a.up.txt'],
  ['1_a.up.sql', '001_a.up.sql'],
  ['1_a.up.sql', '1_.up.sql'],
  ['1_a.up.sql', '1_a.up.'],
  ['2_a.down.sql', '02_b.down.sql'],
]) {
  for (const command of [['up'], ['goto', '1']]) {
    cases.push({
      title: `duplicate ${pair.join(' + ')}, ${command.join(' ')}`,
      files: {
        '1_a.up.sql': 'CREATE TABLE a (id int);',
        [pair[0]]: 'CREATE TABLE a (id int);',
        [pair[1]]: 'SELECT 1;',
      },
      args: ['-database', 'URL', ...command],
    });
  }
}

// Bytes that are not UTF-8: refused before anything runs.
for (const [what, bytes] of [
  ['Latin-1 e-acute', [0xe9]],
  ['0xff', [0xff]],
  ['lone continuation byte', [0x80]],
  ['overlong slash', [0xc0, 0xaf]],
  ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ['truncated four-byte sequence', [0xf0, 0x9f, 0x98]],
] as const) {
  cases.push({
    title: `non-UTF-8 file (${what})`,
    files: { '1_a.up.sql': Buffer.concat([Buffer.from('CREATE TABLE a (id int); -- '), Buffer.from(bytes)]) },
    args: ['-database', 'URL', 'up'],
  });
}
const tenMegabytes = 10 * 2 ** 20;
cases.push({
  title: 'a 10 MB file that is not UTF-8',
  files: { '1_big.up.sql': Buffer.concat([Buffer.alloc(tenMegabytes, '-- filler line\n'), Buffer.from([0xff])]) },
  args: ['-database', 'URL', 'up'],
});
cases.push({
  title: 'a 10 MB file with a syntax error at its end',
  files: { '1_big.up.sql': `${'-- filler line\n'.repeat(tenMegabytes / 15)}CREATE TABLE big (;\n` },
  args: ['-database', 'URL', 'up'],
  leaves: { tables: [], version: '1/dirty' },
});

// Migrations the server rejects: the version is left dirty as golang-migrate leaves it, nothing else changes.
for (const [what, text, tables] of [
  ['a syntax error', 'CREATE TABLE (;\n', []],
  ['a misspelt keyword', 'SELEC 1;\n', []],
  ['an error in the second statement', 'CREATE TABLE a (id int);\nCREATE TABLE b (id int,);\n', ['a']],
  ['an empty file', '', []],
  ['a blank file', '  \n\t\n', []],
  ['a DELIMITER line', 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\n', []],
  ['an unknown table', 'INSERT INTO never_created VALUES (1);\n', []],
] as const) {
  cases.push({
    title: `a migration with ${what}`,
    files: { '1_a.up.sql': text },
    args: ['-database', 'URL', 'up'],
    leaves: { tables, version: '1/dirty' },
  });
}

// Database URLs that cannot work, each tried with a command that reads and two that write.
const BAD_URLS: [string, () => string][] = [
  ['an empty URL', () => ''],
  ['only the scheme', () => 'mysql://'],
  ['one slash', () => `mysql:/${USER}@tcp(${SERVER})/${db.name}`],
  ['no scheme', () => `${USER}@tcp(${SERVER})/${db.name}`],
  ['another scheme', () => `postgres://${USER}@${SERVER}/${db.name}`],
  ['an unclosed address', () => `mysql://${USER}@tcp(${SERVER}/${db.name}`],
  ['no parenthesis', () => `mysql://${USER}@tcp${SERVER})/${db.name}`],
  ['a port that is not a number', () => `mysql://${USER}@tcp(127.0.0.1:port)/${db.name}`],
  ['a port above 65535', () => `mysql://${USER}@tcp(127.0.0.1:99999)/${db.name}`],
  ['a bad percent escape', () => `mysql://ro%zzot@tcp(${SERVER})/${db.name}`],
  ['x-no-lock=maybe', () => url('?x-no-lock=maybe')],
  ['x-statement-timeout=abc', () => url('?x-statement-timeout=abc')],
  ['x-statement-timeout=-5', () => url('?x-statement-timeout=-5')],
  ['tls=bogus', () => url('?tls=bogus')],
  ['tls=custom without a CA', () => url('?tls=custom')],
  ['a missing x-tls-ca file', () => url('?tls=custom&x-tls-ca=/nonexistent/ca.pem')],
  ['timeout=soon', () => url('?timeout=soon')],
  ['an unknown session variable', () => url('?no_such_variable=1')],
  ['a session variable name that is not a name', () => url('?1bad%3Bx=2')],
  ['SQL in a session value', () => url('?sql_mode=%27%27%3BDROP%20TABLE%20keep')],
  [
    // The first setting turns backslash escapes off, so the second one's \' ends its string and the rest runs.
    'SQL after a backslash quote once NO_BACKSLASH_ESCAPES is on',
    () =>
      url(
        `?sql_mode=%27NO_BACKSLASH_ESCAPES%27&autocommit=${encodeURIComponent("'\\'=''; CREATE TABLE pwn (id int); #'")}`,
      ),
  ],
  ['a wrong password', () => `mysql://${USER}:wrong-password@tcp(${SERVER})/${db.name}`],
  ['an unknown user', () => `mysql://ml_no_such_user:x@tcp(${SERVER})/${db.name}`],
  ['an unknown database', () => `mysql://${USER}@tcp(${SERVER})/ml_no_such_database`],
  ['a closed port', () => `mysql://${USER}@tcp(127.0.0.1:1)/${db.name}`],
  ['an unknown host', () => `mysql://${USER}@tcp(no-such-host.invalid:3306)/${db.name}?timeout=2s`],
  ['an unreachable host', () => `mysql://${USER}@tcp(192.0.2.1:3306)/${db.name}?timeout=1s`],
  ['a missing socket', () => `mysql://${USER}@unix(/nonexistent/mysqld.sock)/${db.name}`],
  ['no database name', () => `mysql://${USER}@tcp(${SERVER})/`],
  ['a path after the database name', () => `mysql://${USER}@tcp(${SERVER})/${db.name}/extra`],
  ['a database name with a backtick', () => `mysql://${USER}@tcp(${SERVER})/a%60b`],
];
for (const [what, make] of BAD_URLS) {
  for (const command of [['version'], ['up'], ['force', '1']]) {
    cases.push({ title: `${what}, ${command.join(' ')}`, args: ['-database', make, ...command] });
  }
}

// Arguments and flags golang-migrate rejects.
for (const args of [
  ['up', '-1'],
  ['up', 'abc'],
  ['up', '1', '2'],
  ['down', '-1'],
  ['down', 'abc'],
  ['goto'],
  ['goto', 'abc'],
  ['goto', '-5'],
  ['goto', '7'],
  ['force'],
  ['force', 'abc'],
  ['force', '-2'],
  ['force', '1', '2'],
  ['-lock-timeout', '-1', 'up'],
  ['-lock-timeout', 'soon', 'up'],
  ['-no-such-flag', 'up'],
  ['no-such-command'],
  [],
  ['create'],
  ['create', '-ext', 'sql'],
  ['create', '-seq', '-format', 'unix', '-ext', 'sql', 'x'],
  ['create', '-seq', '-digits', '0', '-ext', 'sql', 'x'],
  ['create', '-ext', 'sql', '-format', '', 'x'],
  ['create', '-seq', '-digits', '1', '-ext', 'sql', 'x'],
]) {
  cases.push({
    title: `arguments ${JSON.stringify(args)}`,
    files: {
      ...VALID,
      '9_last.up.sql': 'CREATE TABLE nine (id int);',
    },
    args: ['-database', 'URL', ...args],
  });
}
cases.push({ title: 'no -path', args: ['-database', 'URL', 'up'], noFolder: true });
cases.push({
  title: 'a -source that is not file://',
  args: ['-source', 'http://example.com/x', '-database', 'URL', 'up'],
  noFolder: true,
});
cases.push({
  title: 'a -path that does not exist',
  args: ['-path', '/nonexistent/migrations', '-database', 'URL', 'up'],
  noFolder: true,
});
cases.push({ title: 'a -path that is a file', args: ['-path', __filename, '-database', 'URL', 'up'], noFolder: true });

async function resetDatabase(): Promise<void> {
  await db.dropAllTables();
  await db.sql.query('CREATE TABLE keep (id int)');
}

async function versionRows(table = 'schema_migrations'): Promise<string[]> {
  const [rows] = await db.sql.query(
    `SELECT CONCAT(version, '/', IF(dirty, 'dirty', 'clean')) AS state FROM \`${table.replace(/`/g, '``')}\``,
  );
  return (rows as { state: string }[]).map((row) => row.state);
}

function socketCount(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap' || kind === 'PipeWrap').length;
}

let counter = 0;
for (const item of cases) {
  void test(item.title, { timeout: 30_000 }, async () => {
    await resetDatabase();
    const folder = path.join(scratch, `case-${++counter}`);
    await mkdir(folder);
    for (const [name, content] of Object.entries(item.files ?? VALID))
      await writeFile(path.join(folder, name), content);
    const filesBefore = (await readdir(folder)).sort();
    const sockets = socketCount();
    const argv = [
      ...(item.noFolder ? [] : ['-path', folder]),
      ...item.args.map((arg) => (arg === 'URL' ? db.url : typeof arg === 'function' ? arg() : arg)),
    ];

    const { status, stderr } = await cli(argv, folder);

    assert.ok(status === 1 || status === 2, `exit status 1 or 2, got ${status}; stderr: ${stderr}`);
    const errorLines = stderr.split('\n').filter((line) => line.startsWith('error: '));
    assert.equal(errorLines.length, 1, `one error line in:\n${stderr}`);
    assert.ok(errorLines[0].length > 'error: '.length + 10, 'the error says something');
    assert.doesNotMatch(stderr, /^\s+at |\[object Object\]|\bundefined\b|TypeError|ReferenceError/m);
    await waitFor('connections to close', () => Promise.resolve(socketCount() <= sockets ? true : undefined));

    const expected = item.leaves;
    const after = await db.tables();
    assert.deepEqual(
      after.filter((name) => !BOOKKEEPING.has(name) && name !== 'keep'),
      [...(expected?.tables ?? [])].sort(),
      'no table was created or dropped',
    );
    assert.ok(after.includes('keep'), 'the table that was there is still there');
    if (after.includes('schema_migrations')) {
      assert.deepEqual(await versionRows(), expected ? [expected.version] : []);
    } else {
      assert.equal(expected, undefined, 'the version table records the failure');
    }
    assert.deepEqual((await readdir(folder)).sort(), filesBefore, 'no file was created');
  });
}

void test(`at least 100 cases`, () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
});

void test('a version table named with backticks and SQL is quoted, not run', async () => {
  await resetDatabase();
  const folder = path.join(scratch, 'backticks');
  await mkdir(folder);
  for (const [name, content] of Object.entries(VALID)) await writeFile(path.join(folder, name), content);
  for (const table of ['a`b', 'x`; DROP TABLE keep; --', '`']) {
    const { status, stderr } = await cli(
      ['-path', folder, '-database', `${db.url}?x-migrations-table=${encodeURIComponent(table)}`, 'force', '1'],
      folder,
    );
    assert.equal(status, 0, stderr);
    assert.deepEqual(await versionRows(table), ['1/clean']);
    assert.ok((await db.tables()).includes('keep'));
  }
});
