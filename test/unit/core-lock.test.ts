import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advisoryLockName, crc32Ieee } from '../../src/core/lock';

void test('lock names match golang-migrate for the documented vectors', () => {
  assert.equal(advisoryLockName('test', 'schema_migrations'), '874159513');
  assert.equal(advisoryLockName('test', 'my_migrations'), '2507900579');
});

void test('crc32 matches the IEEE check value and known strings', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  assert.equal(crc32Ieee(bytes('123456789')), 0xcbf43926);
  assert.equal(crc32Ieee(bytes('')), 0);
  assert.equal(crc32Ieee(bytes('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

void test('the lock name is the decimal of a 32-bit unsigned number and depends on both parts', () => {
  const names = new Set<string>();
  for (const db of ['test', 'prod', 'données']) {
    for (const table of ['schema_migrations', 'my_migrations']) {
      const name = advisoryLockName(db, table);
      assert.match(name, /^\d+$/);
      assert.ok(Number(name) < 2 ** 32);
      names.add(name);
    }
  }
  assert.equal(names.size, 6);
});
