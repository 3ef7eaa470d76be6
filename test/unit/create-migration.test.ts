import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createMigrationFiles } from '../../src/adapters/create-migration';
import { DuplicateMigrationVersionError } from '../../src/core/errors';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'ml-create-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const NOW = 1_700_000_000_123_456_789n; // 2023-11-14 22:13:20 UTC

void test('makes the folder and an empty sequential pair after the last number', async () => {
  const folder = path.join(scratch, 'db', 'migrations');
  const first = await createMigrationFiles(folder, {
    name: 'create_users',
    ext: 'sql',
    options: { seq: true, digits: 6 },
    nowEpochNanoseconds: NOW,
  });
  assert.equal(first.version, '000001');
  assert.equal(path.basename(first.upPath), '000001_create_users.up.sql');
  assert.equal(path.basename(first.downPath), '000001_create_users.down.sql');
  assert.equal(await readFile(first.upPath, 'utf8'), '');
  const second = await createMigrationFiles(folder, {
    name: 'add_email',
    ext: '.sql',
    options: { seq: true, digits: 6 },
    nowEpochNanoseconds: NOW,
  });
  assert.equal(second.version, '000002');
  assert.deepEqual((await readdir(folder)).sort(), [
    '000001_create_users.down.sql',
    '000001_create_users.up.sql',
    '000002_add_email.down.sql',
    '000002_add_email.up.sql',
  ]);
});

void test('timestamp names follow the layout and zone', async () => {
  const folder = path.join(scratch, 'stamps');
  const created = await createMigrationFiles(folder, {
    name: 'x',
    ext: 'sql',
    options: { format: '20060102150405', timeZone: 'Europe/Paris' },
    nowEpochNanoseconds: NOW,
  });
  assert.equal(path.basename(created.upPath), '20231114231320_x.up.sql');
});

void test('never overwrites: an existing version is refused and nothing is left half made', async () => {
  const folder = path.join(scratch, 'clash');
  await createMigrationFiles(folder, { name: 'a', ext: 'sql', options: { format: 'unix' }, nowEpochNanoseconds: NOW });
  await assert.rejects(
    createMigrationFiles(folder, { name: 'b', ext: 'sql', options: { format: 'unix' }, nowEpochNanoseconds: NOW }),
    DuplicateMigrationVersionError,
  );
  // Something already holds the down file's name (a directory, which the listing skips): the new up file goes again.
  await mkdir(path.join(folder, '1700000001_c.down.sql'));
  await writeFile(path.join(folder, '1700000001_c.down.sql', 'inside'), 'kept');
  await assert.rejects(
    createMigrationFiles(folder, {
      name: 'c',
      ext: 'sql',
      options: { format: 'unix' },
      nowEpochNanoseconds: NOW + 1_000_000_000n,
    }),
  );
  assert.deepEqual((await readdir(folder)).sort(), [
    '1700000000_a.down.sql',
    '1700000000_a.up.sql',
    '1700000001_c.down.sql',
  ]);
});
