import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMigrationSql } from '../../src/adapters/format-migration';
import { checksumsOf, normalizeSql } from '../../src/core/safety-checksum';

const ORIGINAL = `-- add the email column
ALTER TABLE users ADD COLUMN email VARCHAR(255) NOT NULL DEFAULT '';
/* backfill */ UPDATE users SET email = CONCAT(name, '@example.com') WHERE id > -1;
`;

void test('the raw checksum changes with any byte, the normalised one only with code', () => {
  const base = checksumsOf(ORIGINAL);
  assert.match(base.raw, /^[0-9a-f]{64}$/);
  const spaced = checksumsOf(ORIGINAL.replace('ADD COLUMN', 'ADD\n    COLUMN'));
  assert.notEqual(spaced.raw, base.raw);
  assert.equal(spaced.normalized, base.normalized);
  const edited = checksumsOf(ORIGINAL.replace('VARCHAR(255)', 'VARCHAR(320)'));
  assert.notEqual(edited.normalized, base.normalized);
});

void test('comments and blanks are ignored, but not inside strings or quoted identifiers', () => {
  assert.equal(normalizeSql('SELECT  1 ; -- one\n# two\n/* three */'), 'SELECT 1;');
  assert.equal(normalizeSql('SELECT/*x*/1'), normalizeSql('SELECT 1'));
  assert.equal(normalizeSql('x = ( 1 , 2 )'), normalizeSql('x=(1,2)'));
  assert.notEqual(normalizeSql("SELECT 'a  b'"), normalizeSql("SELECT 'a b'"));
  assert.notEqual(normalizeSql('SELECT `a  b`'), normalizeSql('SELECT `a b`'));
  assert.notEqual(normalizeSql("SELECT '-- not a comment'"), normalizeSql('SELECT'));
});

void test('blanks that separate tokens are kept where removing them would change the meaning', () => {
  assert.notEqual(normalizeSql("SELECT 'a' 'b'"), normalizeSql("SELECT 'a''b'"));
  assert.notEqual(normalizeSql('SELECT 1 - -1'), normalizeSql('SELECT 1 --1'));
  assert.notEqual(normalizeSql('DROP TABLE t'), normalizeSql('DROPTABLE t'));
  assert.equal(normalizeSql('a < = b'), 'a< =b');
});

void test('executable comments are code: editing one is an edit', () => {
  assert.notEqual(normalizeSql('/*!40101 SET NAMES utf8 */'), normalizeSql('/*!40101 SET NAMES latin1 */'));
});

void test('the project formatter changes the raw checksum but not the normalised one', async () => {
  const formatted = await formatMigrationSql(ORIGINAL, { tabWidth: 2, useTabs: false });
  assert.notEqual(formatted, ORIGINAL);
  assert.notEqual(checksumsOf(formatted).raw, checksumsOf(ORIGINAL).raw);
  assert.equal(checksumsOf(formatted).normalized, checksumsOf(ORIGINAL).normalized);
});
