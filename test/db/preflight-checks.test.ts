// Each check of the rows, on a database built to trigger it and on one built not to. The prediction is then held
// against the server: the pending file is run for real, and fails (or not) with the error the finding names.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { codes, preflightCase, prepareCase, runPending } from './preflight-support';
import { createTestDatabase, TEST_SERVER, type TestDatabase } from './support';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('preflight_checks');
});

after(async () => {
  await db?.drop();
});

const applied = {
  '1_base.up.sql':
    'CREATE TABLE orgs (id INT PRIMARY KEY, name VARCHAR(50));\n' +
    'CREATE TABLE users (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(100) NULL, age INT NULL, ' +
    'code VARCHAR(20) NULL, org_id INT NULL, legacy TEXT NULL);\n' +
    'CREATE TABLE tags (name VARCHAR(20) NULL, slug VARCHAR(20) NULL);\n' +
    'CREATE TABLE audit (id INT PRIMARY KEY);\n',
  '1_base.down.sql': 'DROP TABLE audit, tags, users, orgs;\n',
};

interface CheckCase {
  readonly code: string;
  readonly statement: string;
  /** Rows that make the statement fail (or lose data), and the server's error for it (none: it runs, losing data). */
  readonly trigger: string;
  readonly error?: number;
  /** Rows close to the line that do not. */
  readonly clean: string;
}

const CASES: Readonly<Record<string, CheckCase>> = {
  'duplicates under a new UNIQUE index, compared by the column collation; NULLs may repeat': {
    code: 'preflight-duplicates-under-unique',
    statement: 'ALTER TABLE users ADD UNIQUE INDEX u_email (email)',
    trigger: "INSERT INTO users (email) VALUES ('a@example.com'), ('A@example.com '), (NULL), (NULL)",
    error: 1062,
    clean: "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com'), (NULL), (NULL)",
  },
  'duplicates under a new primary key': {
    code: 'preflight-duplicates-under-unique',
    statement: 'ALTER TABLE tags ADD PRIMARY KEY (slug)',
    trigger: "INSERT INTO tags VALUES ('a', 'x'), ('b', 'x')",
    error: 1062,
    clean: "INSERT INTO tags VALUES ('a', 'x'), ('b', 'y')",
  },
  'NULLs under a new primary key': {
    code: 'preflight-nulls-under-not-null',
    statement: 'ALTER TABLE tags ADD PRIMARY KEY (slug)',
    trigger: "INSERT INTO tags VALUES ('a', NULL), ('b', 'y')",
    error: 1265,
    clean: "INSERT INTO tags VALUES ('a', 'x')",
  },
  'NULLs under NOT NULL, even with a DEFAULT': {
    code: 'preflight-nulls-under-not-null',
    statement: 'ALTER TABLE users MODIFY age INT NOT NULL DEFAULT 0',
    trigger: 'INSERT INTO users (age) VALUES (NULL), (3)',
    error: 1265,
    clean: 'INSERT INTO users (age) VALUES (1), (3)',
  },
  'values longer than a shortened VARCHAR, trailing spaces counted': {
    code: 'preflight-values-too-long',
    statement: 'ALTER TABLE users MODIFY code VARCHAR(5)',
    trigger: "INSERT INTO users (code) VALUES ('abcd  '), ('ab')",
    error: 1265,
    clean: "INSERT INTO users (code) VALUES ('abcde'), (NULL)",
  },
  'values outside a narrower integer type': {
    code: 'preflight-values-out-of-range',
    statement: 'ALTER TABLE users MODIFY age TINYINT',
    trigger: 'INSERT INTO users (age) VALUES (128), (1)',
    error: 1264,
    clean: 'INSERT INTO users (age) VALUES (127), (-128), (NULL)',
  },
  'text that is not a whole number, for VARCHAR to INT': {
    code: 'preflight-values-not-convertible',
    statement: 'ALTER TABLE users MODIFY code INT',
    trigger: "INSERT INTO users (code) VALUES ('12a'), ('3')",
    error: 1292,
    clean: "INSERT INTO users (code) VALUES (' 12 '), ('+7'), ('-0'), ('007'), (NULL)",
  },
  'whole numbers in text too large for INT': {
    code: 'preflight-values-out-of-range',
    statement: 'ALTER TABLE users MODIFY code INT',
    trigger: "INSERT INTO users (code) VALUES ('2147483648')",
    error: 1264,
    clean: "INSERT INTO users (code) VALUES ('2147483647'), ('-2147483648')",
  },
  'orphan rows under a new foreign key': {
    code: 'preflight-orphan-rows',
    statement: 'ALTER TABLE users ADD CONSTRAINT fk_org FOREIGN KEY (org_id) REFERENCES orgs (id)',
    trigger: "INSERT INTO orgs VALUES (1, 'one'); INSERT INTO users (org_id) VALUES (1), (2)",
    error: 1452,
    clean: "INSERT INTO orgs VALUES (1, 'one'); INSERT INTO users (org_id) VALUES (1), (NULL)",
  },
  'a dropped column that still holds values': {
    code: 'preflight-drops-data',
    statement: 'ALTER TABLE users DROP COLUMN legacy',
    trigger: "INSERT INTO users (legacy) VALUES ('kept'), (NULL)",
    clean: 'INSERT INTO users (legacy) VALUES (NULL), (NULL)',
  },
  'a dropped table that still holds rows': {
    code: 'preflight-drops-data',
    statement: 'DROP TABLE audit',
    trigger: 'INSERT INTO audit VALUES (1), (2)',
    clean: 'INSERT INTO users (email) VALUES (NULL)',
  },
};

void describe('each check: rows that trigger it, and rows that do not', () => {
  for (const [title, check] of Object.entries(CASES)) {
    const pending = { '2_change.up.sql': `-- ${title}\n${check.statement};\n`, '2_change.down.sql': 'SELECT 1;\n' };

    void test(`${title}: found, and the server agrees`, async () => {
      const result = await preflightCase(db, { applied, pending, data: check.trigger });
      const found = result.findings.filter((finding) => finding.code === check.code);
      assert.equal(found.length, 1, codes(result).join(', '));
      assert.equal(found[0].line, 2);
      assert.equal(found[0].severity, check.error === undefined ? 'warning' : 'error');
      assert.match(found[0].message, /\b[0-9,]+ rows?\b/);
      assert.equal(await runPending(db, pending), check.error);
    });

    void test(`${title}: no false alarm, and the server agrees`, async () => {
      const result = await preflightCase(db, { applied, pending, data: check.clean });
      assert.deepEqual(
        result.findings.filter((finding) => finding.severity === 'error' || finding.code === check.code),
        [],
      );
      assert.equal(await runPending(db, pending), undefined);
    });
  }
});

void test('a value is never shown, only counts', async () => {
  const result = await preflightCase(db, {
    applied,
    pending: {
      '2_change.up.sql': 'ALTER TABLE users ADD UNIQUE (email), MODIFY code VARCHAR(3), MODIFY age TINYINT;\n',
    },
    data: "INSERT INTO users (email, code, age) VALUES ('secret@example.com', 'secret-code', 4242), ('secret@example.com', 'x', 1)",
  });
  assert.deepEqual(
    codes(result)
      .filter((code) => !code.startsWith('preflight-c'))
      .sort(),
    ['preflight-duplicates-under-unique@1', 'preflight-values-out-of-range@1', 'preflight-values-too-long@1'],
  );
  for (const finding of result.findings) assert.doesNotMatch(finding.message, /secret|4242/);
});

void test('without strict mode the rows do not fail the statement: the finding says what happens to them', async () => {
  const pending = { '2_change.up.sql': 'ALTER TABLE users MODIFY code VARCHAR(2);\n' };
  const result = await preflightCase(db, {
    applied,
    pending,
    data: "INSERT INTO users (code) VALUES ('abc')",
    url: `${db.url}?sql_mode=%27NO_ENGINE_SUBSTITUTION%27`,
  });
  const [tooLong] = result.findings.filter((finding) => finding.code === 'preflight-values-too-long');
  assert.match(tooLong.message, /Without strict mode the statement does not fail: the values are cut\.$/);
});

void test('rows an earlier statement changes are not counted: no false alarm where a migration fixes its data first', async () => {
  const pending = {
    '2_dedupe.up.sql': "UPDATE users SET email = CONCAT(id, '-', email) WHERE email IS NOT NULL;\n",
    '3_unique.up.sql': 'ALTER TABLE users ADD UNIQUE (email);\n',
  };
  const result = await preflightCase(db, {
    applied,
    pending,
    data: "INSERT INTO users (email) VALUES ('a@example.com'), ('a@example.com')",
  });
  const skipped = result.findings.filter((finding) => finding.code === 'preflight-check-skipped');
  assert.deepEqual(
    skipped.map((finding) => [finding.fileName, finding.message]),
    [
      [
        '3_unique.up.sql',
        'Not checked (duplicates under UNIQUE (email) on users): 2_dedupe.up.sql line 1 changes the rows of users ' +
          'before this runs.',
      ],
    ],
  );
  assert.ok(!result.findings.some((finding) => finding.severity === 'error'));
  assert.equal(await runPending(db, pending), undefined);
});

void test('a table above preflight.maxTableRows is not counted, and a finding says so', async () => {
  const result = await preflightCase(db, {
    applied,
    pending: { '2_change.up.sql': 'ALTER TABLE users ADD UNIQUE (email);\n' },
    data: "INSERT INTO users (email) VALUES ('a'), ('a'), ('b')",
    config: { preflight: { maxTableRows: 2, statementTimeoutSeconds: 5 } },
  });
  assert.deepEqual(codes(result), ['preflight-execution@1', 'preflight-check-skipped@1']);
  assert.match(result.findings[1].message, /users holds 3 rows by its statistics, above preflight\.maxTableRows \(2\)/);
});

void test('a count the server stops at preflight.statementTimeoutSeconds is a skipped check, not an error', async () => {
  const run = await prepareCase(db, {
    applied,
    pending: { '2_change.up.sql': 'ALTER TABLE users ADD UNIQUE (email);\n' },
    data: "INSERT INTO users (email) VALUES ('a'), ('a')",
    config: { preflight: { maxTableRows: 1000, statementTimeoutSeconds: 1 } },
  });
  // Another session holds the table: the count waits for it until the server stops the count.
  const locker = await mysql.createConnection({ ...TEST_SERVER, database: db.name });
  try {
    await locker.query('LOCK TABLES users WRITE');
    const result = await run();
    const skipped = result.findings.filter((finding) => finding.code === 'preflight-check-skipped');
    assert.equal(skipped.length, 1, codes(result).join(', '));
    assert.match(skipped[0].message, /the count took longer than 1 s \(preflight\.statementTimeoutSeconds\)\.$/);
  } finally {
    await locker.end();
  }
  assert.ok((await run()).findings.some((finding) => finding.code === 'preflight-duplicates-under-unique'));
});
