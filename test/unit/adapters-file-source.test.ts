import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodeUtf8, listMigrationFolder, readMigrationFolder, readSourceFile } from '../../src/adapters/file-source';

let folder: string;

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'ml-file-source-'));
  await writeFile(path.join(folder, '1_init.up.sql'), 'CREATE TABLE a (id int);\n');
  await writeFile(path.join(folder, '1_init.down.sql'), 'DROP TABLE a;\n');
  await writeFile(path.join(folder, '2_bad.up.sql'), Buffer.from([0x53, 0x45, 0xff, 0x4c]));
  await writeFile(path.join(folder, 'README.md'), '# notes\n');
  await mkdir(path.join(folder, 'archive'));
  await writeFile(path.join(folder, 'archive', '3_old.up.sql'), 'SELECT 1;');
  await symlink(path.join(folder, '1_init.up.sql'), path.join(folder, '4_link.up.sql'));
});

after(async () => {
  await rm(folder, { recursive: true, force: true });
});

void test('names only: top-level files (links too), subdirectories apart', async () => {
  const listing = await listMigrationFolder(folder);
  assert.deepEqual(listing.files.map((file) => file.name).sort(), [
    '1_init.down.sql',
    '1_init.up.sql',
    '2_bad.up.sql',
    '4_link.up.sql',
    'README.md',
  ]);
  assert.ok(listing.files.every((file) => file.content === undefined));
  assert.deepEqual(listing.subdirectories, ['archive']);
});

void test('names and contents, invalid UTF-8 flagged', async () => {
  const listing = await readMigrationFolder(folder);
  const byName = new Map(listing.files.map((file) => [file.name, file]));
  assert.equal(byName.get('1_init.up.sql')?.content, 'CREATE TABLE a (id int);\n');
  assert.equal(byName.get('1_init.up.sql')?.invalidUtf8, false);
  assert.equal(byName.get('4_link.up.sql')?.content, 'CREATE TABLE a (id int);\n');
  assert.equal(byName.get('2_bad.up.sql')?.invalidUtf8, true);
  assert.equal(byName.get('2_bad.up.sql')?.content, 'SE\uFFFDL');
  assert.deepEqual(listing.subdirectories, ['archive']);
});

void test('a single file for incremental updates', async () => {
  assert.deepEqual(await readSourceFile(folder, '1_init.down.sql'), {
    name: '1_init.down.sql',
    content: 'DROP TABLE a;\n',
    invalidUtf8: false,
  });
  await assert.rejects(readSourceFile(folder, 'missing.sql'), { code: 'ENOENT' });
});

void test('a byte order mark is kept, as golang-migrate sends it', () => {
  assert.deepEqual(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), { content: '\uFEFFA', invalidUtf8: false });
});

void test('a file larger than the read buffer is read whole; a link to a directory counts as a subdirectory', async () => {
  const odd = await mkdtemp(path.join(tmpdir(), 'ml-file-source-odd-'));
  try {
    const large = `SELECT '${'x'.repeat(300_000)}';\n`;
    await writeFile(path.join(odd, '1_large.up.sql'), large);
    await mkdir(path.join(odd, 'sub'));
    await symlink(path.join(odd, 'sub'), path.join(odd, '2_link.up.sql'));
    const listing = await readMigrationFolder(odd);
    assert.deepEqual(
      listing.files.map((file) => [file.name, file.content.length]),
      [['1_large.up.sql', large.length]],
    );
    assert.equal(listing.files[0].content, large);
    assert.deepEqual(listing.subdirectories.slice().sort(), ['2_link.up.sql', 'sub']);
  } finally {
    await rm(odd, { recursive: true, force: true });
  }
});

void test(
  'links to a named pipe, to nothing or to themselves are left out, and never block the read',
  { timeout: 10_000 },
  async () => {
    const odd = await mkdtemp(path.join(tmpdir(), 'ml-file-source-links-'));
    try {
      await writeFile(path.join(odd, '1_init.up.sql'), 'SELECT 1;\n');
      execFileSync('mkfifo', [path.join(odd, 'pipe')]);
      await symlink(path.join(odd, 'pipe'), path.join(odd, '2_pipe.up.sql'));
      await symlink(path.join(odd, 'gone'), path.join(odd, '3_broken.up.sql'));
      await symlink(path.join(odd, '4_loop.up.sql'), path.join(odd, '4_loop.up.sql'));
      for (const listing of [await readMigrationFolder(odd), await listMigrationFolder(odd)]) {
        assert.deepEqual(
          listing.files.map((file) => file.name),
          ['1_init.up.sql'],
        );
        assert.deepEqual(listing.subdirectories, []);
      }
    } finally {
      await rm(odd, { recursive: true, force: true });
    }
  },
);

void test('a folder of 3000 files is read whole, handing the event loop back between batches', async () => {
  const big = await mkdtemp(path.join(tmpdir(), 'ml-file-source-big-'));
  try {
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) => writeFile(path.join(big, `${i + 1}_m.up.sql`), `SELECT ${i + 1};`)),
    );
    let turns = 0;
    const countTurns = () => {
      turns++;
      if (!done) setImmediate(countTurns);
    };
    let done = false;
    setImmediate(countTurns);
    const listing = await readMigrationFolder(big);
    done = true;
    assert.ok(turns >= 3, `the event loop turned ${turns} times while 3000 files were read`);
    assert.equal(listing.files.length, 3000);
    assert.equal(listing.files.find((file) => file.name === '2999_m.up.sql')?.content, 'SELECT 2999;');
  } finally {
    await rm(big, { recursive: true, force: true });
  }
});
