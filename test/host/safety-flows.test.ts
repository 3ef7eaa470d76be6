import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import * as vscode from 'vscode';
import { advisoryLockName } from '../../src/core/lock';
import type { CommandResult } from '../../src/vscode/database-run';
import type { DryRunResult } from '../../src/vscode/commands/dryRun';
import type { RecoveryResult } from '../../src/vscode/recovery-dirty';
import { PREVIEW_SCHEME } from '../../src/vscode/recovery-services';
import {
  closingQuickInput,
  openSuiteWorkspace,
  screenshot,
  TEST_SERVER,
  versionRow,
  waitFor,
  type SuiteWorkspace,
} from './support';
import { gitIn } from '../unit/git-repository';

const MIGRATIONS: Readonly<Record<string, string>> = {
  '000001_users.up.sql': 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n',
  '000001_users.down.sql': 'DROP TABLE users;\n',
  '000002_email.up.sql':
    '-- the email column and its index\nALTER TABLE users ADD COLUMN email VARCHAR(100) NULL;\nCREATE INDEX users_email ON users (emial);\n',
  '000002_email.down.sql': 'ALTER TABLE users DROP COLUMN email;\n',
  '000003_orders.up.sql': 'CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));\n',
  '000003_orders.down.sql': 'DROP TABLE orders;\n',
};

/** Polls a synchronous check of editor state. */
function until<T>(what: string, check: () => T | undefined): Promise<T> {
  return waitFor(what, () => Promise.resolve(check()));
}

suite('safety: recovery, backups, dry runs, drift and the lock holder in the editor', function () {
  let fixture: SuiteWorkspace;

  const run = <T>(command: string, ...args: unknown[]): Promise<T | undefined> =>
    fixture.run<T>(`migrationLens.${command}`, ...args);
  const git = gitIn(() => fixture.suiteFolder);

  async function versionTable(): Promise<[number, number][]> {
    const [rows] = await fixture.db.sql.query('SELECT version, dirty FROM schema_migrations');
    return (rows as { version: number | string; dirty: number }[]).map((row) => [Number(row.version), row.dirty]);
  }

  /** Writes a migration as an editor would, through its document, then saves it: the model sees the text at once. */
  async function writeMigration(fileName: string, text: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(fixture.migrations, fileName)));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
  }

  /** Shows a version's row in the view (so a screenshot has the tree as it is now). */
  async function revealVersion(version: bigint): Promise<void> {
    const node = fixture.container.tree
      .getChildren()
      .find((candidate) => candidate.kind === 'version' && candidate.status.version === version);
    assert.ok(node, `no node for version ${version}`);
    await fixture.container.treeView.reveal(node, { select: true, focus: false, expand: false });
  }

  function diagnosticsOf(fileName: string): vscode.Diagnostic[] {
    return vscode.languages.getDiagnostics(vscode.Uri.file(path.join(fixture.migrations, fileName)));
  }

  async function untilRow(version: bigint, words: string): Promise<{ description: string; tooltip: string }> {
    return waitFor(`version ${version} to say "${words}"`, async () => {
      await fixture.model.ready;
      const row = versionRow(fixture.container, version);
      return row?.description.includes(words) ? row : undefined;
    });
  }

  /** This suite's backups: other suites' downs back up into the same workspace folder, each its own database. */
  function backups(): string[] {
    const folder = path.join(fixture.workspace.uri.fsPath, '.migration-lens', 'backups');
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.startsWith(`${fixture.db.name}_`))
      .map((name) => path.join(folder, name));
  }

  suiteSetup(async function () {
    fixture = await openSuiteWorkspace({
      label: 'safety-suite',
      database: 'host_safety',
      files: MIGRATIONS,
      prepare: ({ suiteFolder }) => {
        const gitInSuite = gitIn(() => suiteFolder);
        gitInSuite('init', '-q');
        gitInSuite('add', '-A');
        gitInSuite('commit', '-q', '-m', 'add the migrations');
      },
    });
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
  });

  suiteTeardown(async function () {
    await fixture?.close(['lockTimeoutSeconds'], () => {
      for (const file of backups()) rmSync(file);
    });
  });

  test('a migration failing at its second statement: where, and exactly force 2 or force 1, each ending clean', async () => {
    const failed = await run<CommandResult>('up', { folder: fixture.workspace.uri });
    assert.equal(failed?.kind, 'failed');
    assert.deepEqual(await versionTable(), [[2, 1]]);

    const row = await untilRow(2n, 'failed at line 3');
    assert.match(row.tooltip, /statement 2, line 3 of 000002_email\.up\.sql: Error 1072/);
    await until('the status bar to lead to recovery', () =>
      fixture.container.statusBar.view.command === 'migrationLens.recover' && fixture.container.statusBar.view.warning
        ? true
        : undefined,
    );
    const failure = await until('a diagnostic on the failing line', () =>
      diagnosticsOf('000002_email.up.sql').find((diagnostic) => diagnostic.code === 'failed-run'),
    );
    assert.equal(failure.range.start.line, 2);
    assert.equal(failure.severity, vscode.DiagnosticSeverity.Error);
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(fixture.migrations, '000002_email.up.sql')));
    await revealVersion(2n);
    await screenshot('safety-dirty');

    const offered = await closingQuickInput(run<RecoveryResult>('recover', { folder: fixture.workspace.uri }));
    assert.ok(offered?.kind === 'offered');
    assert.deepEqual(
      offered.choices.filter((choice) => choice.forceVersion !== undefined),
      [
        { id: 'completed', forceVersion: '2' },
        { id: 'undone', forceVersion: '1' },
      ],
    );
    assert.deepEqual(
      offered.choices.map((choice) => choice.id),
      ['completed', 'undone', 'open-down', 'open-failure'],
    );
    const opened = await run<RecoveryResult>('recover', { folder: fixture.workspace.uri, choice: 'open-failure' });
    assert.deepEqual(opened, {
      kind: 'opened',
      uri: vscode.Uri.file(path.join(fixture.migrations, '000002_email.up.sql')).toString(),
      line: 3,
    });

    // Completed by hand, then marked completed: clean at 2, and the next up runs 3.
    await fixture.db.sql.query('CREATE INDEX users_email ON users (email)');
    const completed = await run<RecoveryResult>('recover', {
      folder: fixture.workspace.uri,
      choice: 'completed',
      confirm: false,
    });
    assert.equal(completed?.kind, 'done');
    assert.deepEqual(await versionTable(), [[2, 0]]);
    assert.equal((await run<CommandResult>('up', { folder: fixture.workspace.uri }))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[3, 0]]);

    // Back to 1, fail again, undo by hand, then marked undone: clean at 1, which goto accepts as no change.
    await run('goto', { folder: fixture.workspace.uri, version: 1, confirm: false, backup: 'never' });
    assert.deepEqual(await versionTable(), [[1, 0]]);
    assert.equal((await run<CommandResult>('up', { folder: fixture.workspace.uri }))?.kind, 'failed');
    await fixture.db.sql.query('ALTER TABLE users DROP COLUMN email');
    const undone = await run<RecoveryResult>('recover', {
      folder: fixture.workspace.uri,
      choice: 'undone',
      confirm: false,
    });
    assert.equal(undone?.kind, 'done');
    assert.deepEqual(await versionTable(), [[1, 0]]);
    const accepted = await run<CommandResult>('goto', { folder: fixture.workspace.uri, version: 1 });
    assert.ok(accepted?.kind === 'done');
    assert.equal(accepted.result.outcome.kind, 'no-change');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('dry run shows each step and its SQL read-only and changes nothing; Apply runs it', async () => {
    await writeMigration('000002_email.up.sql', MIGRATIONS['000002_email.up.sql'].replace('(emial)', '(email)'));
    await until('the fixed file', () =>
      fixture.model.contents.get('000002_email.up.sql')?.includes('(email)') ? true : undefined,
    );
    const before = await versionTable();
    const dry = await run<DryRunResult>('dryRunUp', { folder: fixture.workspace.uri, apply: false });
    assert.ok(dry?.kind === 'dry-run');
    assert.match(dry.text, /-- Apply 2 migrations: version 1 → 3/);
    assert.match(
      dry.text,
      /-- Step 1 of 2: version 2 up, leaving the database at version 2: 2\/u email \(000002_email\.up\.sql\)\n-- the email column/,
    );
    assert.match(dry.text, /CREATE TABLE orders/);
    assert.deepEqual(await versionTable(), before);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === dry.document);
    assert.equal(document?.uri.scheme, PREVIEW_SCHEME);
    assert.equal(document.getText(), dry.text);
    assert.equal(vscode.workspace.fs.isWritableFileSystem(PREVIEW_SCHEME), undefined, 'not a file system: no save');

    const applied = await run<DryRunResult>('dryRunUp', { folder: fixture.workspace.uri, apply: true });
    assert.ok(applied?.kind === 'dry-run');
    assert.equal(applied.applied?.kind, 'done');
    assert.deepEqual(await versionTable(), [[3, 0]]);
  });

  test('an edited applied file shows drift, a reformatted one only the information', async () => {
    await writeMigration('000003_orders.up.sql', MIGRATIONS['000003_orders.up.sql'].replace('10,2', '12,2'));
    await writeMigration(
      '000002_email.up.sql',
      '-- the email column\n-- and its index\nALTER TABLE users\n  ADD COLUMN email VARCHAR(100) NULL;\n\nCREATE INDEX users_email ON users (email);\n',
    );
    const edited = await untilRow(3n, 'edited after it was applied');
    assert.match(edited.tooltip, /000003_orders\.up\.sql was edited after it was applied/);
    await untilRow(2n, 'reformatted after it was applied');
    const warning = await until('the drift warning', () =>
      diagnosticsOf('000003_orders.up.sql').find((diagnostic) => diagnostic.code === 'drift-edited'),
    );
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    const information = await until('the reformat information', () =>
      diagnosticsOf('000002_email.up.sql').find((diagnostic) => diagnostic.code === 'drift-reformatted'),
    );
    assert.equal(information.severity, vscode.DiagnosticSeverity.Information);
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(fixture.migrations, '000003_orders.up.sql')));
    await revealVersion(3n);
    await screenshot('safety-drift');
    await writeMigration('000003_orders.up.sql', MIGRATIONS['000003_orders.up.sql']);

    // Version 1 as if another tool had applied it: the ledger has no row for it.
    await fixture.db.sql.query('DELETE FROM schema_migrations_lens WHERE version = 1');
    await run('goto', { folder: fixture.workspace.uri, version: 2, confirm: false, backup: 'never' });
    const outside = await untilRow(1n, 'applied outside Migration Lens');
    assert.doesNotMatch(outside.description, /edited|reformatted/);
    const hint = await until('the applied-outside hint', () =>
      diagnosticsOf('000001_users.up.sql').find((diagnostic) => diagnostic.code === 'drift-outside'),
    );
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
  });

  test('a down that drops a column with data is backed up first, and the backup restores the data', async () => {
    await fixture.db.sql.query("INSERT INTO users VALUES (1, 'Ada', 'ada@example.com'), (2, 'Zoë', NULL)");
    const [before] = await fixture.db.sql.query('SELECT * FROM users ORDER BY id');
    assert.equal(
      (await run<CommandResult>('goto', { folder: fixture.workspace.uri, version: 1, confirm: false }))?.kind,
      'done',
    );
    const [columns] = await fixture.db.sql.query("SHOW COLUMNS FROM users LIKE 'email'");
    assert.deepEqual(columns, []);
    const written = backups();
    assert.equal(written.length, 1, 'one backup, written before the down');
    assert.match(path.basename(written[0]), new RegExp(`^${fixture.db.name}_v2_\\d{8}T\\d{6}\\.\\d{3}Z\\.sql$`));
    const dump = readFileSync(written[0], 'utf8');
    assert.match(dump, /ada@example\.com/);
    assert.doesNotMatch(dump, /CREATE TABLE `orders`/, 'only the tables the down files touch');

    await fixture.db.sql.query(dump);
    const [after] = await fixture.db.sql.query('SELECT * FROM users ORDER BY id');
    assert.deepEqual(after, before);
    await fixture.db.sql.query('ALTER TABLE users DROP COLUMN email');

    await run('up', { folder: fixture.workspace.uri });
    await run('goto', { folder: fixture.workspace.uri, version: 1, confirm: false, backup: 'never' });
    assert.equal(backups().length, 1, 'backup "never" writes nothing');
  });

  test('a database version whose file was deleted: the file from git history, or force to the one below', async () => {
    assert.equal((await run<CommandResult>('up', { folder: fixture.workspace.uri }))?.kind, 'done');
    assert.deepEqual(await versionTable(), [[3, 0]]);
    await vscode.workspace.fs.delete(vscode.Uri.file(path.join(fixture.migrations, '000003_orders.up.sql')));
    await vscode.workspace.fs.delete(vscode.Uri.file(path.join(fixture.migrations, '000003_orders.down.sql')));
    git('add', '-A');
    git('commit', '-q', '-m', 'remove orders');
    // The folder watcher may report a deletion late on this host: Refresh re-reads the folder, as a user would.
    await run('refresh', { folder: fixture.workspace.uri });
    await untilRow(3n, 'missing on disk');
    await until('the status bar to say the file is missing', () =>
      fixture.container.statusBar.view.text.includes('no file') &&
      fixture.container.statusBar.view.command === 'migrationLens.recover'
        ? true
        : undefined,
    );

    const offered = await closingQuickInput(run<RecoveryResult>('recover', { folder: fixture.workspace.uri }));
    assert.ok(offered?.kind === 'offered');
    assert.deepEqual(offered.choices, [{ id: 'show-history' }, { id: 'force-below', forceVersion: '2' }]);
    const shown = await run<RecoveryResult>('recover', { folder: fixture.workspace.uri, choice: 'show-history' });
    assert.ok(shown?.kind === 'opened');
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === shown.uri);
    assert.equal(document?.getText(), MIGRATIONS['000003_orders.up.sql']);
    const forced = await run<RecoveryResult>('recover', {
      folder: fixture.workspace.uri,
      choice: 'force-below',
      confirm: false,
    });
    assert.equal(forced?.kind, 'done');
    assert.deepEqual(await versionTable(), [[2, 0]]);
  });

  test('a held lock names its holder', async () => {
    const settings = vscode.workspace.getConfiguration('migrationLens', fixture.workspace);
    await settings.update('lockTimeoutSeconds', 2, vscode.ConfigurationTarget.WorkspaceFolder);
    const holder = await mysql.createConnection({ ...TEST_SERVER, database: fixture.db.name });
    try {
      await holder.query('SELECT GET_LOCK(?, 0)', [advisoryLockName(fixture.db.name, 'schema_migrations')]);
      const result = await run<CommandResult>('down', {
        folder: fixture.workspace.uri,
        confirm: false,
        backup: 'never',
      });
      assert.ok(result?.kind === 'failed');
      assert.match(result.message, new RegExp(`can't acquire lock \\d+ on database ${fixture.db.name} after 2 s`));
      assert.match(result.message, new RegExp(`held by connection ${holder.threadId} \\(user ${TEST_SERVER.user}`));
      assert.deepEqual(await versionTable(), [[2, 0]]);
    } finally {
      await holder.end();
    }
  });
});
