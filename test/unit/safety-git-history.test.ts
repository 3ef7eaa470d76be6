import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findDeletedMigration, isInGitRepository, showHistoricFile } from '../../src/adapters/git-history';
import { gitIn } from './git-repository';

void describe('migration files in git history', () => {
  let repository: string;
  let folder: string;
  const git = gitIn(() => repository);
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD').trim();
  };

  let added: string;
  let edited: string;

  before(async () => {
    repository = await mkdtemp(path.join(tmpdir(), 'ml-git-'));
    folder = path.join(repository, 'db', 'migrations');
    await mkdir(folder, { recursive: true });
    git('init', '-q', '-b', 'main');
    await writeFile(path.join(folder, '000001_a.up.sql'), 'CREATE TABLE a (id INT);\n');
    await writeFile(path.join(folder, '000002_b.up.sql'), 'CREATE TABLE b (id INT);\n');
    added = commit('add 1 and 2');
    await writeFile(path.join(folder, '000002_b.up.sql'), 'CREATE TABLE b (id BIGINT);\n');
    await writeFile(path.join(repository, 'README'), 'unrelated\n');
    edited = commit('widen b');
    await unlink(path.join(folder, '000002_b.up.sql'));
    commit('remove 2');
    git('checkout', '-q', '-b', 'feature');
    await writeFile(path.join(folder, '000003_c.up.sql'), 'CREATE TABLE c (id INT);\n');
    commit('add 3 on a branch');
    git('checkout', '-q', 'main');
  });

  after(async () => {
    await rm(repository, { recursive: true, force: true });
  });

  void it('finds the last commit that had a deleted file and shows its content then', async () => {
    const found = await findDeletedMigration(folder, 2n, 'up');
    assert.ok(found);
    assert.equal(found.commit, edited);
    assert.notEqual(found.commit, added);
    assert.equal(found.path, '000002_b.up.sql');
    assert.equal(found.subject, 'widen b');
    assert.equal(await showHistoricFile(folder, found), 'CREATE TABLE b (id BIGINT);\n');
  });

  void it('finds a file that only exists on another branch', async () => {
    const found = await findDeletedMigration(folder, 3n, 'up');
    assert.ok(found);
    assert.equal(await showHistoricFile(folder, found), 'CREATE TABLE c (id INT);\n');
  });

  void it('finds nothing for a version the history never had, a wrong direction, or a folder outside git', async () => {
    assert.equal(await findDeletedMigration(folder, 4n, 'up'), undefined);
    assert.equal(await findDeletedMigration(folder, 2n, 'down'), undefined);
    const outside = await mkdtemp(path.join(tmpdir(), 'ml-nogit-'));
    try {
      assert.equal(await isInGitRepository(outside), false);
      assert.equal(await findDeletedMigration(outside, 2n, 'up'), undefined);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
    assert.equal(await isInGitRepository(folder), true);
  });
});
