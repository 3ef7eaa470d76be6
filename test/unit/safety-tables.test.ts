import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  losesData,
  tableChangesOfScript,
  backupScopeOfScripts,
  tablesTouchedByScript,
} from '../../src/core/safety-tables';

void test('DROP TABLE lists every table, with IF EXISTS, TEMPORARY, quoting and database prefixes', () => {
  assert.deepEqual(tablesTouchedByScript('DROP TABLE users;'), ['users']);
  assert.deepEqual(tablesTouchedByScript('drop temporary table if exists `a``b`, shop.orders , `x`.`y`'), [
    'a`b',
    'orders',
    'y',
  ]);
  assert.deepEqual(tablesTouchedByScript('DROP VIEW v; DROP INDEX i ON t; CREATE TABLE t (id INT)'), []);
});

void test('ALTER TABLE counts when it drops a column or partition, or renames, not for indexes and defaults', () => {
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE users DROP COLUMN email'), ['users']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE `users` ADD x INT, DROP `email`'), ['users']);
  assert.deepEqual(tablesTouchedByScript('ALTER ONLINE TABLE logs DROP PARTITION p0'), ['logs']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE a RENAME TO b'), ['a']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE a RENAME COLUMN x TO y'), ['a']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE a DROP INDEX i, DROP FOREIGN KEY f'), []);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE a ALTER COLUMN c DROP DEFAULT'), []);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE a ADD COLUMN c INT'), []);
});

void test('RENAME TABLE, TRUNCATE and DELETE name the tables that lose rows or their name', () => {
  assert.deepEqual(tablesTouchedByScript('RENAME TABLE a TO b, c TO d'), ['a', 'c']);
  assert.deepEqual(tablesTouchedByScript('TRUNCATE TABLE sessions; TRUNCATE cache'), ['sessions', 'cache']);
  assert.deepEqual(tablesTouchedByScript("DELETE FROM settings WHERE k = 'x'"), ['settings']);
  assert.deepEqual(tablesTouchedByScript('DELETE LOW_PRIORITY QUICK IGNORE FROM t1, t2 USING t1 JOIN t2'), [
    't1',
    't2',
  ]);
  assert.deepEqual(tablesTouchedByScript('DELETE a, b.* FROM a JOIN b ON a.id = b.id'), ['a', 'b']);
});

void test('comments and strings never count', () => {
  assert.deepEqual(
    tablesTouchedByScript(`-- DROP TABLE fake
      /* TRUNCATE nope */
      INSERT INTO log VALUES ('DROP TABLE users');
      # DELETE FROM also_not`),
    [],
  );
});

void test('what an executable comment holds counts, since the server runs it', () => {
  assert.deepEqual(tablesTouchedByScript('/*!40101 DROP TABLE IF EXISTS `legacy` */;\n/*M!100100 TRUNCATE cache */'), [
    'legacy',
    'cache',
  ]);
});

void test('a statement that starts with another verb is not read further, however it goes on', () => {
  assert.deepEqual(tablesTouchedByScript('SELECT 1 FROM t WHERE DROP = 1; UPDATE t SET x = 1; drop table Kept'), [
    'Kept',
  ]);
});

void test('MariaDB statements that lose data: CREATE OR REPLACE, partitions truncated, tablespaces discarded, history', () => {
  assert.deepEqual(tablesTouchedByScript('CREATE OR REPLACE TABLE audit (id INT)'), ['audit']);
  assert.deepEqual(
    tablesTouchedByScript('CREATE OR REPLACE TEMPORARY TABLE scratch (id INT); CREATE TABLE t (i INT)'),
    [],
  );
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE logs TRUNCATE PARTITION p0, p1'), ['logs']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE blobs DISCARD TABLESPACE'), ['blobs']);
  assert.deepEqual(tablesTouchedByScript('ALTER TABLE logs DISCARD PARTITION p0 TABLESPACE'), ['logs']);
  assert.deepEqual(tablesTouchedByScript("DELETE HISTORY FROM prices BEFORE SYSTEM_TIME '2020-01-01'"), ['prices']);
  assert.deepEqual(
    tableChangesOfScript('CREATE OR REPLACE TABLE a (i INT); ALTER TABLE b TRUNCATE PARTITION p').map(
      (change) => change.what,
    ),
    ['CREATE OR REPLACE TABLE', 'TRUNCATE PARTITION'],
  );
});

void test('DROP DATABASE takes every table: it is a change without names, and the backup scope is everything', () => {
  assert.deepEqual(
    tableChangesOfScript('DROP TABLE a; DROP SCHEMA IF EXISTS shop').map(({ what, tables }) => [what, tables]),
    [
      ['DROP TABLE', ['a']],
      ['DROP DATABASE', []],
    ],
  );
  assert.equal(backupScopeOfScripts(['DROP TABLE a', 'DROP DATABASE shop']), 'all');
});

void test('after a script switches the SQL mode, it is read as the server reads it from there on', () => {
  assert.deepEqual(tablesTouchedByScript('DROP TABLE "a"'), []);
  assert.deepEqual(tablesTouchedByScript(`SET sql_mode = 'ANSI_QUOTES'; DROP TABLE "a""b", "c"`), ['a"b', 'c']);
  assert.deepEqual(tablesTouchedByScript(`SET @@session.sql_mode = 'ORACLE'; TRUNCATE "log"`), ['log']);
  assert.deepEqual(tablesTouchedByScript(`SELECT 'x\\'; DROP TABLE t; -- '`), []);
  assert.deepEqual(
    tablesTouchedByScript(
      `SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES'); SELECT 'x\\'; DROP TABLE t; -- '`,
    ),
    ['t'],
  );
  assert.deepEqual(tablesTouchedByScript(`SET GLOBAL sql_mode = 'ANSI_QUOTES'; DROP TABLE "a"`), []);
  assert.deepEqual(tablesTouchedByScript(`SET sql_mode = 'ANSI'; SET sql_mode = 'TRADITIONAL'; DROP TABLE "a"`), []);
});

void test('a script starts in the SQL mode its connection has, as a database URL may set it', () => {
  assert.deepEqual(
    tableChangesOfScript('DROP TABLE "a"', "'ANSI_QUOTES,STRICT_TRANS_TABLES'").map(({ tables }) => tables),
    [['a']],
  );
  assert.deepEqual(backupScopeOfScripts([`SELECT 'x\\'; DELETE FROM t; -- '`], "'NO_BACKSLASH_ESCAPES'"), ['t']);
});

void test('several scripts give each table once, in order of appearance', () => {
  assert.deepEqual(backupScopeOfScripts(['DROP TABLE b; DELETE FROM a', 'TRUNCATE b; DROP TABLE c']), ['b', 'a', 'c']);
});

void test('each change names its kind and where its keyword starts; a rename keeps the data', () => {
  const script = 'DROP TABLE a, b;\nALTER TABLE c DROP x, DROP PARTITION p0, RENAME TO d;\nDELETE FROM e';
  const changes = tableChangesOfScript(script);
  assert.deepEqual(
    changes.map((change) => [change.what, script.slice(change.offset, change.offset + 6), change.tables.join()]),
    [
      ['DROP TABLE', 'DROP T', 'a,b'],
      ['DROP COLUMN', 'DROP x', 'c'],
      ['DROP PARTITION', 'DROP P', 'c'],
      ['RENAME', 'RENAME', 'c'],
      ['DELETE', 'DELETE', 'e'],
    ],
  );
  assert.deepEqual(
    changes.filter(losesData).map((change) => change.what),
    ['DROP TABLE', 'DROP COLUMN', 'DROP PARTITION', 'DELETE'],
  );
});
