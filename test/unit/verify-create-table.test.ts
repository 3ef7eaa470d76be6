import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSnapshots } from '../../src/core/verify-compare';
import { parseCreateTable } from '../../src/core/verify-create-table';
import { EMPTY_SNAPSHOT, type SchemaSnapshot, type TableSnapshot } from '../../src/core/verify-snapshot';

/** MariaDB 10.11's SHOW CREATE TABLE for a table that uses most column and key forms. */
const CREATE_A = [
  'CREATE TABLE `a` (',
  '  `id` int(10) unsigned zerofill NOT NULL AUTO_INCREMENT,',
  "  `n` varchar(10) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT 'it''s' COMMENT 'c ''x''',",
  '  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),',
  '  `d` datetime DEFAULT current_timestamp() ON UPDATE current_timestamp(),',
  '  `g` int(11) GENERATED ALWAYS AS (`id` + 1) VIRTUAL,',
  "  `e` enum('a','b c') NOT NULL,",
  '  `t` timestamp NULL DEFAULT NULL,',
  '  `uid` int(11) DEFAULT NULL,',
  '  PRIMARY KEY (`id`),',
  '  UNIQUE KEY `uq` (`n`),',
  '  KEY `k` (`n`(3) DESC,`d`),',
  '  KEY `fk2` (`uid`),',
  '  FULLTEXT KEY `ft` (`n`),',
  '  CONSTRAINT `fk` FOREIGN KEY (`uid`) REFERENCES `u` (`id`) ON DELETE CASCADE,',
  '  CONSTRAINT `fk2` FOREIGN KEY (`uid`) REFERENCES `u` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION,',
  '  CONSTRAINT `chk` CHECK (`uid` > 0)',
  ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='tab''le'",
].join('\n');

void test('columns: type, nullability, default, character set, collation, extra, generation, comment, position', () => {
  const table = parseCreateTable(CREATE_A);
  assert.equal(table.name, 'a');
  assert.deepEqual([...table.columns.keys()], ['id', 'n', 'j', 'd', 'g', 'e', 't', 'uid']);
  assert.deepEqual(table.columns.get('id'), {
    name: 'id',
    position: 1,
    type: 'int(10) unsigned zerofill',
    nullable: false,
    defaultValue: undefined,
    characterSet: undefined,
    collation: undefined,
    extra: 'auto_increment',
    generationExpression: undefined,
    comment: '',
  });
  assert.deepEqual(table.columns.get('n'), {
    name: 'n',
    position: 2,
    type: 'varchar(10)',
    nullable: true,
    defaultValue: "'it''s'",
    characterSet: 'latin1',
    collation: 'latin1_bin',
    extra: '',
    generationExpression: undefined,
    comment: "c 'x'",
  });
  assert.equal(table.columns.get('d')?.extra, 'on update current_timestamp()');
  assert.equal(table.columns.get('g')?.generationExpression, '(`id` + 1)');
  assert.equal(table.columns.get('g')?.extra, 'VIRTUAL GENERATED');
  assert.equal(table.columns.get('e')?.type, "enum('a','b c')");
  assert.equal(table.columns.get('t')?.nullable, true);
});

void test('keys, foreign keys with their rules (RESTRICT when not printed), checks and table options', () => {
  const table = parseCreateTable(CREATE_A);
  assert.deepEqual([...table.indexes.keys()], ['PRIMARY', 'uq', 'k', 'fk2', 'ft']);
  assert.deepEqual(table.indexes.get('k'), {
    name: 'k',
    unique: false,
    kind: 'BTREE',
    parts: [
      { column: 'n', prefixLength: 3, descending: true },
      { column: 'd', prefixLength: undefined, descending: false },
    ],
  });
  assert.equal(table.indexes.get('uq')?.unique, true);
  assert.equal(table.indexes.get('ft')?.kind, 'FULLTEXT');
  assert.deepEqual(table.foreignKeys.get('fk'), {
    name: 'fk',
    table: 'a',
    columns: ['uid'],
    referencedTable: 'u',
    referencedColumns: ['id'],
    onDelete: 'CASCADE',
    onUpdate: 'RESTRICT',
  });
  assert.equal(table.foreignKeys.get('fk2')?.onDelete, 'SET NULL');
  assert.equal(table.foreignKeys.get('fk2')?.onUpdate, 'NO ACTION');
  assert.deepEqual(
    [...table.checks.values()],
    [
      { name: 'j', clause: 'json_valid(`j`)' },
      { name: 'chk', clause: '`uid` > 0' },
    ],
  );
  assert.equal(table.engine, 'InnoDB');
  assert.equal(table.collation, 'utf8mb4_general_ci');
  assert.equal(table.comment, "tab'le");
});

void test('the AUTO_INCREMENT counter is not part of the schema; a changed rule is worded from the parsed texts', () => {
  const counted = parseCreateTable(CREATE_A.replace('AUTO_INCREMENT=5', 'AUTO_INCREMENT=900'));
  const schema = (table: TableSnapshot): SchemaSnapshot => ({ ...EMPTY_SNAPSHOT, tables: new Map([['a', table]]) });
  assert.deepEqual(compareSnapshots(schema(parseCreateTable(CREATE_A)), schema(counted)), []);
  const restricted = parseCreateTable(CREATE_A.replace(' ON DELETE CASCADE,', ','));
  assert.deepEqual(
    compareSnapshots(schema(restricted), schema(parseCreateTable(CREATE_A))).map((difference) => difference.words),
    ['foreign key fk differs: ON DELETE CASCADE vs RESTRICT'],
  );
});
