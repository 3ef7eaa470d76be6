import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MigrationFailure } from '../../src/core/errors';
import type { Direction } from '../../src/core/model';
import { parseCreateTable } from '../../src/core/verify-create-table';
import {
  type MigrationText,
  type ScratchDatabase,
  type VerifyMigration,
  verifyMigrations,
  type VerifyOptions,
} from '../../src/core/verify-run';
import { EMPTY_SNAPSHOT, type SchemaSnapshot } from '../../src/core/verify-snapshot';
import { describeVerdict, reportFails, type VerifyReport } from '../../src/core/verify-verdict';

/**
 * A scratch database of our own that understands one command per line: `create t`, `drop t`, and `reach`, which the
 * server refuses for want of a privilege as it refuses a file reaching outside the scratch database; `reach again`
 * is refused only from the second run of that file on (a guard that acts differently once the up ran).
 */
class FakeScratch implements ScratchDatabase {
  private tables = new Set<string>();
  private readonly runs = new Map<string, number>();

  snapshot(): Promise<SchemaSnapshot> {
    const tables = new Map(
      [...this.tables].map((name) => [name, parseCreateTable(`CREATE TABLE \`${name}\` (\n  \`id\` int(11)\n)`)]),
    );
    return Promise.resolve({ ...EMPTY_SNAPSHOT, tables });
  }

  run(version: bigint, direction: Direction, file: MigrationText): Promise<MigrationFailure | undefined> {
    const run = (this.runs.get(file.fileName) ?? 0) + 1;
    this.runs.set(file.fileName, run);
    for (const [index, line] of file.sql.split('\n').entries()) {
      const [command, argument] = line.split(' ');
      if (command === 'create') this.tables.add(argument);
      if (command === 'drop') this.tables.delete(argument);
      if (command === 'reach' && (argument !== 'again' || run > 1)) {
        return Promise.resolve({
          version,
          direction,
          fileName: file.fileName,
          targetVersion: version,
          statementIndex: index + 1,
          line: index + 1,
          serverCode: 1142,
          serverMessage: "DELETE command denied to user 'ml_verify_0a1b2c3d'@'localhost' for table `shop`.`orders`",
        });
      }
    }
    return Promise.resolve(undefined);
  }

  reset(): Promise<void> {
    this.tables = new Set();
    return Promise.resolve();
  }
}

/** Verifies versions 1, 2, ... made of these up and down texts on a fresh fake scratch database. */
function verifyPairs(
  pairs: readonly (readonly [string, string])[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const migrations = pairs.map(([up, down], index): VerifyMigration => {
    const version = BigInt(index + 1);
    return {
      version,
      identifier: `v${version}`,
      up: { fileName: `${version}_v${version}.up.sql`, sql: up },
      down: { fileName: `${version}_v${version}.down.sql`, sql: down },
    };
  });
  return verifyMigrations(migrations, new FakeScratch(), options);
}

void test('an up refused by the privileges stops the run without failing it: later versions depend on it', async () => {
  const report = await verifyPairs([
    ['create a', 'drop a'],
    ['create b\nreach', 'drop b'],
    ['create c', 'drop c'],
  ]);
  assert.deepEqual(
    report.versions.map((entry) => [entry.version, describeVerdict(entry.verdict)]),
    [
      [1n, 'verified: the down undoes the up, and the up runs again after it'],
      [
        2n,
        "reaches outside the scratch database: 2_v2.up.sql, statement 2, line 2: Error 1142: DELETE command denied to user 'ml_verify_0a1b2c3d'@'localhost' for table `shop`.`orders`",
      ],
      [3n, "not verified: version 2's up reaches outside the scratch database and later versions depend on it"],
    ],
  );
  assert.deepEqual(report.stopped, {
    reason: "version 2's up reaches outside the scratch database and later versions depend on it",
    broken: false,
  });
  assert.equal(reportFails(report), false);
});

void test('a down, or an up run again, refused by the privileges is reported on its file, and the run goes on', async () => {
  const report = await verifyPairs([
    ['create a', 'drop a\nreach'],
    ['create b\nreach again', 'drop b'],
    ['create c', 'drop c'],
  ]);
  assert.deepEqual(
    report.versions.map((entry) => [entry.version, entry.verdict.kind, describeVerdict(entry.verdict).split(',')[0]]),
    [
      [1n, 'reaches-outside', 'reaches outside the scratch database: 1_v1.down.sql'],
      [2n, 'reaches-outside', 'reaches outside the scratch database: 2_v2.up.sql (run again after the down)'],
      [3n, 'verified', 'verified: the down undoes the up'],
    ],
  );
  assert.equal(report.stopped, undefined);
});

void test('an earlier up refused by the privileges while reaching --from stops the run, not as a failure', async () => {
  const report = await verifyPairs(
    [
      ['create a\nreach', 'drop a'],
      ['create b', 'drop b'],
    ],
    { from: 2n },
  );
  assert.deepEqual(report.stopped, {
    reason:
      "version 1's up, needed to reach version 2, reaches outside the scratch database: statement 2, line 2: Error 1142: DELETE command denied to user 'ml_verify_0a1b2c3d'@'localhost' for table `shop`.`orders`",
    broken: false,
  });
  assert.deepEqual(
    report.versions.map((entry) => entry.verdict.kind),
    ['not-verified'],
  );
});
