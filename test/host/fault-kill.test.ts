import * as assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2';
import { openSuiteWorkspace, waitFor, type SuiteWorkspace } from './support';

const SLOW = 'SELECT SLEEP(60)';

suite('fault: the connection killed while the editor runs a migration', function () {
  let suite: SuiteWorkspace;

  suiteSetup(async function () {
    this.timeout(60_000);
    suite = await openSuiteWorkspace({
      label: 'fault-kill',
      database: 'fault_kill',
      files: {
        '1_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY);\n',
        '1_users.down.sql': 'DROP TABLE users;\n',
        '2_slow.up.sql': `${SLOW};\n`,
        '2_slow.down.sql': 'SELECT 1;\n',
      },
    });
  });

  suiteTeardown(async () => {
    await suite?.close();
  });

  test('KILL from an admin session: the table holds (2, dirty), the lock is free, the tree and status bar say dirty', async function () {
    this.timeout(90_000);
    const up = suite.run('migrationLens.up', { folder: suite.workspace.uri });
    const running = await waitFor(
      'the slow migration to run',
      async () => {
        const [rows] = await suite.db.sql.query<RowDataPacket[]>(
          'SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE ?',
          [`${SLOW}%`],
        );
        return rows[0]?.id as number | undefined;
      },
      30_000,
    );
    await suite.db.sql.query(`KILL ${Number(running)}`);
    // The command reports the failure in a notification and ends; its promise does not carry it.
    await up;

    const [rows] = await suite.db.sql.query<RowDataPacket[]>('SELECT version, dirty FROM schema_migrations');
    assert.deepEqual(
      rows.map((row) => [Number(row.version), Boolean(row.dirty)]),
      [[2, true]],
    );
    await suite.db.waitForFreeLock();

    const { container, model } = suite;
    await waitFor('the status bar to show version 2 dirty', () =>
      Promise.resolve(
        container.statusBar.view.warning && /\bv2 dirty\b/.test(container.statusBar.view.text) ? true : undefined,
      ),
    );
    const version = container.tree
      .getChildren()
      .find((node) => node.kind === 'version' && model === node.model && node.status.version === 2n);
    assert.ok(version, 'the tree has a row for version 2');
    assert.match(String(container.tree.getTreeItem(version).description), /\bdirty\b/);
  });
});
