import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type FleetEvent, type FleetMember, runFleet, type FleetOptions } from '../../src/app/fleet';
import type { PlanRequest } from '../../src/core/plan';
import { fleetSucceeded, type FleetRow } from '../../src/core/fleet';
import { FakeTarget, fakeMember, THREE } from './fake-run-ports';

const OPTIONS: FleetOptions = { parallel: 4, canary: 0, continueOnFailure: false };

/** `count` databases tenant_0.. at no version, with their fakes. */
function fleetOf(count: number) {
  return Array.from({ length: count }, (_, index) => fakeMember(`tenant_${index}`, THREE));
}

/** A database whose `up` of version 2 fails. */
function failingAtTwo(target = new FakeTarget()): FakeTarget {
  target.scriptOutcome = (text) =>
    text.includes('email')
      ? { kind: 'failed', statementIndex: 1, serverCode: 1064, serverMessage: 'syntax error' }
      : { kind: 'done', transactionOpen: false };
  return target;
}

function results(rows: readonly FleetRow[]): string[] {
  return rows.map((row) => `${row.database} ${row.result}`);
}

/** `runFleet` over the fakes' members. */
function runOver(fleet: readonly { member: FleetMember }[], request: PlanRequest, options: FleetOptions = OPTIONS) {
  return runFleet(
    fleet.map(({ member }) => member),
    request,
    options,
  );
}

/** Resolves after other work had a turn (a script "running" on the server). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

void describe('fleet runs', () => {
  void test('every database reaches the target, each in a session of its own, closed after its run', async () => {
    const fleet = fleetOf(5);
    const summary = await runOver(fleet, { kind: 'up' }, OPTIONS);
    assert.deepEqual(
      results(summary.rows),
      [0, 1, 2, 3, 4].map((index) => `tenant_${index} migrated`),
    );
    for (const { target, opened } of fleet) {
      assert.deepEqual(target.table, { version: 3n, dirty: false });
      assert.equal(opened(), 1);
      assert.ok(target.closed);
    }
    assert.deepEqual(summary.rows[0].from, { version: -1n, dirty: false });
    assert.deepEqual(summary.rows[0].to, { version: 3n, dirty: false });
    assert.equal(summary.stopped, undefined);
    assert.ok(fleetSucceeded(summary.rows));
  });

  void test('no more than `parallel` databases run at once', async () => {
    const fleet = fleetOf(10);
    let running = 0;
    let most = 0;
    for (const { target } of fleet) {
      target.onScript = async () => {
        most = Math.max(most, ++running);
        await tick();
        running--;
      };
    }
    await runOver(fleet, { kind: 'up' }, { ...OPTIONS, parallel: 3 });
    assert.equal(most, 3);
  });

  void test('a failing canary stops the run: the databases after the canaries are never opened', async () => {
    const fleet = fleetOf(6);
    failingAtTwo(fleet[1].target);
    const summary = await runOver(
      fleet,
      { kind: 'up' },
      { ...OPTIONS, canary: 2, parallel: 1, continueOnFailure: true },
    );
    assert.equal(summary.stopped, 'canary');
    assert.deepEqual(results(summary.rows), [
      'tenant_0 migrated',
      'tenant_1 failed',
      'tenant_2 not-started',
      'tenant_3 not-started',
      'tenant_4 not-started',
      'tenant_5 not-started',
    ]);
    // golang-migrate's one dirty version on the failed one; the others untouched.
    assert.deepEqual(fleet[1].target.table, { version: 2n, dirty: true });
    assert.deepEqual(summary.rows[1].to, { version: 2n, dirty: true });
    for (const { target, opened } of fleet.slice(2)) {
      assert.equal(opened(), 0);
      assert.deepEqual(target.events, []);
    }
  });

  void test('canaries that pass let the rest run', async () => {
    const fleet = fleetOf(4);
    const events: FleetEvent[] = [];
    const summary = await runOver(
      fleet,
      { kind: 'up' },
      { ...OPTIONS, canary: 1, onEvent: (event) => events.push(event) },
    );
    assert.ok(fleetSucceeded(summary.rows));
    const stages = events.flatMap((event) => (event.kind === 'stage' ? [`${event.stage} ${event.databases}`] : []));
    assert.deepEqual(stages, ['canary 1', 'rest 3']);
    // The canary finished before any other database started.
    const order = events.flatMap((event) =>
      event.kind === 'started'
        ? [`start ${event.database}`]
        : event.kind === 'finished'
          ? [`end ${event.row.database}`]
          : [],
    );
    assert.deepEqual(order.slice(0, 2), ['start tenant_0', 'end tenant_0']);
  });

  void test('stop on the first failure: no database starts after it', async () => {
    const fleet = fleetOf(5);
    failingAtTwo(fleet[2].target);
    const summary = await runOver(fleet, { kind: 'up' }, { ...OPTIONS, parallel: 1 });
    assert.equal(summary.stopped, 'failure');
    assert.deepEqual(results(summary.rows), [
      'tenant_0 migrated',
      'tenant_1 migrated',
      'tenant_2 failed',
      'tenant_3 not-started',
      'tenant_4 not-started',
    ]);
    assert.equal(fleet[3].opened(), 0);
    assert.ok(!fleetSucceeded(summary.rows));
  });

  void test('a failure stops the databases running beside it after their current migration, clean', async () => {
    const [first, second] = fleetOf(2);
    failingAtTwo(first.target);
    // The second database is in its first migration when the first fails.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    second.target.onScript = (text) => (text.includes('users') ? held : undefined);
    first.target.onScript = (text) => {
      if (text.includes('email')) setTimeout(release, 5);
    };
    const summary = await runFleet([first.member, second.member], { kind: 'up' }, { ...OPTIONS, parallel: 2 });
    assert.deepEqual(results(summary.rows), ['tenant_0 failed', 'tenant_1 stopped']);
    assert.deepEqual(second.target.table, { version: 1n, dirty: false });
    assert.deepEqual(summary.rows[1].to, { version: 1n, dirty: false });
  });

  void test('with -continue a failure does not stop the others, and each failure is reported', async () => {
    const fleet = fleetOf(5);
    failingAtTwo(fleet[1].target);
    failingAtTwo(fleet[3].target);
    const summary = await runOver(fleet, { kind: 'up' }, { ...OPTIONS, parallel: 2, continueOnFailure: true });
    assert.equal(summary.stopped, undefined);
    assert.deepEqual(results(summary.rows), [
      'tenant_0 migrated',
      'tenant_1 failed',
      'tenant_2 migrated',
      'tenant_3 failed',
      'tenant_4 migrated',
    ]);
    assert.match(summary.rows[1].detail ?? '', /syntax error/);
  });

  void test('Cancel: no further database starts, the running one finishes its current migration', async () => {
    const fleet = fleetOf(4);
    const controller = new AbortController();
    fleet[1].target.onScript = (text) => {
      if (text.includes('users')) controller.abort();
    };
    const summary = await runOver(fleet, { kind: 'up' }, { ...OPTIONS, parallel: 1, signal: controller.signal });
    assert.equal(summary.stopped, 'cancel');
    assert.deepEqual(results(summary.rows), [
      'tenant_0 migrated',
      'tenant_1 stopped',
      'tenant_2 not-started',
      'tenant_3 not-started',
    ]);
    assert.deepEqual(fleet[1].target.table, { version: 1n, dirty: false });
    assert.equal(fleet[2].opened(), 0);
  });

  void test('a cancelled signal starts nothing', async () => {
    const fleet = fleetOf(2);
    const controller = new AbortController();
    controller.abort();
    const summary = await runOver(fleet, { kind: 'up' }, { ...OPTIONS, signal: controller.signal });
    assert.deepEqual(results(summary.rows), ['tenant_0 not-started', 'tenant_1 not-started']);
    assert.equal(fleet[0].opened(), 0);
  });

  void test('dirty, locked and unreachable databases are skipped as they are, and never stop the others', async () => {
    const dirty = new FakeTarget();
    dirty.table = { version: 2n, dirty: true };
    const locked = new FakeTarget();
    locked.table = { version: 1n, dirty: false };
    locked.heldBy = { connectionId: 42, user: 'deploy' };
    const behind = new FakeTarget();
    behind.table = { version: 1n, dirty: false };
    const fleet = [
      fakeMember('a_dirty', THREE, dirty),
      fakeMember('b_locked', THREE, locked),
      fakeMember('c_unreachable', THREE, new FakeTarget(), 'connect ECONNREFUSED 127.0.0.1:3307'),
      fakeMember('d_behind', THREE, behind),
      fakeMember('e_new', THREE),
    ];
    const summary = await runOver(fleet, { kind: 'up' }, { ...OPTIONS, parallel: 1 });
    assert.equal(summary.stopped, undefined);
    assert.deepEqual(results(summary.rows), [
      'a_dirty dirty',
      'b_locked locked',
      'c_unreachable unreachable',
      'd_behind migrated',
      'e_new migrated',
    ]);
    assert.deepEqual(dirty.table, { version: 2n, dirty: true });
    assert.ok(!dirty.events.some((event) => event.startsWith('run') || event.startsWith('set')));
    assert.deepEqual(locked.table, { version: 1n, dirty: false });
    assert.match(summary.rows[1].detail ?? '', /connection 42/);
    assert.match(summary.rows[2].detail ?? '', /ECONNREFUSED/);
    assert.equal(summary.rows[2].from, undefined);
    assert.deepEqual(summary.rows[3].from, { version: 1n, dirty: false });
    assert.deepEqual(behind.table, { version: 3n, dirty: false });
    assert.ok(!fleetSucceeded(summary.rows));
  });

  void test('goto across a fleet takes each database up or down to the version', async () => {
    const above = new FakeTarget();
    above.table = { version: 3n, dirty: false };
    const fleet = [fakeMember('a', THREE, above), fakeMember('b', THREE)];
    const summary = await runOver(fleet, { kind: 'goto', version: 2n }, OPTIONS);
    assert.deepEqual(results(summary.rows), ['a migrated', 'b migrated']);
    assert.deepEqual(above.table, { version: 2n, dirty: false });
    assert.deepEqual(fleet[1].target.table, { version: 2n, dirty: false });
  });

  void test('going down, a policy that would ask backs each database up without asking; never backs up none', async () => {
    const atThree = (database: string) => {
      const target = new FakeTarget();
      target.table = { version: 3n, dirty: false };
      return fakeMember(database, THREE, target);
    };
    const asking = [atThree('tenant_a'), atThree('tenant_b')];
    const summary = await runOver(
      asking,
      { kind: 'goto', version: 1n },
      {
        ...OPTIONS,
        backup: {
          mode: 'ask',
          folder: '/backups',
          ask: () => assert.fail('nobody answers a question per database'),
          goOnAfterFailure: () => assert.fail('a failed backup stops that database'),
        },
      },
    );
    assert.deepEqual(results(summary.rows), ['tenant_a migrated', 'tenant_b migrated']);
    for (const { target } of asking) assert.deepEqual(target.backups, [{ tables: ['orders', 'users'], version: 3n }]);

    const never = [atThree('tenant_c')];
    await runOver(never, { kind: 'goto', version: 1n }, { ...OPTIONS, backup: { mode: 'never', folder: '/backups' } });
    assert.deepEqual(never[0].target.backups, []);
  });
});
