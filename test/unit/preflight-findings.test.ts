import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blockingFindings,
  confirmationParagraph,
  executionWords,
  onlineSchemaChangeCommand,
  type PreflightFinding,
  type RawFinding,
  settleFindings,
  sizeWords,
} from '../../src/core/preflight-findings';

const users = { rows: 1_234_567, bytes: 380 * 1024 * 1024 };

void test('verdicts in words, with the table’s estimated size', () => {
  assert.equal(sizeWords(users), 'about 1.2 M rows, 380 MB');
  assert.equal(sizeWords({ rows: 12_400, bytes: 1536 }), 'about 12 k rows, 1.5 KB');
  assert.equal(sizeWords({ rows: 1, bytes: 16_384 }), 'about 1 row, 16 KB');
  assert.deepEqual(executionWords({ algorithm: 'COPY', lock: 'SHARED' }, 'users', users), {
    code: 'preflight-copies-table',
    words: 'copies the table and blocks writes: users, about 1.2 M rows, 380 MB',
    blocking: true,
  });
  assert.deepEqual(executionWords({ algorithm: 'INSTANT' }, 'users', users), {
    code: 'preflight-execution',
    words: 'instant: changes only the table definition',
    blocking: false,
  });
  assert.equal(
    executionWords({ algorithm: 'INPLACE', lock: 'NONE' }, 'users', users).words,
    'rebuilds the table in place, writes allowed: users, about 1.2 M rows, 380 MB',
  );
  assert.equal(
    executionWords({ algorithm: 'NOCOPY', lock: 'NONE' }, 'users', users).words,
    'works in place without rebuilding the table, writes allowed: users, about 1.2 M rows, 380 MB',
  );
  assert.deepEqual(
    executionWords({ algorithm: 'INPLACE', lock: 'SHARED' }, 'posts', users).code,
    'preflight-blocks-writes',
  );
  assert.equal(
    executionWords({ algorithm: 'COPY', lock: 'EXCLUSIVE' }, 'users', users).words,
    'copies the table and blocks reads and writes: users, about 1.2 M rows, 380 MB',
  );
  assert.match(
    executionWords({ algorithm: 'INSTANT', engineChange: true }, 'users', users).words,
    /^copies the table and blocks writes \(a change of engine/,
  );
});

void test('a blocking change of a table with no rows, or not there yet, is only information', () => {
  assert.deepEqual(executionWords({ algorithm: 'COPY', lock: 'SHARED' }, 'orders', undefined), {
    code: 'preflight-execution',
    words: 'copies the table and blocks writes: orders, not on this database yet',
    blocking: false,
  });
  assert.equal(executionWords({ algorithm: 'COPY' }, 'orders', { rows: 0, bytes: 16384 }).code, 'preflight-execution');
});

void test('the pt-online-schema-change command asks for the password and quotes for the shell', () => {
  assert.equal(
    onlineSchemaChangeCommand(
      { database: 'app', user: 'deploy', host: 'db.internal', port: 3306 },
      'users',
      "MODIFY note VARCHAR(20) DEFAULT 'n/a'",
    ),
    `pt-online-schema-change --ask-pass --alter 'MODIFY note VARCHAR(20) DEFAULT '\\''n/a'\\''' h=db.internal,P=3306,u=deploy,D=app,t=users --dry-run`,
  );
  assert.equal(
    onlineSchemaChangeCommand(
      { database: 'app', user: 'root', socket: '/run/mysqld/mysqld.sock' },
      'orders',
      'ENGINE=InnoDB',
    ),
    'pt-online-schema-change --ask-pass --alter ENGINE=InnoDB S=/run/mysqld/mysqld.sock,u=root,D=app,t=orders --dry-run',
  );
});

const finding = (code: RawFinding['code'], fileName = '2_a.up.sql', line = 3): RawFinding => ({
  version: 2n,
  direction: 'up',
  fileName,
  statementIndex: 1,
  line,
  code,
  message: `${code} found.`,
});

void test('the project’s settings and a file’s directive decide what is kept, and at which severity', () => {
  const raw = [
    finding('preflight-copies-table'),
    finding('preflight-execution'),
    finding('preflight-duplicates-under-unique', '3_b.up.sql'),
    finding('preflight-drops-data', '3_b.up.sql'),
  ];
  const texts = new Map([
    ['2_a.up.sql', 'ALTER TABLE t MODIFY x INT;'],
    ['3_b.up.sql', '-- migration-lens:ignore preflight-drops-data\nALTER TABLE t ADD UNIQUE (x);'],
  ]);
  const settled = settleFindings(
    raw,
    new Map([
      ['preflight-copies-table', 'error'],
      ['preflight-execution', 'off'],
    ]),
    (name) => texts.get(name),
  );
  assert.deepEqual(
    settled.map((item) => `${item.fileName} ${item.code} ${item.severity}`),
    ['2_a.up.sql preflight-copies-table error', '3_b.up.sql preflight-duplicates-under-unique error'],
  );
});

void test('the confirmation paragraph names what blocks, with file and line; nothing blocking says nothing', () => {
  const settle = (codes: RawFinding['code'][]) =>
    settleFindings(
      codes.map((code) => finding(code)),
      undefined,
      () => '',
    );
  const findings: PreflightFinding[] = settle([
    'preflight-duplicates-under-unique',
    'preflight-copies-table',
    'preflight-execution',
  ]);
  assert.deepEqual(
    blockingFindings(findings).map((item) => item.code),
    ['preflight-duplicates-under-unique', 'preflight-copies-table'],
  );
  assert.equal(
    confirmationParagraph(findings),
    'Preflight: 1 statement will fail on this database, and 1 will block writes or lose data. ' +
      '2_a.up.sql line 3: preflight-duplicates-under-unique found; 2_a.up.sql line 3: preflight-copies-table found.',
  );
  assert.equal(confirmationParagraph(settle(['preflight-execution', 'preflight-check-skipped'])), '');
});
