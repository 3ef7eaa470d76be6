import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SourceUnreadableError } from '../../src/core/errors';
import { readVerifyMigrations } from '../../src/adapters/verify-migrations';
import { DuplicateMigrationError } from '../../src/core/errors';

let folder: string;

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ml-verify-read-'));
});

after(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function files(entries: Record<string, string | Uint8Array>): Promise<string> {
  const target = await mkdtemp(path.join(folder, 'case-'));
  for (const [name, content] of Object.entries(entries)) await writeFile(path.join(target, name), content);
  return target;
}

void test('each version with the text of its up and down files, in numeric order; up-only and down-only kept', async () => {
  const target = await files({
    '10_b.up.sql': 'CREATE TABLE b (id int);',
    '2_a.up.sql': 'CREATE TABLE a (id int);',
    '2_a.down.sql': 'DROP TABLE a;',
    '11_c.down.sql': 'DROP TABLE c;',
    'README.md': 'not a migration',
  });
  assert.deepEqual(await readVerifyMigrations(target), [
    {
      version: 2n,
      identifier: 'a',
      up: { fileName: '2_a.up.sql', sql: 'CREATE TABLE a (id int);' },
      down: { fileName: '2_a.down.sql', sql: 'DROP TABLE a;' },
    },
    {
      version: 10n,
      identifier: 'b',
      up: { fileName: '10_b.up.sql', sql: 'CREATE TABLE b (id int);' },
      down: undefined,
    },
    { version: 11n, identifier: 'c', up: undefined, down: { fileName: '11_c.down.sql', sql: 'DROP TABLE c;' } },
  ]);
});

void test('a folder golang-migrate refuses is refused with its error', async () => {
  const target = await files({ '1_a.up.sql': 'SELECT 1;', '001_b.up.sql': 'SELECT 2;' });
  await assert.rejects(readVerifyMigrations(target), DuplicateMigrationError);
});

void test('a migration file that is not UTF-8 is refused, as up refuses it', async () => {
  const target = await files({ '1_a.up.sql': new Uint8Array([0x53, 0xff, 0x3b]) });
  await assert.rejects(readVerifyMigrations(target), SourceUnreadableError);
});
