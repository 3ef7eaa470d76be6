import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSchemaNames } from '../../src/core/verify-schema-names';

const found = (sql: string, known: string[] = []) =>
  findSchemaNames(sql, known).map((reference) => [reference.text, reference.line]);

void test('a database name before a table where the grammar expects a table', () => {
  assert.deepEqual(found('ALTER TABLE fitness.users ADD COLUMN bio text;'), [['fitness.users', 1]]);
  assert.deepEqual(found('\nINSERT INTO `fitness`.`settings` VALUES (1);'), [['fitness.settings', 2]]);
  assert.deepEqual(found('CREATE INDEX i ON fitness.users (name);'), [['fitness.users', 1]]);
  assert.deepEqual(found('CREATE TRIGGER t BEFORE INSERT ON fitness.users FOR EACH ROW SET NEW.a = 1;'), [
    ['fitness.users', 1],
  ]);
  assert.deepEqual(found('ALTER TABLE orders ADD FOREIGN KEY (u) REFERENCES crm.users (id);'), [['crm.users', 1]]);
  assert.deepEqual(found('DROP TABLE IF EXISTS fitness.old;'), [['fitness.old', 1]]);
  assert.deepEqual(found('SELECT * FROM fitness.users;'), [['fitness.users', 1]]);
  assert.deepEqual(found('UPDATE a JOIN fitness.b ON a.id = b.id SET a.x = 1;'), [['fitness.b', 1]]);
});

void test('column references are not database names', () => {
  assert.deepEqual(found('UPDATE users u JOIN orders o ON u.id = o.user_id SET u.total = o.total;'), []);
  assert.deepEqual(found('SELECT users.email FROM users WHERE users.id = 1;'), []);
  assert.deepEqual(found('SELECT EXTRACT(YEAR FROM o.created_at) FROM orders o;'), []);
  assert.deepEqual(found('CREATE VIEW v AS SELECT t.a FROM t;'), []);
});

void test('three-part names and known database names count anywhere', () => {
  assert.deepEqual(found('SELECT fitness.users.email FROM users;'), [['fitness.users', 1]]);
  assert.deepEqual(
    found('UPDATE users SET name = (SELECT name FROM (SELECT p.name FROM prod.people p) x);', ['prod']),
    [['prod.people', 1]],
  );
  assert.deepEqual(found('SELECT PROD.people.name FROM t;', ['prod']), [['PROD.people', 1]]);
});

void test('USE and CREATE / DROP / ALTER DATABASE name a database; ALTER DATABASE on the current one does not', () => {
  assert.deepEqual(found('USE fitness;\nCREATE TABLE t (id int);'), [['USE fitness', 1]]);
  assert.deepEqual(found('DROP DATABASE IF EXISTS `legacy`;'), [['DROP DATABASE legacy', 1]]);
  assert.deepEqual(found('CREATE SCHEMA reports;'), [['CREATE SCHEMA reports', 1]]);
  assert.deepEqual(found('ALTER DATABASE CHARACTER SET utf8mb4;'), []);
});

void test('strings, comments and system schemas are not findings; executable comments are code', () => {
  assert.deepEqual(found("INSERT INTO notes VALUES ('see fitness.users');"), []);
  assert.deepEqual(found('-- ALTER TABLE fitness.users\n# INTO fitness.x\n/* FROM fitness.y */ SELECT 1;'), []);
  assert.deepEqual(found('SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE();'), []);
  assert.deepEqual(found('/*!40101 ALTER TABLE fitness.users ENGINE=InnoDB */;'), [['fitness.users', 1]]);
});
