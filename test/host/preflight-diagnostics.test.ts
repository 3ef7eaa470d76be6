import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../src/vscode/container';
import { openSuiteWorkspace, screenshot, type SuiteWorkspace, versionRow, waitFor, type TestDatabase } from './support';

const FILES = {
  '000001_create_users.up.sql':
    'CREATE TABLE users (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NULL, age INT NULL);\n',
  '000001_create_users.down.sql': 'DROP TABLE users;\n',
  '000002_unique_email.up.sql': '-- one account per email\nALTER TABLE users ADD UNIQUE INDEX u_email (email);\n',
  '000002_unique_email.down.sql': 'ALTER TABLE users DROP INDEX u_email;\n',
  '000003_widen_age.up.sql': 'ALTER TABLE users MODIFY age BIGINT NULL;\n',
  '000003_widen_age.down.sql': 'ALTER TABLE users MODIFY age INT NULL;\n',
};

suite('preflight: what the pending migrations will do to this database, on their lines and in the tree', function () {
  let suiteWorkspace: SuiteWorkspace;
  let container: Container;
  let db: TestDatabase;
  let migrations: string;

  const uri = (fileName: string) => vscode.Uri.file(path.join(migrations, fileName));

  /** Preflight's diagnostics on a file: `code:severity@line` (0-based line). */
  function preflightOn(fileName: string): string[] {
    return vscode.languages
      .getDiagnostics(uri(fileName))
      .filter((diagnostic) => String(diagnostic.code as string).startsWith('preflight-'))
      .map(
        (diagnostic) =>
          `${String(diagnostic.code as string)}:${vscode.DiagnosticSeverity[diagnostic.severity]}@${diagnostic.range.start.line}`,
      );
  }

  async function waitForPreflight(fileName: string, expected: string[]): Promise<void> {
    await waitFor(
      `preflight on ${fileName}: ${expected.join(', ')} (now ${preflightOn(fileName).join(', ')})`,
      () => Promise.resolve(JSON.stringify(preflightOn(fileName)) === JSON.stringify(expected) ? true : undefined),
      60_000,
    );
  }

  function row(version: bigint): { description: string; tooltip: string } {
    const found = versionRow(container, version);
    assert.ok(found, `no tree node for version ${version}`);
    return found;
  }

  suiteSetup(async function () {
    this.timeout(120_000);
    suiteWorkspace = await openSuiteWorkspace({
      label: 'preflight-suite',
      database: 'host_preflight',
      files: FILES,
      prepare: ({ db: created }) =>
        created.sql.query(
          'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);' +
            'INSERT INTO schema_migrations VALUES (1, 0);' +
            FILES['000001_create_users.up.sql'] +
            "INSERT INTO users VALUES (1, 'a@example.com', 30), (2, 'a@example.com', 40), (3, NULL, 50);" +
            'ANALYZE TABLE users',
        ),
    });
    ({ container, db, migrations } = suiteWorkspace);
    await suiteWorkspace.set('preflight.diagnostics', true);
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    rmSync(path.join(suiteWorkspace.workspace.uri.fsPath, 'migration-lens.json'), { force: true });
    await suiteWorkspace?.close(['preflight.diagnostics']);
  });

  test('each pending statement gets its finding on its line: rows that make it fail, a table it copies', async function () {
    this.timeout(90_000);
    await waitForPreflight('000002_unique_email.up.sql', [
      'preflight-execution:Information@1',
      'preflight-duplicates-under-unique:Error@1',
    ]);
    await waitForPreflight('000003_widen_age.up.sql', ['preflight-copies-table:Warning@0']);
    const [copies] = vscode.languages.getDiagnostics(uri('000003_widen_age.up.sql'));
    assert.match(copies.message, /^Preflight: Copies the table and blocks writes: users, about 3 rows, \d+ KB\./);
    assert.match(
      copies.message,
      /\npt-online-schema-change --ask-pass --alter 'MODIFY age BIGINT NULL' h=127\.0\.0\.1,P=3306,u=root,D=ml_host_preflight_\w+,t=users --dry-run$/,
    );
    assert.deepEqual(preflightOn('000001_create_users.up.sql'), [], 'an applied version is not looked at');
    assert.deepEqual(await db.versionRows(), [['1', 0]]);
  });

  test('the tree marks the pending versions with a finding, the reason in the tooltip', async () => {
    await waitFor('the tree marks', () => Promise.resolve(row(2n).description.startsWith('✗') ? true : undefined));
    assert.match(row(2n).description, /^✗ preflight: fails · pending/);
    assert.match(
      row(2n).tooltip,
      /\*\*Preflight:\*\*\n\n- line 2: 1 value occurs more than once under UNIQUE \\\(email\\\)/,
    );
    assert.match(row(3n).description, /^⚠ preflight · pending/);
    assert.doesNotMatch(row(1n).description, /preflight/);
    await vscode.window.showTextDocument(uri('000003_widen_age.up.sql'));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('preflight-diagnostics');
  });

  test('an edited down file is not looked at again: only the up files that run or rebuild the schema are', async function () {
    this.timeout(60_000);
    const model = container.model.folderFor(suiteWorkspace.workspace.uri)!;
    await container.preflight.settled();
    const connectionsBefore = container.connectionCount;
    const document = await vscode.workspace.openTextDocument(uri('000003_widen_age.down.sql'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '-- back to INT\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    await waitFor('the model to read the edited down file', () =>
      Promise.resolve(model.contents.get('000003_widen_age.down.sql')?.startsWith('-- back') ? true : undefined),
    );
    await container.preflight.settled();
    assert.equal(container.connectionCount, connectionsBefore, 'no new look at the database');
    assert.deepEqual(preflightOn('000003_widen_age.up.sql'), ['preflight-copies-table:Warning@0']);
  });

  test("Up asks first when Preflight finds what would fail, and the dry run's document shows the findings", async function () {
    this.timeout(90_000);
    const folder = { folder: suiteWorkspace.workspace.uri };
    // This VS Code refuses to show a modal dialog in tests and names it instead: the question is asked, nothing runs.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('migrationLens.up', folder)),
      /Apply 2 migrations: version 1 → 3: Preflight found what would stop it or block the database/,
    );
    assert.deepEqual(await db.versionRows(), [['1', 0]], 'nothing ran');
    // What the question says is in the output too.
    const log = readFileSync(path.join(container.context.logUri.fsPath, 'Migration Lens.log'), 'utf8');
    assert.match(
      log,
      /Preflight: 1 statement will fail on this database, and 1 will block writes or lose data\. 000002_unique_email\.up\.sql line 2: 1 value occurs more than once under UNIQUE \(email\)/,
    );
    assert.match(log, /000003_widen_age\.up\.sql line 1: Copies the table and blocks writes/);
    const dryRun = await vscode.commands.executeCommand<{ kind: string; text: string }>('migrationLens.dryRunUp', {
      ...folder,
      apply: false,
    });
    assert.match(dryRun.text, /-- Preflight, line 2, error preflight-duplicates-under-unique: .*more than once/);
  });

  test('the quick fix adds ALGORITHM=INPLACE, LOCK=NONE; the edited file is looked at again', async function () {
    this.timeout(90_000);
    const file = uri('000003_widen_age.up.sql');
    const [diagnostic] = vscode.languages.getDiagnostics(file);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      file,
      diagnostic.range,
    );
    const fix = actions.find((action) => action.title.startsWith('Add ALGORITHM=INPLACE, LOCK=NONE'));
    assert.ok(fix?.edit, actions.map((action) => action.title).join(', '));
    assert.ok(actions.some((action) => action.title === 'Ignore preflight-copies-table in this file'));
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    const document = await vscode.workspace.openTextDocument(file);
    assert.equal(document.getText(), 'ALTER TABLE users MODIFY age BIGINT NULL, ALGORITHM=INPLACE, LOCK=NONE;\n');
    await document.save();
    // The server refuses rather than copies: what the fix is for, and what preflight now says.
    await waitForPreflight('000003_widen_age.up.sql', [
      'preflight-refused-as-written:Error@0',
      'preflight-copies-table:Warning@0',
    ]);
  });

  test("migration-lens.json at the folder's root sets a rule's severity; a new version clears the applied file's", async function () {
    this.timeout(90_000);
    writeFileSync(
      path.join(suiteWorkspace.workspace.uri.fsPath, 'migration-lens.json'),
      JSON.stringify({ rules: { 'preflight-refused-as-written': 'warning', 'preflight-execution': 'off' } }),
    );
    await db.sql.query('DELETE FROM users WHERE id = 2; UPDATE schema_migrations SET version = 2');
    await vscode.commands.executeCommand('migrationLens.refresh');
    await waitForPreflight('000002_unique_email.up.sql', []);
    await waitForPreflight('000003_widen_age.up.sql', [
      'preflight-refused-as-written:Warning@0',
      'preflight-copies-table:Warning@0',
    ]);
    assert.doesNotMatch(row(2n).description, /preflight/);
  });
});
