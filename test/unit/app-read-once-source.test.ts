import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadOnceSource } from '../../src/app/read-once-source';
import { SourceUnreadableError } from '../../src/core/errors';
import type { SourceListing } from '../../src/core/run-ports';
import { RunSession } from '../../src/app/run-session';
import { FakeSource, FakeTarget, SETTINGS, THREE } from './fake-run-ports';

/** A source that counts what is asked of it. */
class CountingSource extends FakeSource {
  lists = 0;
  readonly reads = new Map<string, number>();

  override list(): Promise<SourceListing> {
    this.lists++;
    return super.list();
  }

  override read(fileName: string): Promise<string> {
    this.reads.set(fileName, (this.reads.get(fileName) ?? 0) + 1);
    return super.read(fileName);
  }
}

void test('sessions that only look share one listing and one read of each file', async () => {
  const files = new Map(Object.entries(THREE));
  const folder = new CountingSource(files);
  const shared = new ReadOnceSource(folder);
  for (let database = 0; database < 5; database++) {
    const session = new RunSession(shared, () => Promise.resolve(new FakeTarget()), SETTINGS);
    const preview = await session.preview({ kind: 'up' });
    assert.equal(preview.steps.length, 3);
    assert.ok(preview.steps.every((step) => step.text === files.get(step.fileName!)));
  }
  assert.equal(folder.lists, 1);
  assert.deepEqual([...folder.reads.values()], [1, 1, 1]);
  assert.equal(shared.location, folder.location);
});

void test('a file that cannot be read fails every session the same way', async () => {
  const folder = new CountingSource(new Map());
  const shared = new ReadOnceSource(folder);
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(shared.read('9_none.up.sql'), SourceUnreadableError);
  }
  assert.equal(folder.reads.get('9_none.up.sql'), 1);
});
