import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyReportLines } from '../../src/core/verify-report';
import { scratchAccountName, scratchDatabaseName, scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import { reportFails, verdictLocations, type VerifyReport } from '../../src/core/verify-verdict';

const report: VerifyReport = {
  cancelled: false,
  stopped: { reason: "version 12's up fails and later versions depend on it", broken: true },
  versions: [
    {
      version: 1n,
      identifier: 'create_users',
      upFile: '1_create_users.up.sql',
      downFile: '1_create_users.down.sql',
      verdict: { kind: 'verified' },
    },
    {
      version: 9n,
      identifier: 'add_email',
      upFile: '9_add_email.up.sql',
      downFile: '9_add_email.down.sql',
      verdict: {
        kind: 'down-differs',
        differences: [
          { object: 'column users.email', change: 'extra', details: [], words: 'column users.email still exists' },
          {
            object: 'index idx_orders_user',
            change: 'missing',
            details: [],
            words: 'index idx_orders_user missing from orders',
          },
        ],
      },
    },
    {
      version: 12n,
      identifier: 'add_role',
      upFile: '12_add_role.up.sql',
      verdict: {
        kind: 'up-failed',
        failure: {
          version: 12n,
          direction: 'up',
          targetVersion: 12n,
          statementIndex: 2,
          line: 4,
          serverCode: 1072,
          serverMessage: "Key column 'rol' doesn't exist in table",
        },
      },
    },
    {
      version: 13n,
      identifier: 'later',
      verdict: { kind: 'not-verified', reason: "version 12's up fails and later versions depend on it" },
    },
  ],
};

void test('the text report: a mark per version, differences listed, failures pointing at file and line', () => {
  assert.deepEqual(
    verifyReportLines(report, (name) => `migrations/${name}`),
    [
      'ok    1 create_users: verified: the down undoes the up, and the up runs again after it',
      'FAIL  9 add_email: the down leaves 2 differences',
      '        - column users.email still exists',
      '        - index idx_orders_user missing from orders',
      "FAIL 12 add_role: the up fails: statement 2, line 4: Error 1072: Key column 'rol' doesn't exist in table",
      '        at migrations/12_add_role.up.sql:4',
      "skip 13 later: not verified: version 12's up fails and later versions depend on it",
      '',
      "4 versions: 1 verified, 2 broken, 1 not verified. Stopped: version 12's up fails and later versions depend on it.",
    ],
  );
  assert.equal(reportFails(report), true);
});

void test('diagnostics: a failure at its line, differences on the down file, nothing for verified', () => {
  assert.deepEqual(
    report.versions.map((entry) =>
      verdictLocations(entry).map((location) => [location.fileName, location.line, location.severity]),
    ),
    [[], [['9_add_email.down.sql', 1, 'error']], [['12_add_role.up.sql', 4, 'error']], []],
  );
});

void test('an unverifiable version alone does not fail the run', () => {
  const unverifiable: VerifyReport = {
    cancelled: false,
    versions: [
      {
        version: 2n,
        identifier: 'bio',
        verdict: {
          kind: 'unverifiable',
          references: [
            { schema: 'fitness', text: 'fitness.users', line: 1, direction: 'up', fileName: '2_bio.up.sql' },
          ],
        },
      },
    ],
  };
  assert.equal(reportFails(unverifiable), false);
});

void test('scratch database names: recognisable prefix, the real name made safe, never longer than 64', () => {
  assert.equal(scratchDatabaseName('fitness', 'a1b2c3d4'), 'ml_verify_fitness_a1b2c3d4');
  assert.equal(scratchDatabaseName('my-app.prod', 'a1b2c3d4'), 'ml_verify_my_app_prod_a1b2c3d4');
  const long = scratchDatabaseName('x'.repeat(80), 'a1b2c3d4');
  assert.equal(long.length, 64);
  assert.ok(long.startsWith(scratchDatabasePrefix('x'.repeat(80))));
});

void test("the temporary account's name: the scratch database's random part, within MySQL's 32 characters", () => {
  assert.equal(scratchAccountName('ml_verify_fitness_a1b2c3d4'), 'ml_verify_a1b2c3d4');
  assert.equal(scratchAccountName(scratchDatabaseName('x'.repeat(80), 'a1b2c3d4')), 'ml_verify_a1b2c3d4');
});
