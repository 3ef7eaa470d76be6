import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DirtyDatabaseError,
  DuplicateMigrationError,
  LockWaitCancelledError,
  MigrationFailedError,
  NilVersionError,
  PlanChangedError,
  SourceUnreadableError,
} from '../../src/core/errors';
import { NIL_VERSION } from '../../src/core/model';
import { FakeTarget, fakeSession, THREE } from './fake-run-ports';

function at(version: bigint, dirty = false): FakeTarget {
  const target = new FakeTarget();
  target.table = { version, dirty };
  return target;
}

void describe('the source comes first', () => {
  void test('a duplicate file fails before anything connects', async () => {
    const { session, connects } = fakeSession({ ...THREE, '0002_again.up.sql': 'SELECT 1;' });
    await assert.rejects(session.preview({ kind: 'up' }), DuplicateMigrationError);
    await assert.rejects(session.version(), DuplicateMigrationError);
    await assert.rejects(session.force(1n), DuplicateMigrationError);
    await assert.rejects(session.drop(), DuplicateMigrationError);
    assert.equal(connects(), 0);
  });

  void test('a folder that cannot be listed fails before anything connects, naming the folder', async () => {
    const { session, source, connects } = fakeSession(THREE);
    source.listError = 'no such file or directory';
    await assert.rejects(session.preview({ kind: 'up' }), /^SourceUnreadableError: cannot read \/migrations: no such/);
    assert.equal(connects(), 0);
  });

  void test('an unreadable file stops the run where golang-migrate stops: the ones before it apply, clean', async () => {
    const { session, source, target } = fakeSession({ '1_a.up.sql': 'A;', '3_c.up.sql': 'C;' });
    source.unreadable.set('2_loop.up.sql', 'a link that points to itself');
    const preview = await session.preview({ kind: 'up' });
    await assert.rejects(session.run(preview), (error: unknown) => {
      assert.ok(error instanceof SourceUnreadableError);
      assert.match(error.message, /2_loop\.up\.sql: a link that points to itself/);
      return true;
    });
    assert.deepEqual(target.table, { version: 1n, dirty: false });
    assert.ok(!target.events.includes('run C;'));
  });
});

void describe('running', () => {
  void test('one durable write per migration, the ledger row of the finished step in the next write', async () => {
    const { session, target, connects } = fakeSession(THREE);
    const result = await session.run(await session.preview({ kind: 'up' }));
    assert.deepEqual(result.outcome, { kind: 'ok' });
    assert.deepEqual(target.committed, [
      { state: '1/dirty', ledger: [] },
      { state: '2/dirty', ledger: ['applied 1'] },
      { state: '3/dirty', ledger: ['applied 2'] },
      { state: '3/clean', ledger: ['applied 3'] },
    ]);
    assert.equal(connects(), 1);
    assert.deepEqual(target.events.slice(0, 4), ['look', 'lock', 'ensureVersionTable', 'readVersion']);
    assert.equal(target.events.at(-1), 'unlock');
  });

  void test('preview locks nothing and creates nothing', async () => {
    const { session, target } = fakeSession(THREE);
    const preview = await session.preview({ kind: 'up' });
    assert.deepEqual(target.events, ['look']);
    assert.equal(target.table, undefined);
    assert.deepEqual(preview.current, { version: NIL_VERSION, dirty: false });
    assert.deepEqual(
      preview.steps.map((step) => [step.version, step.text]),
      [
        [1n, THREE['1_users.up.sql']],
        [2n, THREE['2_email.up.sql']],
        [3n, THREE['3_orders.up.sql']],
      ],
    );
  });

  void test('a file that ends with a transaction open fails: rolled back, dirty, never recorded clean', async () => {
    const { session, target } = fakeSession({
      '1_t.up.sql': 'CREATE TABLE acct(i int);',
      '2_v.up.sql': 'SET autocommit=0; INSERT INTO acct VALUES (8);',
      '3_n.up.sql': 'CREATE TABLE n3(i int);',
    });
    target.scriptOutcome = (text) => ({ kind: 'done', transactionOpen: text.startsWith('SET autocommit=0') });
    await assert.rejects(session.run(await session.preview({ kind: 'up' })), (error: unknown) => {
      assert.ok(error instanceof MigrationFailedError);
      assert.equal(error.openTransaction, true);
      assert.match(error.message, /2_v\.up\.sql: it left a transaction open; its uncommitted changes were rolled back/);
      assert.match(error.message, /dirty at version 2/);
      return true;
    });
    assert.deepEqual(target.table, { version: 2n, dirty: true });
    assert.ok(target.committed.every(({ state }) => state !== '2/clean'));
    const afterScript = target.events.slice(
      target.events.indexOf('run SET autocommit=0; INSERT INTO acct VALUES (8);'),
    );
    assert.deepEqual(afterScript.slice(0, 3), [
      'run SET autocommit=0; INSERT INTO acct VALUES (8);',
      'rollback',
      'ledger failed 2',
    ]);
    assert.ok(!target.events.includes('run CREATE TABLE n3(i int);'));
  });

  void test("a failure the ledger cannot record is reported apart; the run still ends with the migration's failure", async () => {
    const { session, target } = fakeSession(THREE);
    target.scriptOutcome = (text) =>
      text.startsWith('ALTER')
        ? {
            kind: 'failed',
            statementIndex: 1,
            serverCode: 2013,
            serverMessage: 'Lost connection to server during query',
          }
        : { kind: 'done', transactionOpen: false };
    target.ledgerWriteFails = new Error("Can't add new command when connection is in closed state");
    const ledgerProblems: unknown[] = [];
    await assert.rejects(
      session.run(await session.preview({ kind: 'up' }), { onLedgerProblem: (error) => ledgerProblems.push(error) }),
      (error: unknown) => error instanceof MigrationFailedError && /Lost connection/.test(error.message),
    );
    assert.deepEqual(ledgerProblems, [target.ledgerWriteFails]);
    assert.deepEqual(target.table, { version: 2n, dirty: true });
  });

  void test('a failed up advises the version itself or the one below it', async () => {
    const { session, target } = fakeSession(THREE);
    target.scriptOutcome = (text) =>
      text.startsWith('ALTER')
        ? { kind: 'failed', statementIndex: 1, serverCode: 1054, serverMessage: 'Unknown column' }
        : { kind: 'done', transactionOpen: false };
    await assert.rejects(session.run(await session.preview({ kind: 'up' })), (error: unknown) => {
      assert.ok(error instanceof MigrationFailedError);
      assert.deepEqual(error.choices, { completed: 2n, undone: 1n });
      assert.match(
        error.message,
        /run `force 2` if every change of that migration is now in place, or `force 1` if none/,
      );
      return true;
    });
    assert.deepEqual(target.table, { version: 2n, dirty: true });
  });

  void test('a failed down of 3 advises force 3 (it took no effect) or force 2 (finished by hand)', async () => {
    const { session, target } = fakeSession(THREE, at(3n));
    target.scriptOutcome = (text) =>
      text === 'DROP TABLE orders;'
        ? { kind: 'failed', statementIndex: 1, serverCode: 1051, serverMessage: "Unknown table 'nope3'" }
        : { kind: 'done', transactionOpen: false };
    await assert.rejects(session.run(await session.preview({ kind: 'down', limit: 1 })), (error: unknown) => {
      assert.ok(error instanceof MigrationFailedError);
      assert.deepEqual(error.choices, { completed: 2n, undone: 3n, failedDown: 3n });
      assert.match(error.message, /dirty at version 2/);
      assert.match(
        error.message,
        /`force 3` if the down file of 3 took no effect .*`force 2` if you finished the roll back/,
      );
      return true;
    });
    // The next command refuses with the same two versions, which the ledger's record of the failed down decides.
    await assert.rejects(
      session.preview({ kind: 'up' }).then((preview) => session.run(preview)),
      (error: unknown) => {
        assert.ok(error instanceof DirtyDatabaseError);
        assert.match(error.message, /^Dirty database version 2\. Fix and force version\. The roll back of migration 3/);
        assert.match(error.message, /`force 3` .*`force 2`/);
        return true;
      },
    );
  });

  void test('a failed first down leaves nil dirty, and the advice is the first version or -1', async () => {
    const { session, target } = fakeSession(THREE, at(1n));
    target.scriptOutcome = () => ({ kind: 'failed', statementIndex: 1, serverMessage: 'no' });
    await assert.rejects(
      session.run(await session.preview({ kind: 'down', limit: 1 })),
      /force 1` if the down file of 1/,
    );
    assert.deepEqual(target.table, { version: NIL_VERSION, dirty: true });
    // Without a ledger a database dirty at nil can only come from a failed down of the first migration.
    target.ledgerTable = undefined;
    const preview = await session.preview({ kind: 'up' });
    assert.ok(preview.plan.outcome.kind === 'error');
    assert.match(preview.plan.outcome.error.message, /`force 1` if the down file of 1 .*`force -- -1` if you finished/);
  });

  void test('cancel stops between migrations and leaves the last finished one clean', async () => {
    const controller = new AbortController();
    const { session, target } = fakeSession(THREE);
    target.onScript = (text) => {
      if (text === THREE['2_email.up.sql']) controller.abort();
    };
    const result = await session.run(await session.preview({ kind: 'up' }), { signal: controller.signal });
    assert.equal(result.outcome.kind, 'cancelled');
    assert.deepEqual(result.version, { version: 2n, dirty: false });
    assert.deepEqual(target.table, { version: 2n, dirty: false });
    assert.ok(!target.events.includes(`run ${THREE['3_orders.up.sql']}`));
  });

  void test('cancel while another session holds the lock ends the wait with nothing run', async () => {
    const controller = new AbortController();
    const target = new FakeTarget();
    target.heldBy = { connectionId: 7, user: 'deploy' };
    const { session } = fakeSession(THREE, target);
    const preview = await session.preview({ kind: 'up' });
    assert.equal(preview.lockHolder?.connectionId, 7);
    const waits: number[] = [];
    const run = session.run(preview, {
      signal: controller.signal,
      onLockWait: (holder) => {
        waits.push(holder!.connectionId);
        controller.abort();
      },
    });
    await assert.rejects(run, LockWaitCancelledError);
    assert.deepEqual(waits, [7]);
    assert.equal(target.committed.length, 0);
  });
});

void describe('what was previewed is what runs', () => {
  void test('a file whose text changed after the preview: refused, nothing ran', async () => {
    const { session, source, target } = fakeSession(THREE);
    const preview = await session.preview({ kind: 'up' });
    source.files.set('2_email.up.sql', 'ALTER TABLE users ADD email varchar(255);');
    await assert.rejects(session.run(preview), (error: unknown) => {
      assert.ok(error instanceof PlanChangedError);
      assert.match(error.message, /2_email\.up\.sql changed on disk/);
      return true;
    });
    assert.equal(target.committed.length, 0);
    assert.equal(target.events.at(-1), 'unlock');
  });

  void test('a renamed file with the same text still runs; the database moving meanwhile is refused', async () => {
    const renamed = fakeSession(THREE);
    const preview = await renamed.session.preview({ kind: 'up', limit: 1 });
    renamed.source.files.delete('1_users.up.sql');
    renamed.source.files.set('1_create_users.up.sql', THREE['1_users.up.sql']);
    assert.equal((await renamed.session.run(preview)).outcome.kind, 'ok');

    const moved = fakeSession(THREE);
    const before = await moved.session.preview({ kind: 'up' });
    moved.target.table = { version: 1n, dirty: false };
    await assert.rejects(moved.session.run(before), /2\/u would run where the preview had 1\/u/);
  });
});

void describe('backups before going down', () => {
  void test('always backs up the tables the down files lose data in, before the first step', async () => {
    const { session, target } = fakeSession(THREE, at(3n));
    const result = await session.run(await session.preview({ kind: 'down', limit: 2 }), {
      backup: { mode: 'always', folder: '/backups' },
    });
    assert.deepEqual(target.backups, [{ tables: ['orders', 'users'], version: 3n }]);
    assert.ok(target.events.indexOf('backup orders,users') < target.events.indexOf('set 2/dirty'));
    assert.equal(result.backup?.file, '/backups/app-3.sql');
  });

  void test('ask: cancel runs nothing; skip runs without a backup; never asks nothing', async () => {
    const cancelled = fakeSession(THREE, at(3n));
    const asked: unknown[] = [];
    const result = await cancelled.session.run(await cancelled.session.preview({ kind: 'down', limit: 1 }), {
      backup: { mode: 'ask', folder: '/b', ask: (scope) => (asked.push(scope), Promise.resolve('cancel')) },
    });
    assert.equal(result.outcome.kind, 'declined');
    assert.deepEqual(asked, [['orders']]);
    assert.equal(cancelled.target.committed.length, 0);

    const skipped = fakeSession(THREE, at(3n));
    await skipped.session.run(await skipped.session.preview({ kind: 'down', limit: 1 }), {
      backup: { mode: 'ask', folder: '/b', ask: () => Promise.resolve('skip') },
    });
    assert.equal(skipped.target.backups.length, 0);
    assert.deepEqual(skipped.target.table, { version: 2n, dirty: false });

    const never = fakeSession(THREE, at(3n));
    await never.session.run(await never.session.preview({ kind: 'down', limit: 1 }), {
      backup: { mode: 'never', folder: '/b', ask: () => assert.fail('never asks') },
    });
    assert.equal(never.target.backups.length, 0);
  });

  void test('a failed backup stops the run unless the face says go on', async () => {
    const { session, target } = fakeSession(THREE, at(3n));
    target.backup = () => Promise.reject(new Error('disk full'));
    await assert.rejects(
      session.run(await session.preview({ kind: 'down', limit: 1 }), { backup: { mode: 'always', folder: '/b' } }),
      /disk full/,
    );
    assert.equal(target.committed.length, 0);
  });
});

void describe('force, version, drop', () => {
  void test('force writes the recovery ledger row in the same transaction', async () => {
    const { session, target } = fakeSession(THREE, at(2n, true));
    await session.force(2n, {}, [{ kind: 'applied', version: 2n, durationMs: 0 }]);
    assert.deepEqual(target.committed, [{ state: '2/clean', ledger: ['applied 2'] }]);
  });

  void test('version makes the table under the lock and says no migration for nil', async () => {
    const { session, target } = fakeSession(THREE);
    await assert.rejects(session.version(), NilVersionError);
    assert.deepEqual(target.events, ['lock', 'ensureVersionTable', 'readVersion', 'unlock']);
  });

  void test('drop backs up every table first per policy', async () => {
    const { session, target } = fakeSession(THREE, at(3n));
    const result = await session.drop({ backup: { mode: 'always', folder: '/b' } });
    assert.deepEqual(result.droppedTables, ['schema_migrations']);
    assert.ok(target.events.indexOf('backup all') < target.events.indexOf('drop'));
  });
});
