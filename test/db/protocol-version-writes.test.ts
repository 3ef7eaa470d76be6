/**
 * The migrator writes the version table once per migration where golang-migrate writes it twice. These tests record
 * every committed state of the table with triggers and compare the sequence with golang-migrate's, which is derived
 * from the same plan: for each step (target, dirty) then (target, clean).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { FolderSource } from '../../src/adapters/file-source';
import { MigrationDatabase } from '../../src/adapters/mysql/database';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { migrate } from '../../src/app/open-session';
import { RunSession, type RunOptions } from '../../src/app/run-session';
import type { ProgressEvent, StepInfo } from '../../src/app/run-steps';
import { MigrationFailedError, SourceUnreadableError } from '../../src/core/errors';
import type { PlanRequest } from '../../src/core/plan';
import { createTestDatabase, folderWith, type TestDatabase, waitFor } from './support';

/** A committed state of the version table: its row, or 'empty'. */
type TableState = 'empty' | `${string}/${'dirty' | 'clean'}`;

let db: TestDatabase;
let scratch: string;
let folder: string;

before(async () => {
  db = await createTestDatabase('protocol_writes');
  scratch = await mkdtemp(path.join(tmpdir(), 'ml-protocol-'));
  folder = await folderWith(scratch, 'five', {
    '1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);',
    '1_users.down.sql': 'DROP TABLE users;',
    '2_orders.up.sql': 'CREATE TABLE orders (id int PRIMARY KEY);',
    '2_orders.down.sql': 'DROP TABLE orders;',
    '3_seed.up.sql': 'INSERT INTO users VALUES (1), (2);',
    '4_pair.up.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n',
    '4_pair.down.sql': 'DROP TABLE b;\nDROP TABLE a;\n',
    '5_items.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);',
    '5_items.down.sql': 'DROP TABLE items;',
  });
});

after(async () => {
  await db.drop();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.dropAllTables();
  // Transaction-precise system versioning keeps every row the table ever held with the transactions that wrote and
  // removed it, so the state after each commit can be read back; the invisible columns leave golang-migrate's SQL as is.
  await db.sql.query(`
    CREATE TABLE schema_migrations (
      version bigint not null primary key, dirty boolean not null,
      written_by bigint unsigned GENERATED ALWAYS AS ROW START INVISIBLE,
      removed_by bigint unsigned GENERATED ALWAYS AS ROW END INVISIBLE,
      PERIOD FOR SYSTEM_TIME (written_by, removed_by)
    ) ENGINE=InnoDB WITH SYSTEM VERSIONING`);
});

function target(runFolder = folder) {
  return { folder: runFolder, database: parseDatabaseUrl(db.url), lockTimeoutSeconds: 1 };
}

/** Sets the table to `state` and forgets its history, remembering the transaction that wrote it. */
async function setTable(state: TableState): Promise<void> {
  await db.sql.query('DELETE FROM schema_migrations');
  if (state !== 'empty') {
    const [version, dirty] = state.split('/');
    await db.sql.query('INSERT INTO schema_migrations (version, dirty) VALUES (?, ?)', [version, dirty === 'dirty']);
  }
  await db.sql.query('DELETE HISTORY FROM schema_migrations');
  const [rows] = await db.sql.query('SELECT CAST(written_by AS CHAR) AS trx FROM schema_migrations');
  setUpBy = (rows as { trx: string }[])[0]?.trx;
}

let setUpBy: string | undefined;

/** The end of a row that is still in the table. */
const STILL_CURRENT = '18446744073709551615';

function stateOf(version: bigint, dirty: boolean): TableState {
  return version < 0n && !dirty ? 'empty' : `${version}/${dirty ? 'dirty' : 'clean'}`;
}

/**
 * The table after each committed write since `setTable`, in commit order: a transaction either wrote the row then
 * current, or only removed one (the table empty). One runner writes at a time, so transaction ids follow commit order.
 */
async function committedStates(): Promise<TableState[]> {
  const [rows] = await db.sql.query(
    `SELECT CAST(version AS CHAR) AS version, dirty, CAST(written_by AS CHAR) AS written, CAST(removed_by AS CHAR) AS removed
     FROM schema_migrations FOR SYSTEM_TIME ALL`,
  );
  const history = rows as { version: string; dirty: number; written: string; removed: string }[];
  const transactions = new Set<bigint>();
  for (const row of history) {
    if (row.written !== setUpBy) transactions.add(BigInt(row.written));
    if (row.removed !== STILL_CURRENT) transactions.add(BigInt(row.removed));
  }
  return [...transactions]
    .sort((a, b) => (a < b ? -1 : 1))
    .map((trx) => {
      const written = history.find((row) => BigInt(row.written) === trx);
      return written ? stateOf(BigInt(written.version), written.dirty === 1) : 'empty';
    });
}

async function tableNow(): Promise<TableState> {
  const [rows] = await db.sql.query('SELECT CAST(version AS CHAR) AS version, dirty FROM schema_migrations');
  const [row] = rows as { version: string; dirty: number }[];
  return row ? stateOf(BigInt(row.version), row.dirty === 1) : 'empty';
}

/** golang-migrate's writes for the steps that ran: (target, dirty), then (target, clean) unless the step failed. */
function golangMigrateStates(targets: readonly bigint[], failedLast = false): TableState[] {
  return targets.flatMap((target, index) =>
    failedLast && index === targets.length - 1
      ? [stateOf(target, true)]
      : [stateOf(target, true), stateOf(target, false)],
  );
}

/** True when `states` appear in `reference` in the same order (each one a state `reference` also passes through). */
function isSubsequence(states: readonly TableState[], reference: readonly TableState[]): boolean {
  let at = 0;
  for (const state of states) {
    while (at < reference.length && reference[at] !== state) at++;
    if (at === reference.length) return false;
    at++;
  }
  return true;
}

/** What a test does at a step's event, given the run's connection id; the run waits for it. */
type OnEvent = (event: ProgressEvent, connectionId: number) => void | Promise<void>;

/**
 * Previews and runs a request in one session, recording the steps that started and the committed states of the
 * table, to compare with golang-migrate's protocol.
 */
async function runAndCompare(
  request: PlanRequest,
  runFolder = folder,
  options: RunOptions = {},
  onEvent: OnEvent = () => undefined,
) {
  const started: StepInfo[] = [];
  let database: MigrationDatabase | undefined;
  const session = new RunSession(
    new FolderSource(runFolder),
    async () => (database = await MigrationDatabase.open(parseDatabaseUrl(db.url))),
    { lockTimeoutSeconds: 1, createLedger: true },
  );
  const outcome = await session
    .preview(request)
    .then((preview) =>
      session.run(preview, {
        ...options,
        onProgress: async (event) => {
          if (event.kind === 'start') started.push(event.step);
          await options.onProgress?.(event);
          await onEvent(event, database!.connectionId);
        },
      }),
    )
    .then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    )
    .finally(() => session.close());
  return { outcome, started, states: await committedStates(), final: await tableNow() };
}

const sequences: { title: string; from: TableState; request: PlanRequest; targets: bigint[] }[] = [
  { title: 'up from an empty table', from: 'empty', request: { kind: 'up' }, targets: [1n, 2n, 3n, 4n, 5n] },
  { title: 'up 2', from: 'empty', request: { kind: 'up', limit: 2 }, targets: [1n, 2n] },
  { title: 'up one', from: '4/clean', request: { kind: 'up' }, targets: [5n] },
  { title: 'down all to nil', from: '5/clean', request: { kind: 'down' }, targets: [4n, 3n, 2n, 1n, -1n] },
  { title: 'down 2 (3 has no down file)', from: '4/clean', request: { kind: 'down', limit: 2 }, targets: [3n, 2n] },
  { title: 'goto 4', from: '1/clean', request: { kind: 'goto', version: 4n }, targets: [2n, 3n, 4n] },
  { title: 'goto 1', from: '5/clean', request: { kind: 'goto', version: 1n }, targets: [4n, 3n, 2n, 1n] },
  { title: 'up 3 with 1 left: limit short', from: '4/clean', request: { kind: 'up', limit: 3 }, targets: [5n] },
];

for (const { title, from, request, targets } of sequences) {
  void test(`${title}: one write per migration, every state one golang-migrate passes through, same end`, async () => {
    // The schema the starting version implies, so the files run as they would in a real history.
    await setTable('empty');
    if (from !== 'empty') await migrate({ kind: 'goto', version: BigInt(from.split('/')[0]) }, target());
    await setTable(from);
    const { outcome, started, states, final } = await runAndCompare(request);
    assert.ok(!('error' in outcome), `the run succeeds: ${'error' in outcome ? String(outcome.error) : ''}`);
    assert.deepEqual(
      started.map((step) => step.targetVersion),
      targets,
    );
    const reference = golangMigrateStates(targets);
    assert.deepEqual(states, [...targets.map((target) => stateOf(target, true)), stateOf(targets.at(-1)!, false)]);
    assert.ok(isSubsequence(states, reference), `${states.join(' ')} within ${reference.join(' ')}`);
    assert.equal(states.length, targets.length + 1, 'one write per migration plus the clean one');
    assert.equal(reference.length, 2 * targets.length, 'golang-migrate writes twice per migration');
    assert.equal(final, reference.at(-1));
  });
}

void test('a failing migration leaves exactly (target, dirty), as golang-migrate does; the steps before are not cleaned', async () => {
  const failing = await folderWith(scratch, 'failing', {
    '1_a.up.sql': 'CREATE TABLE a (id int);',
    '2_b.up.sql': 'CREATE TABLE b (id int);',
    '3_broken.up.sql': 'CREATE TABLE c (id int);\nCREATE TABLE oops (;\n',
  });
  await setTable('empty');
  const { outcome, states, final } = await runAndCompare({ kind: 'up' }, failing);
  assert.ok('error' in outcome && outcome.error instanceof MigrationFailedError);
  const reference = golangMigrateStates([1n, 2n, 3n], true);
  assert.deepEqual(states, ['1/dirty', '2/dirty', '3/dirty']);
  assert.ok(isSubsequence(states, reference));
  assert.equal(final, '3/dirty');
  assert.equal(final, reference.at(-1));
});

void test('a failing first down of the first migration leaves (-1, dirty), as golang-migrate does', async () => {
  const failing = await folderWith(scratch, 'failing-down', {
    '1_a.up.sql': 'CREATE TABLE a (id int);',
    '1_a.down.sql': 'DROP TABLE never_there;',
  });
  await setTable('1/clean');
  const { outcome, states, final } = await runAndCompare({ kind: 'down' }, failing);
  assert.ok('error' in outcome && outcome.error instanceof MigrationFailedError);
  assert.deepEqual(states, ['-1/dirty']);
  assert.equal(final, golangMigrateStates([-1n], true).at(-1));
});

void test('cancel after step 2: (2, clean) written once at the stop, as golang-migrate would have left', async () => {
  await setTable('empty');
  const controller = new AbortController();
  const { outcome, states, final } = await runAndCompare({ kind: 'up' }, folder, {
    signal: controller.signal,
    onProgress: (event) => {
      if (event.kind === 'done' && event.step.version === 2n) controller.abort();
    },
  });
  assert.ok('result' in outcome);
  assert.deepEqual(outcome.result.outcome, { kind: 'cancelled' });
  assert.deepEqual(outcome.result.version, { version: 2n, dirty: false });
  assert.deepEqual(states, ['1/dirty', '2/dirty', '2/clean']);
  assert.ok(isSubsequence(states, golangMigrateStates([1n, 2n])));
  assert.equal(final, '2/clean');
});

void test('a stop before a step runs (its listener fails, a file is not UTF-8) cleans the finished one before failing', async () => {
  await setTable('empty');
  const refused = await runAndCompare({ kind: 'up' }, folder, {}, (event) => {
    if (event.kind === 'start' && event.step.version === 3n) throw new Error('stopped here');
  });
  assert.ok('error' in refused.outcome);
  assert.match(String(refused.outcome.error), /stopped here/);
  assert.deepEqual(refused.states, ['1/dirty', '2/dirty', '2/clean']);
  assert.equal(refused.final, '2/clean');

  const latin1 = await folderWith(scratch, 'latin1', {
    '1_a.up.sql': 'CREATE TABLE a (id int);',
    '2_b.up.sql': Buffer.from([0x2d, 0x2d, 0x20, 0xe9, 0x0a]),
  });
  await setTable('empty');
  const encoding = await runAndCompare({ kind: 'up' }, latin1);
  assert.ok('error' in encoding.outcome && encoding.outcome.error instanceof SourceUnreadableError);
  assert.deepEqual(encoding.states, ['1/dirty', '1/clean']);
  assert.ok(isSubsequence(encoding.states, golangMigrateStates([1n])));
  assert.equal(encoding.final, '1/clean');
});

/** Kills the migrator's connection from another session, as a crash of the runner would end it. */
async function killConnection(connectionId: number): Promise<void> {
  await db.sql.query('KILL CONNECTION ?', [connectionId]);
}

void test('crash after a migration finished, before the next write: that version dirty, in both tools', async () => {
  await setTable('empty');
  const { outcome, states, final } = await runAndCompare({ kind: 'up' }, folder, {}, async (event, connectionId) => {
    if (event.kind === 'done' && event.step.version === 2n) await killConnection(connectionId);
  });
  assert.ok('error' in outcome, 'the run stops on the lost connection');
  assert.deepEqual(states, ['1/dirty', '2/dirty']);
  // golang-migrate crashing after 2 finished and before its clean write leaves the same state.
  assert.equal(final, golangMigrateStates([1n, 2n], true).at(-1));
  await db.waitForFreeLock();
});

void test('crash before the next migration starts: the finished version dirty, a state golang-migrate can be left in', async () => {
  await setTable('empty');
  const { outcome, states, final } = await runAndCompare({ kind: 'up' }, folder, {}, async (event, connectionId) => {
    if (event.kind === 'start' && event.step.version === 3n) await killConnection(connectionId);
  });
  assert.ok('error' in outcome);
  assert.deepEqual(states, ['1/dirty', '2/dirty']);
  assert.equal(final, '2/dirty');
  assert.ok(golangMigrateStates([1n, 2n, 3n]).includes(final));
  await db.waitForFreeLock();
});

void test('crash while a migration runs: (target, dirty) in both tools, nothing written after', async () => {
  const slow = await folderWith(scratch, 'slow', {
    '1_a.up.sql': 'CREATE TABLE a (id int);',
    '2_slow.up.sql': 'CREATE TABLE b (id int);\nSELECT SLEEP(30);\nCREATE TABLE c (id int);\n',
    '3_d.up.sql': 'CREATE TABLE d (id int);',
  });
  await setTable('empty');
  let runner: number | undefined;
  const running = runAndCompare({ kind: 'up' }, slow, {}, (_event, connectionId) => {
    runner = connectionId;
  });
  await waitFor('migration 2 to be sleeping', async () => {
    if (runner === undefined) return undefined;
    const [rows] = await db.sql.query('SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ?', [runner]);
    return /SLEEP/i.test((rows as { INFO: string | null }[])[0]?.INFO ?? '') ? true : undefined;
  });
  await killConnection(runner!);
  const { outcome, states, final } = await running;
  assert.ok('error' in outcome);
  assert.deepEqual(states, ['1/dirty', '2/dirty']);
  assert.equal(final, golangMigrateStates([1n, 2n], true).at(-1));
  const [tables] = await db.sql.query("SHOW TABLES LIKE 'c'");
  assert.deepEqual(tables, [], 'the statement after the killed one never ran');
  await db.waitForFreeLock();
});

void test('a file that cannot be read is not reported when the run stops before it', async () => {
  const failingFirst = await folderWith(scratch, 'read-ahead', {
    '1_a.up.sql': 'CREATE TABLE (;',
    '2_b.up.sql': Buffer.from([0xff, 0xfe]),
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await setTable('empty');
    const { outcome, states } = await runAndCompare({ kind: 'up' }, failingFirst);
    assert.ok('error' in outcome && outcome.error instanceof MigrationFailedError, 'the first file fails');
    assert.deepEqual(states, ['1/dirty']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
