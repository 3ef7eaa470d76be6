/**
 * Verify must never write to the real database, whatever a migration does to find it: a name written into the SQL,
 * a name assembled at run time and run through PREPARE/EXECUTE, or a guard that reads information_schema about the
 * real database to decide what to do. The real database here has `precious` with rows 1, 2, 3; after every run it
 * still has them, and the file that reached for it is named in the verdict.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, test } from 'node:test';
import { parseDatabaseUrl } from '../../src/adapters/mysql/dsn';
import { verifyFolder, type VerifyResult } from '../../src/adapters/verify-migrations';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { describeVerdict, reportFails, verdictLocations } from '../../src/core/verify-verdict';
import { createTestDatabase, folderWith, type TestDatabase } from './support';

let db: TestDatabase;
const folders: string[] = [];

before(async () => {
  db = await createTestDatabase('verify_sandbox');
  await db.sql.query('CREATE TABLE precious (i int PRIMARY KEY)');
});

beforeEach(async () => {
  await db.sql.query('DELETE FROM precious; INSERT INTO precious VALUES (1), (2), (3)');
});

after(async () => {
  await db.drop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function preciousRows(): Promise<number[]> {
  const [rows] = await db.sql.query('SELECT i FROM precious ORDER BY i');
  return (rows as { i: number }[]).map((row) => row.i);
}

async function leftoverScratchDatabases(): Promise<string[]> {
  const [rows] = await db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  return (rows as { name: string }[])
    .map((row) => row.name)
    .filter((name) => name.startsWith(scratchDatabasePrefix(db.name)));
}

/** Verifies a folder of `files` against the real database. */
async function verify(label: string, files: Record<string, string>): Promise<VerifyResult> {
  const folder = await folderWith(label, files);
  folders.push(folder);
  return verifyFolder(folder, parseDatabaseUrl(db.url));
}

void test('a DELETE on the real database built at run time and run by PREPARE/EXECUTE is refused, on its file', async () => {
  // The name is cut in two so that no text check can find it in the file.
  const [head, tail] = [db.name.slice(0, 3), db.name.slice(3)];
  const result = await verify('sandbox-dynamic', {
    '000001_trim_precious.up.sql': `SET @s = CONCAT('DELETE FROM ', '${head}', '${tail}.precious WHERE i=3'); PREPARE st FROM @s; EXECUTE st;\n`,
    '000001_trim_precious.down.sql': 'DO 0;\n',
  });
  assert.deepEqual(await preciousRows(), [1, 2, 3]);
  const [entry] = result.versions;
  assert.equal(entry.verdict.kind, 'reaches-outside');
  assert.match(
    describeVerdict(entry.verdict),
    /^reaches outside the scratch database: 000001_trim_precious\.up\.sql, statement 2, line 1: Error 1142: DELETE command denied to user 'ml_verify_[0-9a-f]{8}'@'[^']+' for table /,
  );
  assert.deepEqual(
    verdictLocations(entry).map((location) => [location.fileName, location.line]),
    [['000001_trim_precious.up.sql', 1]],
  );
  assert.equal(reportFails(result), false);
  assert.deepEqual(await leftoverScratchDatabases(), []);
});

void test('a guard reading information_schema about the real database sees nothing of it, so cannot act on it', async () => {
  // Seeing the real table, it would delete from it; seeing nothing, it creates a table its down drops.
  const result = await verify('sandbox-guard', {
    '000001_guarded_cleanup.up.sql': [
      `SET @dbname = "${db.name}";`,
      "SET @seen = (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @dbname AND TABLE_NAME = 'precious');",
      "SET @s = IF(@seen > 0, CONCAT('DELETE FROM ', @dbname, '.precious WHERE i = 2'), 'CREATE TABLE guard_saw_nothing (i int)');",
      'PREPARE st FROM @s;',
      'EXECUTE st;',
      'DEALLOCATE PREPARE st;',
      '',
    ].join('\n'),
    '000001_guarded_cleanup.down.sql': 'DROP TABLE guard_saw_nothing;\n',
  });
  assert.deepEqual(await preciousRows(), [1, 2, 3]);
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, describeVerdict(entry.verdict)]),
    [[1n, 'verified: the down undoes the up, and the up runs again after it']],
  );
  assert.deepEqual(await leftoverScratchDatabases(), []);
});

void test('a reach from a down file is reported on the down file, and the next versions are still verified', async () => {
  const result = await verify('sandbox-down', {
    '000001_create_notes.up.sql': 'CREATE TABLE notes (id int PRIMARY KEY);\n',
    '000001_create_notes.down.sql': `DROP TABLE notes;\nSET @s = CONCAT('TRUNCATE TABLE ', "${db.name}", '.precious');\nPREPARE st FROM @s;\nEXECUTE st;\n`,
    '000002_add_notes_body.up.sql': 'ALTER TABLE notes ADD COLUMN body text NULL;\n',
    '000002_add_notes_body.down.sql': 'ALTER TABLE notes DROP COLUMN body;\n',
  });
  assert.deepEqual(await preciousRows(), [1, 2, 3]);
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, entry.verdict.kind]),
    [
      [1n, 'reaches-outside'],
      [2n, 'verified'],
    ],
  );
  assert.match(
    describeVerdict(result.versions[0].verdict),
    /^reaches outside the scratch database: 000001_create_notes\.down\.sql, statement 4, line 4: Error 1142: DROP command denied/,
  );
});

void test('a database name written into the file is still reported as hard-coded, and never run', async () => {
  const result = await verify('sandbox-literal', {
    '000001_trim_precious.up.sql': `DELETE FROM ${db.name}.precious WHERE i = 1;\n`,
    '000001_trim_precious.down.sql': 'DO 0;\n',
  });
  assert.deepEqual(await preciousRows(), [1, 2, 3]);
  assert.deepEqual(
    result.versions.map((entry) => [entry.version, describeVerdict(entry.verdict)]),
    [
      [
        1n,
        `unverifiable on a scratch database: hard-coded schema name: ${db.name}.precious (000001_trim_precious.up.sql line 1)`,
      ],
    ],
  );
});
