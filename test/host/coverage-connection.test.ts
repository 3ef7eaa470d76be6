import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as vscode from 'vscode';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import type { VerifyCommandResult } from '../../src/vscode/commands/verify';
import { openSuiteWorkspace, TEST_SERVER, waitFor, type SuiteWorkspace } from './support';

const LABEL = 'coverage-connection';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY);\n',
  '000001_users.down.sql': 'DROP TABLE users;\n',
  '000002_email.up.sql': 'ALTER TABLE users ADD COLUMN email VARCHAR(100) NULL;\n',
  '000002_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
};

/** A TCP server that accepts connections and never says a word: a MySQL client waits for a greeting forever. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

suite('coverage: scratchDatabaseUrl and connectTimeoutSeconds', function () {
  let fixture: SuiteWorkspace;
  const scratchUser = `ml_scratch_${randomBytes(4).toString('hex')}`;

  const set = (key: string, value: unknown) => fixture.set(key, value);
  const run = <T>(command: string, options: object = {}): Promise<T | undefined> =>
    fixture.run<T>(command, { folder: fixture.workspace.uri, ...options });

  async function leftoverScratchDatabases(): Promise<string[]> {
    const [rows] = await fixture.db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
    return (rows as { name: string }[])
      .map((row) => row.name)
      .filter((name) => name.startsWith(scratchDatabasePrefix(fixture.db.name)));
  }

  /** The tree's Database row: its few words and its tooltip. */
  function databaseRow(): { description: string; tooltip: string } | undefined {
    const node = fixture.container.tree.getChildren().find((candidate) => candidate.kind === 'database');
    if (!node) return undefined;
    const item = fixture.container.tree.getTreeItem(node);
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
    return { description: String(item.description ?? ''), tooltip };
  }

  suiteSetup(async function () {
    fixture = await openSuiteWorkspace({
      label: LABEL,
      database: 'host_cov_connection',
      files: MIGRATIONS,
      prepare: ({ db }) => db.sql.query('CREATE USER ?@? IDENTIFIED BY ?', [scratchUser, '%', '']),
    });
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
  });

  suiteTeardown(async function () {
    await fixture?.close(['scratchDatabaseUrl', 'connectTimeoutSeconds'], () =>
      fixture.db.sql.query('DROP USER IF EXISTS ?@?', [scratchUser, '%']),
    );
  });

  test('scratchDatabaseUrl: Verify creates its scratch database as the user of that URL', async () => {
    await set('scratchDatabaseUrl', `mysql://${scratchUser}@tcp(${TEST_SERVER.host}:${TEST_SERVER.port})/`);
    // Without any privilege the server refuses that user, and says who asked.
    const refused = await run<VerifyCommandResult>('migrationLens.verify');
    assert.ok(
      refused?.kind === 'failed',
      JSON.stringify(refused, (_, value: unknown) => String(value)),
    );
    assert.match(refused.message, new RegExp(`Access denied for user '${scratchUser}'`));

    // Allowed on this suite's scratch databases only: the whole Verify runs there.
    const scratchPattern = `${scratchDatabasePrefix(fixture.db.name).replaceAll('_', '\\_')}%`;
    await fixture.db.sql.query(`GRANT ALL PRIVILEGES ON \`${scratchPattern}\`.* TO ?@?`, [scratchUser, '%']);
    const result = await run<VerifyCommandResult>('migrationLens.verify');
    assert.ok(
      result?.kind === 'done',
      JSON.stringify(result, (_, value: unknown) => String(value)),
    );
    assert.deepEqual(
      result.result.versions.map((entry) => [entry.version, entry.verdict.kind]),
      [
        [1n, 'verified'],
        [2n, 'verified'],
      ],
    );
    assert.ok(result.result.scratchDatabase.startsWith(scratchDatabasePrefix(fixture.db.name)));
    const reportNames = (run: VerifyCommandResult | undefined) =>
      run?.kind === 'done' && run.report.getText().includes(`scratch database \`${run.result.scratchDatabase}\``);
    assert.ok(reportNames(result), 'the report names the scratch database');
    // That account cannot create users but sees no other database: the files run as it.
    assert.equal(result.result.scratchAccount, undefined);
    assert.match(result.report.getText(), /as the account of the scratch server, which cannot see the real database/);
    // The report of the next run is the same document: it is returned once it holds that run's text.
    const again = await run<VerifyCommandResult>('migrationLens.verify');
    assert.ok(again?.kind === 'done' && again.result.scratchDatabase !== result.result.scratchDatabase);
    assert.ok(reportNames(again), 'the report of the second run names its own scratch database');
    assert.deepEqual(await leftoverScratchDatabases(), []);
  });

  test('connectTimeoutSeconds: a server that never answers shows as unreachable after that many seconds', async () => {
    const silent = await silentServer();
    try {
      await set('connectTimeoutSeconds', 1);
      await run('migrationLens.configureDatabase', {
        url: `mysql://root@tcp(127.0.0.1:${silent.port})/silent`,
        password: '',
      });
      // The bound stays under the default 10 s (only the setting's 1 s gets the row there in time) with room for a
      // loaded machine; the reason proves which timeout ran.
      const row = await waitFor(
        'the tree to say the database is unreachable',
        () => Promise.resolve(databaseRow()?.description === 'unreachable' ? databaseRow() : undefined),
        9_000,
      );
      assert.match(row.tooltip, /no answer within 1000 ms/);
      assert.match(fixture.container.statusBar.view.text, /no database/);
      assert.match(fixture.container.statusBar.view.tooltip, /no answer within 1000 ms/);
    } finally {
      await run('migrationLens.configureDatabase', { url: fixture.db.url, password: '' });
      await silent.close();
    }
  });
});
