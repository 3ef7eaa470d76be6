import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { verifyFolder, type VerifyResult } from '../../src/adapters/verify-migrations';
import { scratchDatabasePrefix, SCRATCH_DATABASE_PREFIX } from '../../src/core/verify-scratch-name';
import { describeVerdict, reportFails, verdictLocations, type VersionVerdict } from '../../src/core/verify-verdict';
import type { VerifyProgress } from '../../src/core/verify-run';
import { createTestDatabase, type TestDatabase } from './support';
import { FIXTURE_VERDICTS } from './verify-fixture';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/verify');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('verify_verdicts');
  // The real database has its own state: a table and a version row that Verify must leave alone.
  await db.sql.query(
    'CREATE TABLE customers (id int PRIMARY KEY); INSERT INTO customers VALUES (1), (2);' +
      'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);' +
      'INSERT INTO schema_migrations VALUES (3, 0)',
  );
});

after(async () => {
  await db.drop();
});

async function realState(): Promise<unknown> {
  const [tables] = await db.sql.query('SHOW TABLES');
  const [version] = await db.sql.query('SELECT version, dirty FROM schema_migrations');
  const [customers] = await db.sql.query('SELECT id FROM customers ORDER BY id');
  return { tables, version, customers };
}

/** Scratch databases made for this test's real database that are still on the server. */
async function leftoverScratchDatabases(): Promise<string[]> {
  const prefix = scratchDatabasePrefix(db.name);
  const [rows] = await db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  return (rows as { name: string }[]).map((row) => row.name).filter((name) => name.startsWith(prefix));
}

function verdictOf(result: VerifyResult, version: bigint): VersionVerdict {
  const entry = result.versions.find((candidate) => candidate.version === version);
  assert.ok(entry, `no verdict for version ${version}`);
  return entry;
}

let verdicts: VerifyResult;
const progress: VerifyProgress[] = [];
const streamed: bigint[] = [];

void test('verifies the verdict fixtures on a scratch database and leaves the real one untouched', async () => {
  const stateBefore = await realState();
  verdicts = await verifyFolder(path.join(FIXTURES, 'verdicts'), parseDatabaseUrl(db.url), {
    onProgress: (step) => progress.push(step),
    onVerdict: (entry) => streamed.push(entry.version),
  });
  assert.deepEqual(await realState(), stateBefore);
  assert.deepEqual(await leftoverScratchDatabases(), []);
  assert.ok(verdicts.scratchDatabase.startsWith(scratchDatabasePrefix(db.name)));
  assert.ok(verdicts.scratchDatabase.startsWith(SCRATCH_DATABASE_PREFIX));
  assert.equal(verdicts.realDatabase, db.name);
  assert.deepEqual(
    verdicts.versions.map((entry) => [entry.version, entry.verdict.kind]),
    FIXTURE_VERDICTS,
  );
  assert.deepEqual(
    streamed,
    verdicts.versions.map((entry) => entry.version),
  );
  assert.equal(reportFails(verdicts), true);
  assert.equal(verdicts.cancelled, false);
});

void test('a correct pair is verified', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 2n).verdict),
    'verified: the down undoes the up, and the up runs again after it',
  );
});

void test('a down that forgets an index: the index still exists', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 4n).verdict),
    'the down leaves 1 difference: index idx_users_created still exists on users',
  );
});

void test('a down that leaves a column behind: the column still exists', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 5n).verdict),
    'the down leaves 1 difference: column users.email still exists',
  );
});

void test('a down that drops an index a foreign key needs: the server refuses it, at the statement and line', () => {
  const entry = verdictOf(verdicts, 6n);
  assert.equal(entry.verdict.kind, 'down-failed');
  assert.match(
    describeVerdict(entry.verdict),
    /^the down fails: statement 1, line 3: Error 1553: Cannot drop index 'idx_orders_user_created': needed in a foreign key constraint$/,
  );
  assert.deepEqual(
    verdictLocations(entry).map((location) => [location.fileName, location.line, location.severity]),
    [['000006_replace_orders_user_index.down.sql', 3, 'error']],
  );
});

void test('a down that drops a table the up did not create: the table is missing', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 7n).verdict),
    'the down leaves 1 difference: table audit_log missing',
  );
});

void test('an up that is not repeatable: the second up fails at its INSERT', () => {
  const entry = verdictOf(verdicts, 8n);
  assert.equal(
    describeVerdict(entry.verdict),
    "the up is not repeatable after its down: statement 2, line 2: Error 1062: Duplicate entry 'theme' for key 'PRIMARY'",
  );
  assert.deepEqual(
    verdictLocations(entry).map((location) => [location.fileName, location.line]),
    [['000008_seed_theme_setting.up.sql', 2]],
  );
});

void test('a down that recreates a foreign key differently: the rule that differs, now vs before the up', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 9n).verdict),
    'the down leaves 1 difference: foreign key fk_orders_user differs: ON DELETE CASCADE vs RESTRICT',
  );
});

void test('an up-only version: a rollback moves the version and changes nothing', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 10n).verdict),
    'no down file: a rollback moves the version and changes nothing',
  );
});

void test('an up that fails stops verification there, and later versions are said not verified', () => {
  assert.equal(
    describeVerdict(verdictOf(verdicts, 11n).verdict),
    "the up fails: statement 2, line 2: Error 1072: Key column 'rol' doesn't exist in table",
  );
  assert.equal(
    describeVerdict(verdictOf(verdicts, 12n).verdict),
    "not verified: version 11's up fails and later versions depend on it",
  );
  assert.deepEqual(verdicts.stopped, {
    reason: "version 11's up fails and later versions depend on it",
    broken: true,
  });
});

void test('broken downs do not make the next versions look broken: the state is restored between versions', () => {
  assert.ok(progress.some((step) => step.version === 7n && step.step === 'restoring'));
  assert.deepEqual(
    [...new Set(progress.filter((step) => step.step === 'up again').map((step) => step.version))],
    [1n, 2n, 3n, 8n],
  );
  assert.ok(progress.every((step) => step.total === 12));
});

void test('--from/--to: earlier ups are applied without verdicts, later versions are left out', async () => {
  const result = await verifyFolder(path.join(FIXTURES, 'verdicts'), parseDatabaseUrl(db.url), {
    from: 4n,
    to: 5n,
  });
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, entry.verdict.kind]),
    [
      [4n, 'down-differs'],
      [5n, 'down-differs'],
    ],
  );
  assert.deepEqual(await leftoverScratchDatabases(), []);
});

void test('hard-coded schema names are reported as unverifiable, never run, and not counted as a failure', async () => {
  const result = await verifyFolder(path.join(FIXTURES, 'schema-names'), parseDatabaseUrl(db.url));
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, entry.verdict.kind]),
    [
      [1n, 'verified'],
      [2n, 'unverifiable'],
      [3n, 'not-verified'],
    ],
  );
  assert.equal(
    describeVerdict(result.versions[1].verdict),
    'unverifiable on a scratch database: hard-coded schema name: fitness.users (000002_add_users_bio.up.sql line 2); ' +
      'fitness.users (000002_add_users_bio.down.sql line 1)',
  );
  assert.equal(reportFails(result), false);
  assert.deepEqual(await leftoverScratchDatabases(), []);
});

void test('views, triggers, routines and a renamed referenced column: left behind, dropped, or changed', async () => {
  const result = await verifyFolder(path.join(FIXTURES, 'objects'), parseDatabaseUrl(db.url));
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, describeVerdict(entry.verdict)]),
    [
      [1n, 'verified: the down undoes the up, and the up runs again after it'],
      [2n, 'the down leaves 1 difference: procedure archive_accounts still exists'],
      [3n, 'the down leaves 1 difference: trigger trg_audit still exists'],
      [4n, 'verified: the down undoes the up, and the up runs again after it'],
      [5n, 'the down leaves 1 difference: view v_accounts differs: definition changed'],
      [6n, 'verified: the down undoes the up, and the up runs again after it'],
      [
        7n,
        'the down leaves 4 differences: ' +
          'foreign key fk_notes_account differs: references accounts(account_no) vs accounts(id); ' +
          'column accounts.account_no still exists; column accounts.id missing; ' +
          'index PRIMARY on accounts differs: columns (account_no) vs (id)',
      ],
    ],
  );
  assert.deepEqual(await leftoverScratchDatabases(), []);
});
