import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_CHECK_LIMITS,
  findingOfCount,
  type PlacedStatement,
  planDataChecks,
  type TargetColumn,
  type TargetFacts,
} from '../../src/core/preflight-checks';
import { readPreflightScript } from '../../src/core/preflight-statements';

function column(name: string, columnType: string, nullable = true): TargetColumn {
  const dataType = /^\w+/.exec(columnType)![0];
  const length = /\((\d+)\)/.exec(columnType)?.[1];
  return {
    name,
    dataType,
    columnType,
    nullable,
    ...(length !== undefined &&
      /char/.test(dataType) && { maxCharacters: Number(length), maxBytes: Number(length) * 4 }),
  };
}

const facts: TargetFacts = {
  strict: true,
  tables: new Map([
    [
      'users',
      {
        name: 'users',
        engine: 'InnoDB',
        rows: 5000,
        bytes: 1 << 20,
        columns: new Map(
          [
            column('id', 'int(11)', false),
            column('email', 'varchar(100)'),
            column('age', 'int(11)'),
            column('code', 'varchar(10)'),
            column('small', 'tinyint(4)'),
            column('org_id', 'int(11)'),
          ].map((item) => [item.name, item]),
        ),
      },
    ],
    ['orgs', { name: 'orgs', rows: 10, bytes: 16384, columns: new Map([['id', column('id', 'int(11)', false)]]) }],
    [
      'events',
      { name: 'events', rows: 50_000_000, bytes: 1 << 30, columns: new Map([['kind', column('kind', 'varchar(20)')]]) },
    ],
  ]),
  foreignKeys: [],
};

function placed(sql: string, fileName = '2_a.up.sql'): PlacedStatement[] {
  return readPreflightScript(sql).statements.map((statement) => ({
    place: { version: 2n, direction: 'up', fileName, statementIndex: statement.index, line: statement.line },
    statement,
  }));
}

const plan = (sql: string, limits = DEFAULT_CHECK_LIMITS) => planDataChecks(placed(sql), facts, limits);
const kinds = (sql: string) => plan(sql).checks.map((planned) => `${planned.code} ${JSON.stringify(planned.check)}`);

void test('a new UNIQUE index or primary key is counted for duplicates, a primary key for NULLs too', () => {
  assert.deepEqual(kinds('ALTER TABLE users ADD UNIQUE (email(10))'), [
    'preflight-duplicates-under-unique {"kind":"duplicates","table":"users","columns":[{"name":"email","prefix":10}]}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users ADD PRIMARY KEY (id, email)'), [
    'preflight-duplicates-under-unique {"kind":"duplicates","table":"users","columns":[{"name":"id"},{"name":"email"}]}',
    'preflight-nulls-under-not-null {"kind":"nulls","table":"users","columns":["email"]}',
  ]);
});

void test('a redefined column is counted for what its new type cannot hold, and only that', () => {
  assert.deepEqual(kinds('ALTER TABLE users MODIFY email VARCHAR(200)'), []);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY email VARCHAR(20) NOT NULL'), [
    'preflight-nulls-under-not-null {"kind":"nulls","table":"users","columns":["email"]}',
    'preflight-values-too-long {"kind":"too-long","table":"users","column":"email","limit":20,"measure":"characters"}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY age BIGINT'), []);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY small INT UNSIGNED'), [
    'preflight-values-out-of-range {"kind":"out-of-range","table":"users","column":"small","min":"0","max":"4294967295","text":false}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY age TINYINT'), [
    'preflight-values-out-of-range {"kind":"out-of-range","table":"users","column":"age","min":"-128","max":"127","text":false}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users CHANGE code code_number INT'), [
    'preflight-values-not-convertible {"kind":"not-integer","table":"users","column":"code"}',
    'preflight-values-out-of-range {"kind":"out-of-range","table":"users","column":"code","min":"-2147483648","max":"2147483647","text":true}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY age DECIMAL(5,2)'), [
    'preflight-values-out-of-range {"kind":"out-of-range","table":"users","column":"age","min":"-999.99","max":"999.99","text":false}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users MODIFY id INT NOT NULL'), []);
});

void test('a new foreign key is counted for orphans; drops are counted for what they lose', () => {
  assert.deepEqual(kinds('ALTER TABLE users ADD FOREIGN KEY (org_id) REFERENCES orgs (id); DROP TABLE orgs'), [
    'preflight-orphan-rows {"kind":"orphans","table":"users","columns":["org_id"],"parent":"orgs","parentColumns":["id"]}',
    'preflight-drops-data {"kind":"rows","table":"orgs"}',
  ]);
  assert.deepEqual(kinds('ALTER TABLE users DROP COLUMN age, DROP COLUMN not_there'), [
    'preflight-drops-data {"kind":"non-null","table":"users","column":"age"}',
  ]);
});

void test('tables and columns this database does not hold yet have nothing to count', () => {
  assert.deepEqual(
    plan('CREATE TABLE t (a INT); ALTER TABLE t ADD UNIQUE (a); ALTER TABLE users ADD COLUMN n INT, ADD UNIQUE (n)'),
    { checks: [], findings: [] },
  );
  assert.deepEqual(kinds('ALTER TABLE users ADD FOREIGN KEY (org_id) REFERENCES teams (id)'), []);
});

void test('rows or columns an earlier statement changes are not counted, and a finding says why', () => {
  const { checks, findings } = plan(
    [
      "UPDATE users SET email = CONCAT(id, '@x')",
      'ALTER TABLE users ADD UNIQUE (email)',
      'ALTER TABLE events MODIFY kind VARCHAR(200)',
      'ALTER TABLE users MODIFY code VARCHAR(20)',
      'ALTER TABLE users MODIFY code VARCHAR(5)',
      'DROP TABLE users',
    ].join(';\n'),
  );
  assert.deepEqual(
    checks.map((planned) => planned.check.kind),
    ['rows'],
  );
  assert.deepEqual(
    findings.map((item) => `${item.line} ${item.message}`),
    [
      '2 Not checked (duplicates under UNIQUE (email) on users): 2_a.up.sql line 1 changes the rows of users before this runs.',
      '5 Not checked (values too long for users.code as VARCHAR(5)): 2_a.up.sql line 1 changes the rows of users before this runs.',
    ],
  );
  const columnsOnly = plan(
    'ALTER TABLE users MODIFY email VARCHAR(200); ALTER TABLE users MODIFY age TINYINT, ADD UNIQUE (email)',
  );
  assert.deepEqual(
    columnsOnly.checks.map((planned) => planned.check.kind),
    ['out-of-range'],
  );
  assert.match(columnsOnly.findings[0].message, /changes users\.email before this runs/);
});

void test('a table above the size limit is not counted; a dropped one is reported from its statistics', () => {
  const limits = { ...DEFAULT_CHECK_LIMITS, maxTableRows: 1_000_000 };
  const { checks, findings } = plan('ALTER TABLE events ADD UNIQUE (kind); DROP TABLE events', limits);
  assert.deepEqual(checks, []);
  assert.deepEqual(
    findings.map((item) => `${item.code}: ${item.message}`),
    [
      'preflight-check-skipped: Not checked (duplicates under UNIQUE (kind) on events): events holds 50 M rows by its statistics, above preflight.maxTableRows (1,000,000).',
      'preflight-drops-data: DROP TABLE events: it holds 50 M rows by its statistics, lost with it.',
    ],
  );
});

void test('a count that found rows is a finding naming the statement; strict mode decides fail or change', () => {
  const [duplicates] = plan('ALTER TABLE users ADD UNIQUE (email)').checks;
  assert.equal(findingOfCount(duplicates, { rows: 0, groups: 0 }, true), undefined);
  const found = findingOfCount(duplicates, { rows: 27, groups: 12 }, true)!;
  assert.equal(found.code, 'preflight-duplicates-under-unique');
  assert.equal(found.line, 1);
  assert.equal(
    found.message,
    '12 values occur more than once under UNIQUE (email) on users (27 rows share them). The statement fails (error ' +
      '1062 Duplicate entry): remove or merge the duplicates first.',
  );
  const [nulls] = plan('ALTER TABLE users MODIFY age INT NOT NULL DEFAULT 0').checks;
  assert.equal(
    findingOfCount(nulls, { rows: 1 }, true)!.message,
    '1 row holds NULL under users.age as INT NOT NULL. The statement fails (error 1265).',
  );
  assert.equal(
    findingOfCount(nulls, { rows: 3 }, false)!.message,
    '3 rows hold NULL under users.age as INT NOT NULL. Without strict mode the statement does not fail: NULL becomes 0 ' +
      'or an empty string.',
  );
});
