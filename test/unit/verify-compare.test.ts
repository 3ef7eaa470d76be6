import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSnapshots } from '../../src/core/verify-compare';
import {
  EMPTY_SNAPSHOT,
  ALL_TABLES,
  kindsChangedBy,
  tablesChangedBy,
  NO_OBJECT_KINDS,
  routineKey,
  type ColumnSnapshot,
  type RoutineSnapshot,
  type SchemaSnapshot,
  type TableSnapshot,
} from '../../src/core/verify-snapshot';

function column(name: string, position: number, overrides: Partial<ColumnSnapshot> = {}): ColumnSnapshot {
  return {
    name,
    position,
    type: 'int(11)',
    nullable: false,
    defaultValue: undefined,
    characterSet: undefined,
    collation: undefined,
    extra: '',
    generationExpression: undefined,
    comment: '',
    ...overrides,
  };
}

function table(name: string, overrides: Partial<TableSnapshot> = {}): TableSnapshot {
  return {
    name,
    engine: 'InnoDB',
    collation: 'utf8mb4_general_ci',
    comment: '',
    columns: new Map([['id', column('id', 1)]]),
    indexes: new Map([['PRIMARY', { name: 'PRIMARY', unique: true, kind: 'BTREE', parts: [part('id')] }]]),
    foreignKeys: new Map(),
    checks: new Map(),
    ...overrides,
  };
}

function part(name: string, prefixLength?: number, descending = false) {
  return { column: name, prefixLength, descending };
}

function schema(tables: TableSnapshot[], rest: Partial<SchemaSnapshot> = {}): SchemaSnapshot {
  return { ...EMPTY_SNAPSHOT, tables: new Map(tables.map((t) => [t.name, t])), ...rest };
}

const words = (expected: SchemaSnapshot, actual: SchemaSnapshot) =>
  compareSnapshots(expected, actual).map((difference) => difference.words);

void test('equal snapshots have no differences', () => {
  assert.deepEqual(words(schema([table('users')]), schema([table('users')])), []);
  assert.deepEqual(words(EMPTY_SNAPSHOT, EMPTY_SNAPSHOT), []);
});

void test('a table left behind still exists, a table dropped is missing; its columns are not listed one by one', () => {
  assert.deepEqual(words(EMPTY_SNAPSHOT, schema([table('users')])), ['table users still exists']);
  assert.deepEqual(words(schema([table('audit_log')]), EMPTY_SNAPSHOT), ['table audit_log missing']);
});

void test('columns: left behind, missing, and each attribute that differs, now vs expected', () => {
  const before = table('users', {
    columns: new Map([
      ['id', column('id', 1)],
      ['name', column('name', 2, { type: 'varchar(255)', nullable: true, defaultValue: 'NULL' })],
      ['age', column('age', 3)],
    ]),
  });
  const after = table('users', {
    columns: new Map([
      ['id', column('id', 1)],
      ['name', column('name', 2, { type: 'varchar(100)', nullable: false, defaultValue: "'x'" })],
      ['email', column('email', 3, { type: 'varchar(255)' })],
    ]),
  });
  assert.deepEqual(words(schema([before]), schema([after])), [
    'column users.age missing',
    'column users.email still exists',
    "column users.name differs: type varchar(100) vs varchar(255); NOT NULL vs NULL; default 'x' vs NULL",
  ]);
});

void test('a column re-added at the end differs by position', () => {
  const before = table('users', {
    columns: new Map([
      ['a', column('a', 1)],
      ['b', column('b', 2)],
    ]),
  });
  const after = table('users', {
    columns: new Map([
      ['b', column('b', 1)],
      ['a', column('a', 2)],
    ]),
  });
  assert.deepEqual(words(schema([before]), schema([after])), [
    'column users.a differs: position 2 vs 1',
    'column users.b differs: position 1 vs 2',
  ]);
});

void test('indexes: missing from a table, still existing on it, or with other columns or uniqueness', () => {
  const index = (name: string, unique: boolean, ...parts: ReturnType<typeof part>[]) =>
    [name, { name, unique, kind: 'BTREE', parts }] as const;
  const before = table('orders', {
    indexes: new Map([index('idx_orders_user', false, part('user_id')), index('idx_code', true, part('code', 10))]),
  });
  const after = table('orders', {
    indexes: new Map([
      index('idx_code', false, part('code'), part('created_at', undefined, true)),
      index('idx_orders_status', false, part('status')),
    ]),
  });
  assert.deepEqual(words(schema([before]), schema([after])), [
    'index idx_code on orders differs: not unique vs UNIQUE; columns (code, created_at DESC) vs (code(10))',
    'index idx_orders_status still exists on orders',
    'index idx_orders_user missing from orders',
  ]);
});

void test('foreign keys: the rule that differs reads "ON DELETE CASCADE vs RESTRICT"', () => {
  const key = (onDelete: string, referencedColumns = ['id']) => ({
    name: 'fk_x',
    table: 'orders',
    columns: ['user_id'],
    referencedTable: 'users',
    referencedColumns,
    onDelete,
    onUpdate: 'RESTRICT',
  });
  const before = table('orders', { foreignKeys: new Map([['fk_x', key('RESTRICT')]]) });
  const after = table('orders', { foreignKeys: new Map([['fk_x', key('CASCADE', ['uid'])]]) });
  assert.deepEqual(words(schema([before]), schema([after])), [
    'foreign key fk_x differs: references users(uid) vs users(id); ON DELETE CASCADE vs RESTRICT',
  ]);
  assert.deepEqual(words(schema([before]), schema([table('orders')])), ['foreign key fk_x missing']);
});

void test('table options, check constraints, views, triggers and routines', () => {
  const routine = (body: string): RoutineSnapshot => ({
    kind: 'PROCEDURE',
    name: 'archive',
    parameters: 'IN p_days int(11)',
    returns: '',
    body,
    deterministic: false,
    dataAccess: 'CONTAINS SQL',
    securityType: 'DEFINER',
  });
  const before = schema([table('t', { checks: new Map([['chk', { name: 'chk', clause: '`id` > 0' }]]) })], {
    views: new Map([['v', { name: 'v', definition: 'select 1', checkOption: 'NONE', securityType: 'DEFINER' }]]),
    routines: new Map([[routineKey('PROCEDURE', 'archive'), routine('begin end')]]),
  });
  const after = schema([table('t', { engine: 'MyISAM' })], {
    views: new Map([['v', { name: 'v', definition: 'select 2', checkOption: 'NONE', securityType: 'DEFINER' }]]),
    triggers: new Map([
      ['trg', { name: 'trg', table: 't', timing: 'BEFORE', event: 'INSERT', statement: 'set new.id = 1' }],
    ]),
    routines: new Map([[routineKey('PROCEDURE', 'archive'), routine('begin select 1; end')]]),
  });
  assert.deepEqual(words(before, after), [
    'table t differs: engine MyISAM vs InnoDB',
    'check constraint chk missing from t',
    'view v differs: definition changed',
    'trigger trg still exists',
    'procedure archive differs: body changed',
  ]);
});

void test('after the second up, something the first up did not make "appears"', () => {
  assert.deepEqual(
    compareSnapshots(EMPTY_SNAPSHOT, schema([table('users')]), 'appears').map((difference) => difference.words),
    ['table users appears'],
  );
});

void test('a snapshot asks again for views, triggers or routines only when a file may have changed them', () => {
  assert.deepEqual(kindsChangedBy('ALTER TABLE t ADD COLUMN a int;', true), NO_OBJECT_KINDS);
  assert.deepEqual(kindsChangedBy('CREATE OR REPLACE VIEW v AS SELECT 1;', false), {
    views: true,
    triggers: false,
    routines: false,
  });
  assert.deepEqual(kindsChangedBy('DROP TABLE t;', false), NO_OBJECT_KINDS);
  assert.deepEqual(kindsChangedBy('DROP TABLE t;', true), { views: false, triggers: true, routines: false });
  assert.deepEqual(kindsChangedBy('RENAME TABLE a TO b;', false), { views: true, triggers: false, routines: false });
  assert.deepEqual(kindsChangedBy('create trigger t before insert on a for each row set new.x = 1;', false), {
    views: false,
    triggers: true,
    routines: false,
  });
  assert.deepEqual(kindsChangedBy('DROP FUNCTION IF EXISTS f;', false), {
    views: false,
    triggers: false,
    routines: true,
  });
});

void test('a snapshot reads again the tables a file names, those referencing them, or all when it cannot tell', () => {
  const key = (name: string, referencedTable: string) => ({
    name,
    table: '',
    columns: ['x'],
    referencedTable,
    referencedColumns: ['id'],
    onDelete: 'RESTRICT',
    onUpdate: 'RESTRICT',
  });
  const tables = new Map([
    ['users', table('users')],
    ['orders', table('orders', { foreignKeys: new Map([['fk_o', key('fk_o', 'users')]]) })],
    ['lines', table('lines', { foreignKeys: new Map([['fk_l', key('fk_l', 'orders')]]) })],
    ['Audit', table('Audit')],
  ]);
  assert.deepEqual(tablesChangedBy('ALTER TABLE `audit` ADD COLUMN a int;', tables), new Set(['Audit']));
  assert.deepEqual(
    tablesChangedBy('ALTER TABLE users RENAME COLUMN id TO uid;', tables),
    new Set(['users', 'orders', 'lines']),
  );
  assert.deepEqual(tablesChangedBy('INSERT INTO audit_log VALUES (1);', tables), new Set());
  assert.equal(tablesChangedBy('CALL archive();', tables), ALL_TABLES);
  assert.equal(tablesChangedBy("PREPARE s FROM 'ALTER TABLE users ADD x int'; EXECUTE s;", tables), ALL_TABLES);
});
