import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../src/vscode/container';
import type { VerifyCommandResult } from '../../src/vscode/commands/verify';
import { VERIFY_REPORT_SCHEME } from '../../src/vscode/verify-report-document';
import { scratchDatabasePrefix } from '../../src/core/verify-scratch-name';
import {
  EXTENSION_ID,
  openSuiteWorkspace,
  screenshot,
  type SuiteWorkspace,
  waitFor,
  type TestDatabase,
  versionRow,
} from './support';
import { FIXTURE_VERDICTS } from '../db/verify-fixture';

suite('verify: every down undoes its up, proven on a scratch database from the editor', function () {
  let suiteWorkspace: SuiteWorkspace;
  let container: Container;
  let db: TestDatabase;
  let workspace: vscode.WorkspaceFolder;
  let migrations: string;
  let result: VerifyCommandResult | undefined;

  /** The version row's description and tooltip as the Migrations tree shows them. */
  function row(version: bigint): { description: string; tooltip: string } {
    const found = versionRow(container, version);
    assert.ok(found, `no tree node for version ${version}`);
    return found;
  }

  function verifyDiagnostics(fileName: string): vscode.Diagnostic[] {
    return vscode.languages
      .getDiagnostics(vscode.Uri.file(path.join(migrations, fileName)))
      .filter((diagnostic) => String(diagnostic.code as string).startsWith('verify-'));
  }

  async function realDatabaseState(): Promise<unknown> {
    const [tables] = await db.sql.query('SHOW TABLES');
    const [version] = await db.sql.query('SELECT version, dirty FROM schema_migrations');
    return { tables, version };
  }

  async function leftoverScratchDatabases(): Promise<string[]> {
    const [rows] = await db.sql.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
    return (rows as { name: string }[])
      .map((row) => row.name)
      .filter((name) => name.startsWith(scratchDatabasePrefix(db.name)));
  }

  suiteSetup(async function () {
    suiteWorkspace = await openSuiteWorkspace({
      label: 'verify-suite',
      database: 'host_verify',
      fixture: 'test/fixtures/verify/verdicts',
      prepare: ({ db: created }) =>
        created.sql.query(
          'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);' +
            'INSERT INTO schema_migrations VALUES (2, 0); CREATE TABLE kept (id int PRIMARY KEY)',
        ),
    });
    ({ container, db, workspace, migrations } = suiteWorkspace);
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
  });

  suiteTeardown(async function () {
    await suiteWorkspace?.close();
  });

  test('Verify is contributed, in the palette and on the tree title, and registered', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: Record<string, { command: string }[]>; configuration: { properties: object } };
    };
    assert.ok(manifest.contributes.menus['view/title'].some((entry) => entry.command === 'migrationLens.verify'));
    assert.ok(manifest.contributes.menus['commandPalette'].some((entry) => entry.command === 'migrationLens.verify'));
    assert.ok('migrationLens.scratchDatabaseUrl' in manifest.contributes.configuration.properties);
    assert.ok((await vscode.commands.getCommands(true)).includes('migrationLens.verify'));
  });

  test('Verify runs every version on a scratch database and leaves the real database as it was', async () => {
    const before = await realDatabaseState();
    result = await vscode.commands.executeCommand<VerifyCommandResult>('migrationLens.verify', {
      folder: workspace.uri,
    });
    assert.equal(
      result?.kind,
      'done',
      JSON.stringify(result, (_, value: unknown) => String(value)),
    );
    assert.deepEqual(
      result.result.versions.map((entry) => [entry.version, entry.verdict.kind]),
      FIXTURE_VERDICTS,
    );
    assert.deepEqual(await realDatabaseState(), before);
    assert.deepEqual(await leftoverScratchDatabases(), []);
  });

  test('the tree shows a mark per version with the reason in the tooltip', () => {
    assert.match(row(2n).description, /^✓ verified · /);
    assert.match(row(2n).tooltip, /\*\*Verify:\*\* verified: the down undoes the up/);
    assert.match(row(5n).description, /^✗ broken · /);
    assert.match(row(5n).tooltip, /column users\\\.email still exists/);
    assert.match(row(12n).description, /^– not verified · /);
  });

  test("diagnostics sit on the failing statement's line of the down or up file", () => {
    const down = verifyDiagnostics('000006_replace_orders_user_index.down.sql');
    assert.equal(down.length, 1);
    assert.equal(down[0].range.start.line, 2);
    assert.equal(down[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(down[0].message, /^Verify: the down fails: statement 1, line 3: Error 1553: Cannot drop index/);
    const up = verifyDiagnostics('000011_add_users_role.up.sql');
    assert.equal(up.length, 1);
    assert.equal(up[0].range.start.line, 1);
    assert.deepEqual(verifyDiagnostics('000002_create_orders.down.sql'), []);
  });

  test('the report document lists every version, opened beside the editor', async () => {
    assert.equal(result?.kind, 'done');
    const report = result.report;
    assert.equal(report.uri.scheme, VERIFY_REPORT_SCHEME);
    assert.equal(report.languageId, 'markdown');
    const text = report.getText();
    assert.match(text, /^# Verify migrations: /);
    assert.match(
      text,
      /FAIL  9 cascade_order_deletes: the down leaves 1 difference\n +- foreign key fk_orders_user differs: ON DELETE CASCADE vs RESTRICT/,
    );
    assert.match(text, /12 versions: 3 verified, 8 broken, 1 not verified\. Stopped: version 11's up fails/);
    assert.match(text, /as the temporary account `'ml_verify_[0-9a-f]{8}'@'[^']+'`, allowed that database only/);
    assert.ok(
      vscode.window.visibleTextEditors.some((editor) => editor.document.uri.toString() === report.uri.toString()),
    );
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
    await screenshot('verify-report');
  });

  test('changing a file drops the verdict of its version only: tree mark and diagnostics', async () => {
    // Edited and saved in the editor, so the change does not depend on the file watcher (a busy server reports late).
    const document = await vscode.workspace.openTextDocument(
      path.join(migrations, '000006_replace_orders_user_index.down.sql'),
    );
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
      'CREATE INDEX idx_orders_user ON orders (user_id);\nDROP INDEX idx_orders_user_created ON orders;\n',
    );
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(await document.save(), true);
    await waitFor('the verdict of version 6 to be dropped', () =>
      Promise.resolve(verifyDiagnostics('000006_replace_orders_user_index.down.sql').length === 0 ? true : undefined),
    );
    assert.doesNotMatch(row(6n).description, /broken|verified/);
    assert.match(row(5n).description, /^✗ broken/);
    assert.equal(verifyDiagnostics('000011_add_users_role.up.sql').length, 1);
  });

  test('a file reaching into the real database is refused by the server and named on its row, file and report', async () => {
    await db.sql.query('INSERT INTO kept VALUES (1)');
    // The real database's name is assembled at run time, so no check of the text can see it.
    const [head, tail] = [db.name.slice(0, 3), db.name.slice(3)];
    const document = await vscode.workspace.openTextDocument(path.join(migrations, '000010_add_orders_total.up.sql'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)),
      'ALTER TABLE orders ADD COLUMN total decimal(10,2) NOT NULL DEFAULT 0;\n' +
        `SET @s = CONCAT('DELETE FROM ', '${head}', '${tail}.kept');\nPREPARE st FROM @s;\nEXECUTE st;\n`,
    );
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(await document.save(), true);

    const reached = await vscode.commands.executeCommand<VerifyCommandResult>('migrationLens.verify', {
      folder: workspace.uri,
    });
    assert.ok(
      reached?.kind === 'done',
      JSON.stringify(reached, (_, value: unknown) => String(value)),
    );
    assert.deepEqual(
      reached.result.versions.slice(9).map((entry) => [entry.version, entry.verdict.kind]),
      [
        [10n, 'reaches-outside'],
        [11n, 'not-verified'],
        [12n, 'not-verified'],
      ],
    );
    const [kept] = await db.sql.query('SELECT id FROM kept');
    assert.deepEqual(kept, [{ id: 1 }]);
    assert.match(row(10n).description, /^– not verified · /);
    assert.match(row(10n).tooltip, /reaches outside the scratch database/);
    const diagnostics = verifyDiagnostics('000010_add_orders_total.up.sql');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, 2);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(
      diagnostics[0].message,
      /^Verify: reaches outside the scratch database: 000010_add_orders_total\.up\.sql, statement 3, line 3: Error 1142: DELETE command denied to user 'ml_verify_[0-9a-f]{8}'@/,
    );
    assert.match(
      reached.report.getText(),
      /skip 10 add_orders_total: reaches outside the scratch database: .*\n +at .*000010_add_orders_total\.up\.sql:3/,
    );
    assert.deepEqual(await leftoverScratchDatabases(), []);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    await screenshot('verify-reaches-outside');
  });
});
