import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMigrationSql, MigrationFormatError } from '../../src/adapters/format-migration';

const spaces = { tabWidth: 2, useTabs: false };

void test('formats MySQL DDL, keeps comments and keyword case, ends with one newline', async () => {
  const input =
    '-- migration-lens:ignore destructive-down\ncreate table users (id bigint not null primary key, email varchar(255) not null) engine=InnoDB;\nALTER TABLE users ADD COLUMN name text;';
  assert.equal(
    await formatMigrationSql(input, spaces),
    [
      '-- migration-lens:ignore destructive-down',
      'create table users (',
      '  id bigint not null primary key,',
      '  email varchar(255) not null',
      ') engine = InnoDB;',
      '',
      'ALTER TABLE users',
      'ADD COLUMN name text;',
      '',
    ].join('\n'),
  );
});

void test('indents with tabs or with the editor tab width', async () => {
  const input = 'CREATE TABLE t (a int, b int);';
  assert.equal(await formatMigrationSql(input, { tabWidth: 4, useTabs: false }), 'CREATE TABLE t (a int, b int);\n');
  assert.match(
    await formatMigrationSql('SELECT a, b FROM t;', { tabWidth: 4, useTabs: false }),
    /^SELECT\n {4}a,\n {4}b\n/,
  );
  assert.match(await formatMigrationSql('SELECT a, b FROM t;', { tabWidth: 4, useTabs: true }), /^SELECT\n\ta,\n\tb\n/);
});

void test('formatting twice gives the same text', async () => {
  const once = await formatMigrationSql('insert into t (a,b) values (1,2),(3,4); update t set a=1 where b=2;', spaces);
  assert.equal(await formatMigrationSql(once, spaces), once);
});

void test('blank files stay as they are', async () => {
  assert.equal(await formatMigrationSql('', spaces), '');
  assert.equal(await formatMigrationSql('  \n\n', spaces), '  \n\n');
});

void test('refuses DELIMITER files instead of merging the delimiter into the SQL', async () => {
  const input = 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\n';
  await assert.rejects(
    () => formatMigrationSql(input, spaces),
    (error: unknown) => {
      assert.ok(error instanceof MigrationFormatError);
      assert.match(error.message, /DELIMITER/);
      return true;
    },
  );
});

void test('a parse error is reported in one line with its position', async () => {
  await assert.rejects(
    () => formatMigrationSql('select from where ((', spaces),
    (error: unknown) => {
      assert.ok(error instanceof MigrationFormatError);
      assert.equal(error.message.includes('\n'), false);
      assert.match(error.message, /line 1 column \d+/);
      return true;
    },
  );
});
