import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodeUtf8, FolderSource, listMigrationFolder, readMigrationFolder } from '../../src/adapters/file-source';

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
  const read = (name: string) => {
    const file = byName.get(name);
    assert.ok(file && file.unreadable === undefined, `${name} is read`);
    return file;
  };
  assert.equal(read('1_init.up.sql').content, 'CREATE TABLE a (id int);\n');
  assert.equal(read('1_init.up.sql').invalidUtf8, false);
  assert.equal(read('4_link.up.sql').content, 'CREATE TABLE a (id int);\n');
  assert.equal(read('2_bad.up.sql').invalidUtf8, true);
  assert.equal(read('2_bad.up.sql').content, 'SE\uFFFDL');
  assert.deepEqual(listing.subdirectories, ['archive']);
});

void test("a run's files, read one by one, hand the event loop back between batches", async () => {
  const source = new FolderSource(folder);
  let turns = 0;
  let done = false;
  const countTurns = () => {
    turns++;
    if (!done) setImmediate(countTurns);
  };
  setImmediate(countTurns);
  for (let read = 0; read < 1500; read++) assert.equal(await source.read('1_init.down.sql'), 'DROP TABLE a;\n');
  done = true;
  assert.ok(turns >= 2, `the event loop turned ${turns} times while 1500 files were read`);
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
      listing.files.map((file) => [file.name, file.content?.length]),
      [['1_large.up.sql', large.length]],
    );
    assert.equal(listing.files[0].content, large);
    assert.deepEqual(listing.subdirectories.slice().sort(), ['2_link.up.sql', 'sub']);
  } finally {
    await rm(odd, { recursive: true, force: true });
  }
});

void test(
  'links to a named pipe, to nothing or to themselves are listed as golang-migrate lists them, and never opened',
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
        assert.deepEqual(listing.files.map((file) => [file.name, file.unreadable]).sort(), [
          ['1_init.up.sql', undefined],
          ['2_pipe.up.sql', 'a link to something that is not a regular file'],
          ['3_broken.up.sql', 'a link to nothing (its target does not exist)'],
          ['4_loop.up.sql', 'a link that points to itself (too many levels of symbolic links)'],
          ['pipe', 'not a regular file'],
        ]);
        assert.deepEqual(listing.subdirectories, []);
      }
    } finally {
      await rm(odd, { recursive: true, force: true });
    }
  },
);

void test('the run source names the folder or file it cannot read, and refuses text that is not UTF-8', async () => {
  await assert.rejects(
    new FolderSource(path.join(folder, 'missing')).list(),
    new RegExp(`^SourceUnreadableError: cannot read ${folder}/missing: no such file or directory\\.$`),
  );
  const source = new FolderSource(folder);
  assert.equal(await source.read('1_init.down.sql'), 'DROP TABLE a;\n');
  await assert.rejects(source.read('2_bad.up.sql'), /2_bad\.up\.sql: it is not valid UTF-8/);
  await assert.rejects(source.read('9_none.up.sql'), /9_none\.up\.sql: no such file or directory/);
  await assert.rejects(source.read('archive'), /archive: a directory, not a file/);
});

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
