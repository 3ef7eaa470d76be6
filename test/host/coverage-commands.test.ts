import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { ledgerTableName } from '../../src/core/ledger-table';

const DEFAULT_LEDGER_TABLE = ledgerTableName('schema_migrations');
import type { BackupCommandResult } from '../../src/vscode/commands/backup';
import type { CommandResult } from '../../src/vscode/database-run';
import type { DryRunResult } from '../../src/vscode/commands/dryRun';
import { PREVIEW_SCHEME } from '../../src/vscode/recovery-services';
import { openSuiteWorkspace, waitFor, type SuiteWorkspace } from './support';

const LABEL = 'coverage-commands';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n',
  '000001_users.down.sql': 'DROP TABLE users;\n',
  '000002_posts.up.sql': 'CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(50) NOT NULL);\n',
  '000002_posts.down.sql': 'DROP TABLE posts;\n',
  '000003_tags.up.sql': 'CREATE TABLE tags (id INT PRIMARY KEY);\n',
  '000003_tags.down.sql': 'DROP TABLE tags;\n',
};

suite('coverage: Show Output, the dry runs of Down and Goto, Back Up the Database Now', function () {
  let fixture: SuiteWorkspace;
  const run = <T>(command: string, ...args: unknown[]): Promise<T | undefined> => fixture.run<T>(command, ...args);

  async function versionTable(): Promise<[number, number][]> {
    const [rows] = await fixture.db.sql.query('SELECT version, dirty FROM schema_migrations');
    return (rows as { version: number | string; dirty: number }[]).map((row) => [Number(row.version), row.dirty]);
  }

  function backupFolder(): string {
    return path.join(fixture.workspace.uri.fsPath, LABEL, 'backups');
  }

  suiteSetup(async function () {
    fixture = await openSuiteWorkspace({
      label: LABEL,
      database: 'host_cov_commands',
      files: MIGRATIONS,
      prepare: ({ set }) => set('backupPath', `${LABEL}/backups`),
    });
  });

  suiteTeardown(async function () {
    await fixture?.close(['backupPath'], () => vscode.commands.executeCommand('workbench.action.closePanel'));
  });

  test('Show Output opens the panel on the Migration Lens channel', async () => {
    const outputShown = () =>
      vscode.window.visibleTextEditors.some(
        (editor) => editor.document.uri.scheme === 'output' && editor.document.uri.path.includes('Migration Lens'),
      );
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await waitFor('the panel to close', () => Promise.resolve(outputShown() ? undefined : true));
    await run('migrationLens.showOutput');
    await waitFor('the Migration Lens channel in the output panel', () =>
      Promise.resolve(outputShown() ? true : undefined),
    );
  });

  test('Dry Run: Down 1 shows the plan and the down SQL, changes nothing, and Apply rolls back one', async () => {
    assert.equal(
      (await run<CommandResult>('migrationLens.upN', { folder: fixture.workspace.uri, count: 2 }))?.kind,
      'done',
    );
    assert.deepEqual(await versionTable(), [[2, 0]]);
    const dry = await run<DryRunResult>('migrationLens.dryRunDown', { folder: fixture.workspace.uri, apply: false });
    assert.ok(dry?.kind === 'dry-run', JSON.stringify(dry));
    assert.match(dry.text, /-- Roll back 1 migration: version 2 → 1/);
    assert.match(dry.text, /2\/d posts \(000002_posts\.down\.sql\)\nDROP TABLE posts;/);
    assert.doesNotMatch(dry.text, /DROP TABLE users/);
    assert.deepEqual(await versionTable(), [[2, 0]]);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === dry.document);
    assert.equal(document?.uri.scheme, PREVIEW_SCHEME);
    assert.equal(document.getText(), dry.text);

    const applied = await run<DryRunResult>('migrationLens.dryRunDown', {
      folder: fixture.workspace.uri,
      apply: true,
      backup: 'never',
    });
    assert.ok(applied?.kind === 'dry-run');
    assert.equal(applied.applied?.kind, 'done');
    assert.deepEqual(await versionTable(), [[1, 0]]);
  });

  test('Dry Run: Go to Version shows the way to the version given, changes nothing, and Apply goes there', async () => {
    const dry = await run<DryRunResult>('migrationLens.dryRunGoto', {
      folder: fixture.workspace.uri,
      version: 3,
      apply: false,
    });
    assert.ok(dry?.kind === 'dry-run', JSON.stringify(dry));
    assert.match(dry.text, /-- Apply 2 migrations: version 1 → 3/);
    assert.match(dry.text, /2\/u posts \(000002_posts\.up\.sql\)\nCREATE TABLE posts/);
    assert.match(dry.text, /3\/u tags \(000003_tags\.up\.sql\)\nCREATE TABLE tags/);
    assert.deepEqual(await versionTable(), [[1, 0]]);

    const applied = await run<DryRunResult>('migrationLens.dryRunGoto', {
      folder: fixture.workspace.uri,
      version: 3,
      apply: true,
    });
    assert.ok(applied?.kind === 'dry-run');
    assert.equal(applied.applied?.kind, 'done');
    assert.deepEqual(await versionTable(), [[3, 0]]);

    const downward = await run<DryRunResult>('migrationLens.dryRunGoto', {
      folder: fixture.workspace.uri,
      version: 2,
      apply: false,
    });
    assert.ok(downward?.kind === 'dry-run');
    assert.match(downward.text, /-- Roll back 1 migration: version 3 → 2/);
    assert.match(downward.text, /DROP TABLE tags;/);
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });

  test('Back Up the Database Now dumps every table into the backup folder, and the dump restores them', async () => {
    await fixture.db.sql.query(
      "INSERT INTO users VALUES (1, 'Ada'), (2, 'Zoë'); INSERT INTO posts VALUES (7, 'hello')",
    );
    const decision = await run<BackupCommandResult>('migrationLens.backup', { folder: fixture.workspace.uri });
    assert.ok(decision?.kind === 'continue' && decision.backup, JSON.stringify(decision));
    const file = decision.backup.file;
    assert.equal(path.dirname(file), backupFolder());
    assert.match(path.basename(file), new RegExp(`^${fixture.db.name}_v3_\\d{8}T\\d{6}\\.\\d{3}Z\\.sql$`));
    assert.ok(existsSync(file));
    assert.deepEqual(
      [...decision.backup.tables].sort(),
      ['posts', 'schema_migrations', DEFAULT_LEDGER_TABLE, 'tags', 'users'].sort(),
    );
    const dump = readFileSync(file, 'utf8');
    assert.match(dump, /Zoë/);

    const [before] = await fixture.db.sql.query('SELECT * FROM users ORDER BY id');
    await fixture.db.sql.query('DROP TABLE users, posts');
    await fixture.db.sql.query(dump);
    const [after] = await fixture.db.sql.query('SELECT * FROM users ORDER BY id');
    assert.deepEqual(after, before);
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });
});
