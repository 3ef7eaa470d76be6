// Preflight only reads the target: every statement its target session sends is recorded and must be a SELECT (or
// SHOW, or MariaDB's time-limited `SET STATEMENT max_statement_time=N FOR SELECT`), the server's own counters for
// that session (Com_*) must show nothing but those, and the database must be the same afterwards. The target is
// reached as a user that may only SELECT, with session settings in its URL that must not be sent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Statement } from '../../src/adapters/mysql/sql';
import { openReadOnlySession } from '../../src/adapters/preflight-target';
import { DATABASE_PORTS, type PreflightPorts } from '../../src/app/preflight';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { preflightCase, prepareCase } from './preflight-support';
import { createTestDatabase, TEST_SERVER, type TestDatabase } from './support';

let db: TestDatabase;
const reader = `ml_ro_${randomBytes(4).toString('hex')}`;

before(async () => {
  db = await createTestDatabase('preflight_read_only');
  await db.sql.query(`CREATE USER '${reader}'@'%' IDENTIFIED BY 'read-only-pw'`);
  await db.sql.query(`GRANT SELECT ON \`${db.name}\`.* TO '${reader}'@'%'`);
});

after(async () => {
  await db?.sql.query(`DROP USER IF EXISTS '${reader}'@'%'`);
  await db?.drop();
});

/** What a target session sent through the port, and what the server counted for it before it closed. */
interface SessionLog {
  readonly statements: Statement[];
  serverCounters: Record<string, number>;
}

function recordingPorts(logs: SessionLog[]): PreflightPorts {
  return {
    ...DATABASE_PORTS,
    async openTarget(config) {
      const session = await openReadOnlySession(config);
      const log: SessionLog = { statements: [], serverCounters: {} };
      logs.push(log);
      return {
        rows<Row>(statement: Statement) {
          log.statements.push(statement);
          return session.rows<Row>(statement);
        },
        async close() {
          // The server's count of every kind of statement this session ran (the SHOW itself adds Com_show_status).
          const counters = await session.rows<{ Variable_name: string; Value: string }>({
            sql: "SHOW SESSION STATUS WHERE Variable_name LIKE 'Com\\_%' AND Value > 0",
          });
          log.serverCounters = Object.fromEntries(counters.map((row) => [row.Variable_name, Number(row.Value)]));
          await session.close();
        },
      };
    },
  };
}

const READ = /^(SELECT|SHOW)\b|^SET STATEMENT max_statement_time=\d+ FOR SELECT\b/;

async function databaseState(): Promise<unknown> {
  const tables = await db.tables();
  const state: unknown[] = [];
  for (const table of tables) {
    const [[create]] = (await db.sql.query(`SHOW CREATE TABLE \`${table}\``)) as unknown as [Record<string, string>[]];
    const [[checksum]] = (await db.sql.query(`CHECKSUM TABLE \`${table}\` EXTENDED`)) as unknown as [
      Record<string, string>[],
    ];
    state.push([create['Create Table'], checksum.Checksum]);
  }
  return state;
}

void test('the target receives SELECTs only, from a SELECT-only user, and is left as it was', async () => {
  const logs: SessionLog[] = [];
  const host = `tcp(${TEST_SERVER.host}:${TEST_SERVER.port})`;
  const root = TEST_SERVER.password === '' ? TEST_SERVER.user : `${TEST_SERVER.user}:${TEST_SERVER.password}`;
  const run = await prepareCase(db, {
    applied: {
      '1_base.up.sql':
        'CREATE TABLE orgs (id INT PRIMARY KEY);\n' +
        'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), age INT, code VARCHAR(20), org_id INT, legacy TEXT);\n' +
        'CREATE TABLE audit (id INT PRIMARY KEY);\n',
    },
    pending: {
      '2_all.up.sql': [
        'ALTER TABLE users ADD UNIQUE (email)',
        'ALTER TABLE users MODIFY age TINYINT NOT NULL',
        'ALTER TABLE users MODIFY code INT',
        'ALTER TABLE users ADD FOREIGN KEY (org_id) REFERENCES orgs (id)',
        'ALTER TABLE users DROP COLUMN legacy',
        'CREATE INDEX i_email ON users (email)',
        'DROP TABLE audit',
        'OPTIMIZE TABLE orgs',
      ].join(';\n'),
    },
    data:
      "INSERT INTO orgs VALUES (1); INSERT INTO audit VALUES (1); INSERT INTO users VALUES (1, 'a', 300, 'x', 2, 'l'), " +
      "(2, 'a', NULL, '1', 1, NULL)",
    url: `mysql://${reader}:read-only-pw@${host}/${db.name}?sql_mode=%27STRICT_ALL_TABLES%27&time_zone=%27%2B00%3A00%27`,
    scratchUrl: `mysql://${root}@${host}/`,
    ports: recordingPorts(logs),
  });
  const before = await databaseState();
  const result = await run();
  assert.deepEqual(
    result.findings
      .map((finding) => finding.code)
      .filter((code) => !code.startsWith('preflight-e'))
      .sort(),
    [
      'preflight-copies-table',
      'preflight-copies-table',
      'preflight-copies-table',
      'preflight-drops-data',
      'preflight-drops-data',
      'preflight-duplicates-under-unique',
      'preflight-nulls-under-not-null',
      'preflight-orphan-rows',
      'preflight-values-not-convertible',
      'preflight-values-out-of-range',
    ],
  );
  assert.equal(logs.length, 1, 'one session on the target');
  const [log] = logs;
  const sent = log.statements.map((statement) => statement.sql);
  assert.ok(sent.length >= 12, sent.join('\n'));
  for (const sql of sent) assert.match(sql, READ);
  assert.deepEqual(log.serverCounters, { Com_select: sent.length, Com_show_status: 1 });
  assert.deepEqual(await databaseState(), before);
  const [schemas] = await db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  assert.deepEqual(
    (schemas as { name: string }[]).filter((row) => row.name.startsWith(scratchDatabasePrefix(db.name))),
    [],
  );
});

void test('without a scratch database to use, nothing is probed but the counts of rows still stand', async () => {
  const host = `tcp(${TEST_SERVER.host}:${TEST_SERVER.port})`;
  const result = await preflightCase(db, {
    applied: { '1_base.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100));\n' },
    pending: { '2_unique.up.sql': 'ALTER TABLE users ADD UNIQUE (email);\n' },
    data: "INSERT INTO users VALUES (1, 'a'), (2, 'a')",
    url: `mysql://${reader}:read-only-pw@${host}/${db.name}`,
  });
  assert.deepEqual(
    result.findings.map((finding) => finding.code),
    ['preflight-not-probed', 'preflight-duplicates-under-unique'],
  );
  assert.match(
    result.findings[0].message,
    /^Nothing was probed: the scratch database could not be used: .*Access denied.*scratchDatabaseUrl.*[^.]\.$/,
  );
});
