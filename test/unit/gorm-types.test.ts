import assert from 'node:assert/strict';
import { test } from 'node:test';
import { structTagValue, unquoteGoString } from '../../src/core/go-declarations';
import {
  gormMysqlColumnDefinition,
  gormMysqlType,
  normaliseColumnType,
  parseTagSettings,
  type GormTypeInput,
} from '../../src/core/gorm-types';

const FIELD: GormTypeInput = {
  dataType: 'string',
  size: 0,
  precision: 0,
  scale: 0,
  primaryKey: false,
  autoIncrement: false,
  notNull: false,
  hasDefault: false,
  defaultValue: undefined,
  indexedForSize: false,
  hasPrecisionTag: false,
};

void test('struct tags: reflect.StructTag.Get, with Go string escapes', () => {
  const tag = 'json:"name,omitempty" gorm:"column:full_name;size:100" xml:"-"';
  assert.equal(structTagValue(tag, 'gorm'), 'column:full_name;size:100');
  assert.equal(structTagValue(tag, 'json'), 'name,omitempty');
  assert.equal(structTagValue(tag, 'yaml'), undefined);
  assert.equal(structTagValue('gorm:"default:\\"x\\""', 'gorm'), 'default:"x"');
  assert.equal(structTagValue('gorm:"unterminated', 'gorm'), undefined);
  assert.equal(unquoteGoString('`raw \\n`'), 'raw \\n');
  assert.equal(unquoteGoString('"a\\tb\\u00e9"'), 'a\tbé');
});

void test('tag settings: GORM ParseTagSetting (upper-cased keys, key alone maps to itself, \\; escapes)', () => {
  const settings = parseTagSettings('column:user_name;size:255;primaryKey;default:a\\;b;comment:x:y; not null');
  assert.deepEqual(Object.fromEntries(settings), {
    COLUMN: 'user_name',
    SIZE: '255',
    PRIMARYKEY: 'PRIMARYKEY',
    DEFAULT: 'a;b',
    COMMENT: 'x:y',
    'NOT NULL': 'NOT NULL',
  });
});

void test("MySQL types: gorm.io/driver/mysql's DataTypeOf, table by table", () => {
  const cases: [Partial<GormTypeInput>, string][] = [
    [{ dataType: 'bool' }, 'boolean'],
    [{ dataType: 'int', size: 8 }, 'tinyint'],
    [{ dataType: 'int', size: 16 }, 'smallint'],
    [{ dataType: 'int', size: 24 }, 'mediumint'],
    [{ dataType: 'int', size: 32 }, 'int'],
    [{ dataType: 'int', size: 64 }, 'bigint'],
    [{ dataType: 'uint', size: 8 }, 'tinyint unsigned'],
    [{ dataType: 'uint', size: 64, autoIncrement: true }, 'bigint unsigned AUTO_INCREMENT'],
    [{ dataType: 'float', size: 32 }, 'float'],
    [{ dataType: 'float', size: 64 }, 'double'],
    [{ dataType: 'float', size: 64, precision: 10, scale: 2 }, 'decimal(10, 2)'],
    [{ dataType: 'string' }, 'longtext'],
    [{ dataType: 'string', size: 255 }, 'varchar(255)'],
    [{ dataType: 'string', size: 65535 }, 'varchar(65535)'],
    [{ dataType: 'string', size: 70000 }, 'mediumtext'],
    [{ dataType: 'string', size: 2 ** 24 + 1 }, 'longtext'],
    [{ dataType: 'string', primaryKey: true }, 'varchar(191)'],
    [{ dataType: 'string', hasDefault: true, defaultValue: 'anon' }, 'varchar(191)'],
    [{ dataType: 'string', indexedForSize: true }, 'varchar(191)'],
    [{ dataType: 'time' }, 'datetime(3) NULL'],
    [{ dataType: 'time', notNull: true }, 'datetime(3)'],
    [{ dataType: 'time', precision: 6, hasPrecisionTag: true }, 'datetime(6) NULL'],
    [{ dataType: 'time', hasPrecisionTag: true }, 'datetime NULL'],
    [{ dataType: 'bytes' }, 'longblob'],
    [{ dataType: 'bytes', size: 16 }, 'varbinary(16)'],
    [{ dataType: 'bytes', size: 70000 }, 'mediumblob'],
    [{ dataType: { custom: "enum('a','b')" } }, "enum('a','b')"],
    [{ dataType: { custom: 'int' }, autoIncrement: true }, 'int AUTO_INCREMENT'],
  ];
  for (const [field, type] of cases) assert.equal(gormMysqlType({ ...FIELD, ...field }), type, JSON.stringify(field));
});

void test('full definitions: NOT NULL and DEFAULT as FullDataTypeOf writes them', () => {
  const cases: [Partial<GormTypeInput>, string][] = [
    [{ size: 64, notNull: true }, 'varchar(64) NOT NULL'],
    [{ hasDefault: true, defaultValue: 'anon' }, "varchar(191) DEFAULT 'anon'"],
    [{ hasDefault: true, defaultValue: "it's" }, "varchar(191) DEFAULT 'it''s'"],
    [{ dataType: 'bool', hasDefault: true, defaultValue: 'true' }, 'boolean DEFAULT true'],
    [{ dataType: 'int', size: 64, hasDefault: true, defaultValue: '18' }, 'bigint DEFAULT 18'],
    [{ dataType: 'time', hasDefault: true, defaultValue: '(now())' }, 'datetime(3) NULL DEFAULT (now())'],
    [{ hasDefault: true, defaultValue: '(-)' }, 'varchar(191)'],
  ];
  for (const [field, definition] of cases) {
    assert.equal(gormMysqlColumnDefinition({ ...FIELD, ...field }), definition, JSON.stringify(field));
  }
});

void test("server types compare without MariaDB's integer widths, with boolean as tinyint(1) and json as longtext", () => {
  assert.equal(normaliseColumnType('bigint(20) unsigned'), normaliseColumnType('bigint unsigned'));
  assert.equal(normaliseColumnType('int(11)'), 'int');
  assert.equal(normaliseColumnType('boolean'), normaliseColumnType('tinyint(1)'));
  assert.equal(normaliseColumnType('decimal(10, 2)'), normaliseColumnType('decimal(10,2)'));
  assert.equal(normaliseColumnType('JSON'), normaliseColumnType('longtext'));
  assert.notEqual(normaliseColumnType('varchar(100)'), normaliseColumnType('varchar(255)'));
});
