import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPreflightScript } from '../../src/core/preflight-statements';

const read = (sql: string) => readPreflightScript(sql).statements;
const only = (sql: string) => {
  const statements = read(sql);
  assert.equal(statements.length, 1);
  return statements[0];
};

void test('ALTER TABLE: what is probed, with its table, engine and own ALGORITHM and LOCK', () => {
  assert.deepEqual(only('ALTER TABLE `app`.`users` ADD COLUMN email VARCHAR(100)').probe, {
    kind: 'alter-table',
    table: 'users',
  });
  assert.deepEqual(only('alter online table users wait 5 engine = innodb, algorithm=inplace, LOCK = NONE').probe, {
    kind: 'alter-table',
    table: 'users',
    engine: 'INNODB',
    algorithm: 'INPLACE',
    lock: 'NONE',
  });
  assert.deepEqual(only('ALTER TABLE t ROW_FORMAT=DYNAMIC ENGINE=MyISAM').probe?.engine, 'MYISAM');
  // A column named like an option is not the option.
  assert.deepEqual(only('ALTER TABLE t ADD COLUMN algorithm VARCHAR(10), ADD engine INT').probe, {
    kind: 'alter-table',
    table: 't',
  });
  assert.match(
    only('ALTER TABLE logs ADD PARTITION (PARTITION p3 VALUES LESS THAN (2030))').notProbed ?? '',
    /partitions/,
  );
  assert.match(only('ALTER TABLE t DISCARD TABLESPACE').notProbed ?? '', /tablespace/);
  assert.equal(only('ALTER VIEW v AS SELECT 1').probe, undefined);
});

void test('CREATE INDEX, DROP INDEX and OPTIMIZE TABLE are probed on their table', () => {
  assert.deepEqual(
    only('CREATE UNIQUE INDEX IF NOT EXISTS u_email ON users (email(20), tenant) ALGORITHM=INPLACE').probe,
    {
      kind: 'create-index',
      table: 'users',
      algorithm: 'INPLACE',
    },
  );
  assert.deepEqual(only('CREATE UNIQUE INDEX u_email ON users (email(20), tenant)').changes, [
    {
      kind: 'unique',
      table: 'users',
      columns: [{ name: 'email', prefix: 20 }, { name: 'tenant' }],
      primary: false,
    },
  ]);
  assert.deepEqual(only('CREATE FULLTEXT INDEX ft ON posts (body)').changes, []);
  assert.deepEqual(only('DROP INDEX IF EXISTS i ON shop.orders LOCK=SHARED').probe, {
    kind: 'drop-index',
    table: 'orders',
    lock: 'SHARED',
  });
  assert.deepEqual(only('OPTIMIZE NO_WRITE_TO_BINLOG TABLE logs').probe, { kind: 'optimize', table: 'logs' });
  assert.equal(only('CREATE TABLE t (id INT)').probe, undefined);
});

void test('what an ALTER changes that rows bear on: unique keys, redefined columns, foreign keys, drops', () => {
  const statement = only(
    'ALTER TABLE users ADD CONSTRAINT uq UNIQUE KEY (email), ADD PRIMARY KEY (id, tenant), ' +
      'MODIFY COLUMN age TINYINT UNSIGNED NOT NULL DEFAULT 0, CHANGE IF EXISTS code code_new INT(11) NULL UNIQUE, ' +
      "MODIFY note VARCHAR(20) COMMENT 'NOT NULL' DEFAULT NULL, " +
      'ADD CONSTRAINT fk FOREIGN KEY (tenant, org) REFERENCES orgs (tenant, id) ON DELETE CASCADE, ' +
      'DROP COLUMN legacy, DROP INDEX i, DROP FOREIGN KEY f, DROP old, ADD COLUMN x INT UNIQUE',
  );
  assert.deepEqual(statement.changes, [
    { kind: 'unique', table: 'users', columns: [{ name: 'email' }], primary: false },
    { kind: 'unique', table: 'users', columns: [{ name: 'id' }, { name: 'tenant' }], primary: true },
    { kind: 'column', table: 'users', column: 'age', type: { name: 'tinyint', unsigned: true }, notNull: true },
    {
      kind: 'column',
      table: 'users',
      column: 'code',
      type: { name: 'int', unsigned: false, length: 11 },
      notNull: false,
    },
    { kind: 'unique', table: 'users', columns: [{ name: 'code' }], primary: false },
    {
      kind: 'column',
      table: 'users',
      column: 'note',
      type: { name: 'varchar', unsigned: false, length: 20 },
      notNull: false,
    },
    {
      kind: 'foreign-key',
      table: 'users',
      columns: ['tenant', 'org'],
      parent: 'orgs',
      parentColumns: ['tenant', 'id'],
    },
    { kind: 'drop-column', table: 'users', column: 'legacy' },
    { kind: 'drop-column', table: 'users', column: 'old' },
  ]);
});

void test('type names are folded to the server’s: INTEGER, NUMERIC(10,2), CHARACTER VARYING, BOOLEAN, CHAR', () => {
  const types = read(
    [
      'ALTER TABLE t MODIFY a INTEGER',
      'ALTER TABLE t MODIFY b NUMERIC(10,2) PRIMARY KEY',
      'ALTER TABLE t MODIFY c CHARACTER VARYING(30)',
      'ALTER TABLE t MODIFY d BOOLEAN',
      'ALTER TABLE t MODIFY e CHAR',
    ].join(';\n'),
  ).map((statement) => statement.changes[0]);
  assert.deepEqual(
    types.map((change) => (change.kind === 'column' ? [change.type, change.notNull] : change.kind)),
    [
      [{ name: 'int', unsigned: false }, false],
      [{ name: 'decimal', unsigned: false, length: 10, scale: 2 }, true],
      [{ name: 'varchar', unsigned: false, length: 30 }, false],
      [{ name: 'tinyint', unsigned: false }, false],
      [{ name: 'char', unsigned: false, length: 1 }, false],
    ],
  );
});

void test('rows written or tables dropped, so later counts know what changed first', () => {
  const changes = read(
    [
      'UPDATE LOW_PRIORITY users SET email = LOWER(email) WHERE id > 0',
      'DELETE FROM sessions',
      "INSERT IGNORE INTO roles VALUES ('admin')",
      'TRUNCATE TABLE cache',
      "LOAD DATA INFILE 'x.csv' INTO TABLE imports",
      'RENAME TABLE a TO b',
      'ALTER TABLE c RENAME TO d',
      'ALTER TABLE e RENAME COLUMN x TO y',
      'DROP TABLE IF EXISTS audit, shop.logs',
    ].join(';\n'),
  ).flatMap((statement) => statement.changes);
  assert.deepEqual(changes, [
    { kind: 'rows-written', table: 'users' },
    { kind: 'rows-written', table: 'sessions' },
    { kind: 'rows-written', table: 'roles' },
    { kind: 'rows-written', table: 'cache' },
    { kind: 'rows-written', table: 'imports' },
    { kind: 'rows-written', table: 'a' },
    { kind: 'rows-written', table: 'c' },
    { kind: 'drop-table', table: 'audit' },
    { kind: 'drop-table', table: 'logs' },
  ]);
});

void test('statements keep their place in the file; a routine definition makes the file one piece', () => {
  const script = readPreflightScript('-- header\nCREATE TABLE t (id INT);\n\nALTER TABLE t\n  ADD COLUMN x INT;\n');
  assert.equal(script.definesRoutine, false);
  assert.deepEqual(
    script.statements.map((statement) => [statement.index, statement.line, statement.text.split('\n')[0]]),
    [
      [1, 2, 'CREATE TABLE t (id INT)'],
      [2, 4, 'ALTER TABLE t'],
    ],
  );
  const routine = readPreflightScript(
    'CREATE DEFINER=`app`@`%` PROCEDURE p()\nBEGIN\n  UPDATE t SET x = 1;\n  ALTER TABLE t ADD y INT;\nEND;',
  );
  assert.equal(routine.definesRoutine, true);
  assert.equal(
    readPreflightScript('CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1;').definesRoutine,
    true,
  );
  assert.equal(readPreflightScript('CREATE VIEW v AS SELECT 1;').definesRoutine, false);
});
