import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindsChangedBy, tableListChangedBy } from '../../src/core/verify-snapshot';

void test('a snapshot reads the list of tables again only after a file that may create, drop or rename one', () => {
  for (const sql of [
    'CREATE TABLE t (id int);',
    'create or replace table t (id int);',
    'CREATE ALGORITHM=MERGE DEFINER=CURRENT_USER SQL SECURITY INVOKER VIEW v AS SELECT 1;',
    'DROP TABLE IF EXISTS t;',
    'DROP TABLES a, b;',
    'DROP VIEW v;',
    'CREATE SEQUENCE s;',
    'RENAME TABLE a TO b;',
    'ALTER TABLE a RENAME TO b;',
    'CALL make_tables();',
    "PREPARE s FROM 'CREATE TABLE t (id int)'; EXECUTE s;",
    "EXECUTE IMMEDIATE 'DROP TABLE t';",
    'CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;',
    'DROP DATABASE d;',
    'DROP /* the old one */ TABLE t;',
    'ALTER TABLE t DROP COLUMN a;\nCREATE TABLE u (id int);',
  ]) {
    assert.equal(tableListChangedBy(sql), true, sql);
  }
  for (const sql of [
    'ALTER TABLE t ADD COLUMN a int, DROP COLUMN b;',
    'CREATE INDEX i ON t (a);',
    'DROP INDEX i ON t;',
    "INSERT INTO t (name) VALUES ('first');",
    'DELETE FROM t WHERE id > 3;',
    'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0), DROP CONSTRAINT d;',
    'CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;',
    'DROP PROCEDURE p;',
    'ALTER VIEW v AS SELECT 2;',
  ]) {
    assert.equal(tableListChangedBy(sql), false, sql);
  }
});

void test('triggers are read again after a file that may drop, replace or rename a table, not a column', () => {
  assert.equal(kindsChangedBy('ALTER TABLE t DROP COLUMN a, DROP INDEX i;', true).triggers, false);
  assert.equal(kindsChangedBy('CREATE OR REPLACE VIEW v AS SELECT 1;', true).triggers, false);
  assert.equal(kindsChangedBy('CREATE OR REPLACE TABLE t (id int);', true).triggers, true);
  assert.equal(kindsChangedBy('DROP TABLES a, b;', true).triggers, true);
  assert.equal(kindsChangedBy('ALTER TABLE t RENAME TO u;', true).triggers, true);
  assert.equal(kindsChangedBy('CALL rebuild();', true).triggers, true);
  assert.equal(kindsChangedBy('DROP TABLE t;', false).triggers, false);
});
