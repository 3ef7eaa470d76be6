// How the server executes each kind of schema change, as preflight predicts it from probes on an empty scratch
// copy of the schema, held against what the server really does with the statement on a table holding 5,000 rows:
// whether it copies the table, rebuilds it in place or neither, and whether it lets writes through (LOCK=NONE).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PreflightFinding } from '../../src/core/preflight-findings';
import { effectOf } from '../../src/core/preflight-probe';
import { codes, preflightCase, runPending } from './preflight-support';
import { predictedBehaviour, realBehaviour, type RealBehaviour } from './preflight-real';
import { createTestDatabase, type TestDatabase } from './support';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase('preflight_verdicts');
});

after(async () => {
  await db?.drop();
});

const applied = {
  '1_base.up.sql':
    'CREATE TABLE parents (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;\n' +
    'CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, note VARCHAR(50) NULL, ' +
    'qty INT NOT NULL DEFAULT 0, parent_id INT NULL, body TEXT NULL, KEY k_qty (qty)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n' +
    'CREATE TABLE legacy (code VARCHAR(20) NOT NULL, label VARCHAR(50) NULL) ENGINE=InnoDB DEFAULT CHARSET=latin1;\n',
};
const ROWS = 5000;
const data =
  `INSERT INTO parents SELECT seq FROM seq_1_to_${ROWS};\n` +
  `INSERT INTO items (name, note, qty, parent_id, body) SELECT CONCAT('item ', seq), NULL, seq % 7, seq, 'text' FROM seq_1_to_${ROWS};\n` +
  `INSERT INTO legacy SELECT CONCAT('c', seq), 'label' FROM seq_1_to_${ROWS};\n`;

interface Kind {
  readonly statement: string;
  readonly table: string;
  /** What the server does, measured on MariaDB 10.11 (shared/online-ddl.md): the verdict must say the same. */
  readonly expected: RealBehaviour;
  readonly blocksWrites: boolean;
}

const KINDS: Readonly<Record<string, Kind>> = {
  'ADD COLUMN': {
    statement: 'ALTER TABLE items ADD COLUMN extra INT NULL',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'DROP COLUMN': {
    statement: 'ALTER TABLE items DROP COLUMN note',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'RENAME COLUMN': {
    statement: 'ALTER TABLE items RENAME COLUMN note TO remark',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'SET DEFAULT': {
    statement: 'ALTER TABLE items ALTER COLUMN qty SET DEFAULT 1',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'VARCHAR(50) to (60), utf8mb4, within 255 bytes': {
    statement: 'ALTER TABLE items MODIFY name VARCHAR(60) NOT NULL',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'VARCHAR(50) to (100), utf8mb4, past 255 bytes': {
    statement: 'ALTER TABLE items MODIFY name VARCHAR(100) NOT NULL',
    table: 'items',
    expected: 'copy',
    blocksWrites: true,
  },
  'INT to BIGINT': {
    statement: 'ALTER TABLE items MODIFY qty BIGINT NOT NULL DEFAULT 0',
    table: 'items',
    expected: 'copy',
    blocksWrites: true,
  },
  'ADD INDEX': {
    statement: 'ALTER TABLE items ADD INDEX k_name (name)',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'CREATE UNIQUE INDEX': {
    statement: 'CREATE UNIQUE INDEX u_name ON items (name)',
    table: 'items',
    expected: 'in place',
    blocksWrites: false,
  },
  'DROP INDEX': { statement: 'DROP INDEX k_qty ON items', table: 'items', expected: 'in place', blocksWrites: false },
  'NULL to NOT NULL': {
    statement: 'ALTER TABLE items MODIFY body TEXT NOT NULL',
    table: 'items',
    expected: 'rebuild',
    blocksWrites: false,
  },
  'ADD PRIMARY KEY': {
    statement: 'ALTER TABLE legacy ADD PRIMARY KEY (code)',
    table: 'legacy',
    expected: 'rebuild',
    blocksWrites: false,
  },
  'ENGINE=InnoDB on InnoDB': {
    statement: 'ALTER TABLE items ENGINE=InnoDB',
    table: 'items',
    expected: 'rebuild',
    blocksWrites: false,
  },
  'OPTIMIZE TABLE': { statement: 'OPTIMIZE TABLE items', table: 'items', expected: 'rebuild', blocksWrites: false },
  'first FULLTEXT index': {
    statement: 'ALTER TABLE items ADD FULLTEXT INDEX ft_body (body)',
    table: 'items',
    expected: 'rebuild',
    blocksWrites: true,
  },
  'ADD FOREIGN KEY, foreign_key_checks on': {
    statement: 'ALTER TABLE items ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parents (id)',
    table: 'items',
    expected: 'copy',
    blocksWrites: true,
  },
  'ADD STORED generated column': {
    statement: 'ALTER TABLE items ADD COLUMN double_qty INT AS (qty * 2) STORED',
    table: 'items',
    expected: 'copy',
    blocksWrites: true,
  },
  'ADD CHECK': {
    statement: 'ALTER TABLE items ADD CONSTRAINT ck_qty CHECK (qty >= 0)',
    table: 'items',
    expected: 'copy',
    blocksWrites: true,
  },
  'ENGINE=MyISAM': {
    statement: 'ALTER TABLE legacy ENGINE=MyISAM',
    table: 'legacy',
    expected: 'copy',
    blocksWrites: true,
  },
  'CONVERT TO CHARACTER SET from latin1': {
    statement: 'ALTER TABLE legacy CONVERT TO CHARACTER SET utf8mb4',
    table: 'legacy',
    expected: 'copy',
    blocksWrites: true,
  },
};

/** The execution finding of the pending file's only statement. */
function verdictOf(findings: readonly PreflightFinding[]): PreflightFinding {
  const found = findings.filter((finding) => finding.execution !== undefined);
  assert.equal(found.length, 1, findings.map((finding) => `${finding.code}: ${finding.message}`).join('\n'));
  return found[0];
}

/** The statement with LOCK=NONE added, as the server takes it; MariaDB's DROP INDEX takes none, its ALTER form does. */
function withLockNone(statement: string): string {
  const dropIndex = /^DROP INDEX (\w+) ON (\w+)$/.exec(statement);
  if (dropIndex) return `ALTER TABLE ${dropIndex[2]} DROP INDEX ${dropIndex[1]}, LOCK=NONE`;
  return statement.startsWith('ALTER') ? `${statement}, LOCK=NONE` : `${statement} LOCK=NONE`;
}

void describe(`each kind of ALTER: the verdict against the server's real behaviour on ${ROWS} rows`, () => {
  for (const [title, kind] of Object.entries(KINDS)) {
    void test(title, async () => {
      const pending = { '2_change.up.sql': `${kind.statement};\n` };
      const verdict = verdictOf((await preflightCase(db, { applied, pending, data })).findings);
      const execution = verdict.execution!;
      assert.equal(predictedBehaviour(execution), kind.expected, verdict.message);
      assert.equal(effectOf(execution).blocksWrites, kind.blocksWrites, verdict.message);
      assert.equal(
        verdict.code,
        kind.blocksWrites
          ? kind.expected === 'copy'
            ? 'preflight-copies-table'
            : 'preflight-blocks-writes'
          : 'preflight-execution',
      );
      assert.match(
        verdict.message,
        kind.expected === 'in place' && !kind.blocksWrites ? /./ : new RegExp(`${kind.table}, about 5 k rows, \\d`),
      );

      assert.equal(await realBehaviour(db.sql, db.name, kind.table, kind.statement), kind.expected);
      if (!kind.statement.startsWith('OPTIMIZE')) {
        await preflightCase(db, { applied, pending: {}, data });
        const refused = await runPending(db, { 'lock.up.sql': withLockNone(kind.statement) });
        assert.equal(refused !== undefined, kind.blocksWrites, `LOCK=NONE: ${refused}`);
      }
    });
  }
});

void test('the alternatives of a blocking change: ALGORITHM=INPLACE, LOCK=NONE makes the server refuse, pt-osc is ready to paste', async () => {
  const pending = { '2_change.up.sql': '-- widen\nALTER TABLE items MODIFY qty BIGINT NOT NULL DEFAULT 0;\n' };
  const verdict = verdictOf((await preflightCase(db, { applied, pending, data })).findings);
  assert.equal(verdict.code, 'preflight-copies-table');
  assert.equal(verdict.line, 2);
  assert.match(
    verdict.message,
    /^Copies the table and blocks writes: items, about 5 k rows, \d+ KB\. Instead: add ALGORITHM=INPLACE, LOCK=NONE/,
  );
  assert.equal(
    verdict.fix?.replacement,
    'ALTER TABLE items MODIFY qty BIGINT NOT NULL DEFAULT 0, ALGORITHM=INPLACE, LOCK=NONE',
  );
  assert.equal(pending['2_change.up.sql'].slice(verdict.fix.start, verdict.fix.end), verdict.fix.original);
  assert.equal(
    verdict.onlineCommand,
    `pt-online-schema-change --ask-pass --alter 'MODIFY qty BIGINT NOT NULL DEFAULT 0' h=127.0.0.1,P=3306,u=root,D=${db.name},t=items --dry-run`,
  );
  assert.ok(verdict.message.endsWith(verdict.onlineCommand));
  assert.equal(await runPending(db, { '2_fixed.up.sql': verdict.fix.replacement }), 1846);
});

void test('a statement that fails on the schema it meets is reported, and nothing after it is probed', async () => {
  const pending = {
    '2_a.up.sql':
      'ALTER TABLE items ADD COLUMN extra INT;\nALTER TABLE items ADD INDEX k_nope (nope);\nALTER TABLE items ADD COLUMN later INT;\n',
    '3_b.up.sql': 'ALTER TABLE items ADD COLUMN more INT;\n',
  };
  const result = await preflightCase(db, { applied, pending, data });
  assert.deepEqual(codes(result), ['preflight-execution@1', 'preflight-statement-fails@2']);
  assert.match(result.findings[1].message, /Error 1072: Key column 'nope' doesn't exist in table/);
  assert.equal(await runPending(db, pending), 1072);
});

void test("a statement's own ALGORITHM the server refuses is an error; its own accepted ALGORITHM is its verdict", async () => {
  const pending = {
    '2_a.up.sql':
      'ALTER TABLE items MODIFY name VARCHAR(100) NOT NULL, ALGORITHM=INSTANT;\nALTER TABLE items ADD INDEX k_name (name), ALGORITHM=INPLACE, LOCK=NONE;\n',
  };
  const result = await preflightCase(db, { applied, pending, data });
  assert.deepEqual(codes(result), [
    'preflight-refused-as-written@1',
    'preflight-copies-table@1',
    'preflight-execution@2',
  ]);
  assert.match(
    result.findings[0].message,
    /Error 1846: ALGORITHM=INSTANT is not supported\. Reason: Cannot change column type/,
  );
  assert.equal(result.findings[1].fix, undefined, 'no ALGORITHM is added to a statement that has its own');
  assert.match(result.findings[2].message, /^As written, /);
  assert.equal(await runPending(db, pending), 1846);
});

void test('a column a foreign key of the database uses, though the migrations never made that key', async () => {
  const pending = { '2_a.up.sql': 'ALTER TABLE items MODIFY parent_id BIGINT NULL;\n' };
  const withKey = `${data}ALTER TABLE items ADD CONSTRAINT fk_made_by_hand FOREIGN KEY (parent_id) REFERENCES parents (id);\n`;
  const result = await preflightCase(db, { applied, pending, data: withKey });
  const found = result.findings.filter((finding) => finding.code === 'preflight-foreign-key-column');
  assert.equal(found.length, 1, codes(result).join(', '));
  assert.match(found[0].message, /^items\.parent_id is used by the foreign key fk_made_by_hand on this database/);
  assert.equal(await runPending(db, pending), 1832);
  const withoutKey = await preflightCase(db, { applied, pending, data });
  assert.ok(!withoutKey.findings.some((finding) => finding.code === 'preflight-foreign-key-column'));
});

void test('a file defining a routine is run whole and not probed; the next file is', async () => {
  const pending = {
    '2_routine.up.sql':
      'CREATE PROCEDURE touch_items()\nBEGIN\n  UPDATE items SET qty = qty;\nEND;\nALTER TABLE items ADD COLUMN touched INT;\n',
    '3_after.up.sql': 'ALTER TABLE items DROP COLUMN touched;\n',
  };
  const result = await preflightCase(db, { applied, pending, data });
  assert.deepEqual(codes(result), ['preflight-not-probed@5', 'preflight-execution@1']);
  assert.equal(result.findings[1].fileName, '3_after.up.sql');
});

void test('before a rollback: the down files, on the schema at the current version', async () => {
  const files = {
    ...applied,
    '2_note.up.sql': 'ALTER TABLE items ADD COLUMN memo VARCHAR(200) NULL;\n',
    '2_note.down.sql': 'ALTER TABLE items MODIFY memo VARCHAR(20) NULL;\nALTER TABLE items DROP COLUMN memo;\n',
  };
  const result = await preflightCase(db, {
    applied: files,
    pending: {},
    data: `${data}UPDATE items SET memo = REPEAT('m', 30) WHERE id <= 3;\n`,
    request: { kind: 'down', limit: 1 },
  });
  assert.deepEqual(codes(result), [
    'preflight-copies-table@1',
    'preflight-values-too-long@1',
    'preflight-execution@2',
    'preflight-drops-data@2',
  ]);
  assert.equal(result.findings[0].direction, 'down');
  assert.match(result.findings[1].message, /^3 rows hold values longer than 20 characters for items\.memo/);
});
