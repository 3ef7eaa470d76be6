import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  codeOnly,
  hasOnlyCommentsOrWhitespace,
  isBlank,
  lineOfOffset,
  lineStartOffsets,
  locateStatements,
  SqlTokenCursor,
  statementAt,
} from '../../src/core/statements';

const located = (sql: string) => locateStatements(sql).map((s) => [s.index, s.line, s.text]);

void describe('locateStatements', () => {
  void test('reports the line of the first code character, after comments and blank lines', () => {
    const sql = [
      '-- create the table',
      'CREATE TABLE t (id INT);',
      '',
      '/* second */',
      '  INSERT INTO t VALUES (1);',
      '# third',
      'INSERT INTO t',
      '  VALUES (2);',
    ].join('\n');
    assert.deepEqual(located(sql), [
      [1, 2, 'CREATE TABLE t (id INT)'],
      [2, 5, 'INSERT INTO t VALUES (1)'],
      [3, 7, 'INSERT INTO t\n  VALUES (2)'],
    ]);
    const second = statementAt(sql, 2)!;
    assert.equal(sql.slice(second.start, second.end), 'INSERT INTO t VALUES (1)');
    assert.equal(statementAt(sql, 4), undefined);
  });

  void test('semicolons inside strings, identifiers and comments do not split', () => {
    const sql =
      "INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;', 'back\\';slash');\n" +
      'SELECT `we;ird``name` FROM t; -- trailing; comment\n' +
      '/* block; comment */ SELECT 3 # hash; comment\n;';
    assert.deepEqual(
      locateStatements(sql).map((s) => [s.index, s.line]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    );
    assert.equal(statementAt(sql, 3)!.text, 'SELECT 3');
  });

  void test('-- needs a space or control character after it to start a comment', () => {
    assert.deepEqual(located('SELECT 1--1;\nSELECT 2;'), [
      [1, 1, 'SELECT 1--1'],
      [2, 2, 'SELECT 2'],
    ]);
    assert.deepEqual(located('SELECT 1 --\tcomment; still comment\n;SELECT 2'), [
      [1, 1, 'SELECT 1'],
      [2, 2, 'SELECT 2'],
    ]);
    assert.deepEqual(located('SELECT 1;--'), [[1, 1, 'SELECT 1']]);
  });

  void test('executable comments are code and their semicolons split', () => {
    const sql = '/*!40101 SET NAMES utf8 */;\n/*M!100100 SET x = 1 */;\n/* plain; */';
    assert.deepEqual(located(sql), [
      [1, 1, '/*!40101 SET NAMES utf8 */'],
      [2, 2, '/*M!100100 SET x = 1 */'],
    ]);
  });

  void test('empty statements between semicolons are not counted', () => {
    assert.deepEqual(
      locateStatements('SELECT 1;;  ; -- x\n;SELECT 2;').map((s) => s.text),
      ['SELECT 1', 'SELECT 2'],
    );
  });

  void test('a statement starting with a string starts at the quote', () => {
    assert.deepEqual(located("\n\n'x';"), [[1, 3, "'x'"]]);
  });

  void test('unterminated strings and comments run to the end without throwing', () => {
    assert.deepEqual(located("SELECT 'abc;\nSELECT 2;"), [[1, 1, "SELECT 'abc;\nSELECT 2;"]]);
    assert.deepEqual(located('SELECT 1; /* open; comment'), [[1, 1, 'SELECT 1']]);
  });

  void test('CRLF line ends count lines like LF', () => {
    assert.deepEqual(
      locateStatements('SELECT 1;\r\n\r\nSELECT 2;').map((s) => s.line),
      [1, 3],
    );
  });
});

void describe('blank and comment-only scripts', () => {
  void test('isBlank is true only for whitespace', () => {
    assert.equal(isBlank(''), true);
    assert.equal(isBlank(' \n\t\r\n'), true);
    assert.equal(isBlank('-- c\n'), false);
    assert.equal(isBlank('SELECT 1'), false);
  });
  void test('hasOnlyCommentsOrWhitespace sees no statement in comments', () => {
    assert.equal(hasOnlyCommentsOrWhitespace('-- nothing\n/* here */\n# at all\n'), true);
    assert.equal(hasOnlyCommentsOrWhitespace('   '), true);
    assert.equal(hasOnlyCommentsOrWhitespace('/*!40101 SET x=1 */'), false);
    assert.equal(hasOnlyCommentsOrWhitespace("-- x\n''"), false);
  });
});

void describe('helpers', () => {
  void test('codeOnly blanks strings and comments but keeps offsets and line breaks', () => {
    const sql = "SELECT 'DROP TABLE x' -- DROP TABLE y\nFROM t";
    const code = codeOnly(sql);
    assert.equal(code.length, sql.length);
    assert.equal(code, `SELECT${' '.repeat(sql.indexOf('\n') - 6)}\nFROM t`);
  });
  void test('lineOfOffset', () => {
    const starts = lineStartOffsets('a\nbc\n\nd');
    assert.deepEqual(starts, [0, 2, 5, 6]);
    assert.deepEqual(
      [0, 1, 2, 4, 5, 6, 7].map((offset) => lineOfOffset(starts, offset)),
      [1, 1, 2, 2, 3, 4, 4],
    );
  });
});

const tokensOf = (sql: string) => {
  const cursor = new SqlTokenCursor(sql);
  const tokens: string[] = [];
  while (cursor.next()) tokens.push(`${cursor.kind}:${sql.slice(cursor.start, cursor.end)}`);
  return tokens;
};

void describe('SqlTokenCursor', () => {
  void test('splits words, quoted names, strings and punctuation, skipping blanks and comments', () => {
    assert.deepEqual(tokensOf("DROP TABLE `a``b`, db.t_1 -- gone\n# too\n/* and this */ WHERE x='it''s';"), [
      'word:DROP',
      'word:TABLE',
      'identifier:`a``b`',
      'punctuation:,',
      'word:db',
      'punctuation:.',
      'word:t_1',
      'word:WHERE',
      'word:x',
      'punctuation:=',
      "string:'it''s'",
      'punctuation:;',
    ]);
  });

  void test('MySQL name characters (any from U+0080 to U+FFFF), $ and @ make words; "--" then no blank is no comment', () => {
    assert.deepEqual(tokensOf('DELETE FROM café_日本 WHERE @v$2 --1'), [
      'word:DELETE',
      'word:FROM',
      'word:café_日本',
      'word:WHERE',
      'word:@v$2',
      'punctuation:-',
      'punctuation:-',
      'word:1',
    ]);
    assert.deepEqual(tokensOf('a\u00a0b €1 😀'), ['word:a\u00a0b', 'word:€1', 'punctuation:😀']);
  });

  void test('what an executable comment holds is code, its markers and version are not', () => {
    assert.deepEqual(tokensOf('/*!40101 DROP TABLE t */; /*M!100100 TRUNCATE u*/'), [
      'word:DROP',
      'word:TABLE',
      'word:t',
      'punctuation:;',
      'word:TRUNCATE',
      'word:u',
    ]);
  });

  void test('an unterminated string or comment runs to the end of the script', () => {
    assert.deepEqual(tokensOf("SELECT 'open"), ['word:SELECT', "string:'open"]);
    assert.deepEqual(tokensOf('SELECT 1 /* open'), ['word:SELECT', 'word:1']);
  });
});

void test('SqlTokenCursor.skipStatement goes to the ; that ends the statement, past strings, names and comments', () => {
  const script = "SELECT ';', `a;b`, \"c;d\" -- e;\n /* f; */ # g;\n, 'h\\';' ; DROP TABLE t";
  const cursor = new SqlTokenCursor(script);
  cursor.next();
  cursor.skipStatement();
  cursor.next();
  assert.equal(script.slice(cursor.start, cursor.end), ';');
  assert.equal(script.slice(cursor.end).trim(), 'DROP TABLE t');
  const ansi = new SqlTokenCursor('SELECT "a;b" ; x');
  ansi.ansiQuotes = true;
  ansi.next();
  ansi.skipStatement();
  ansi.next();
  assert.equal(ansi.start, 13);
  const noEscapes = new SqlTokenCursor("SELECT 'a\\'; x");
  noEscapes.noBackslashEscapes = true;
  noEscapes.next();
  noEscapes.skipStatement();
  noEscapes.next();
  assert.equal(noEscapes.start, 11);
  const unended = new SqlTokenCursor('SELECT 1');
  unended.next();
  unended.skipStatement();
  assert.equal(unended.next(), false);
});
