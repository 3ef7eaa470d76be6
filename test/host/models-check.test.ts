import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { CommandResult } from '../../src/vscode/database-run';
import type { MigrationsNode } from '../../src/vscode/views/migrations-tree';
import { openSuiteWorkspace, repositoryRoot, screenshot, type SuiteWorkspace, waitFor } from './support';

const LABEL = 'models-suite';
/** The sandbox service: golang-migrate's tutorial with a GORM model one field (Email) ahead of version 1. */
const SANDBOX = path.join(repositoryRoot, 'sandbox');

suite('models: GORM structs checked against the schema in the editor, with quick fixes both ways', function () {
  let fixture: SuiteWorkspace;
  let userGo: vscode.Uri;
  /** The up file the quick fix creates, edited by a later test. */
  let createdUp: vscode.Uri | undefined;

  const run = <T = CommandResult>(command: string, options: object = {}) =>
    fixture.run<T>(command, { folder: fixture.workspace.uri, ...options });

  function modelDiagnostics(): vscode.Diagnostic[] {
    return vscode.languages
      .getDiagnostics(userGo)
      .filter((diagnostic) => typeof diagnostic.code === 'string' && diagnostic.code.startsWith('model-'));
  }

  /** Waits for the models diagnostics of user.go to be exactly `codes` (`code line`, 1-based lines). */
  async function diagnosticsBecome(codes: string[]): Promise<vscode.Diagnostic[]> {
    let shown: string[] = [];
    try {
      return await waitFor(
        `models diagnostics ${codes.join(', ')}`,
        () => {
          const found = modelDiagnostics();
          shown = found.map((diagnostic) => `${diagnostic.code as string} ${diagnostic.range.start.line + 1}`);
          return Promise.resolve(JSON.stringify(shown) === JSON.stringify(codes) ? found : undefined);
        },
        30_000,
      );
    } catch (error) {
      const state = fixture.container.modelChecks.stateOf(fixture.model);
      throw new Error(`${(error as Error).message}; shown: ${shown.join(', ')}; state: ${state?.kind}`);
    }
  }

  function phoneMessage(): string {
    return modelDiagnostics().find((diagnostic) => diagnostic.message.startsWith('User.Phone'))?.message ?? '';
  }

  async function phoneMessageBecomes(expected: RegExp): Promise<void> {
    await waitFor(
      `User.Phone's finding matching ${expected}`,
      () => Promise.resolve(expected.test(phoneMessage()) ? true : undefined),
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; shown: ${phoneMessage()}`);
    });
  }

  async function quickFixes(diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      userGo,
      new vscode.Range(diagnostic.range.start, diagnostic.range.end),
    );
    return actions.filter((action): action is vscode.CodeAction => 'kind' in action || 'edit' in action);
  }

  /** Applies a quick fix's edit the way the editor does, and saves the file. */
  async function apply(action: vscode.CodeAction | undefined): Promise<string> {
    assert.ok(action?.edit, 'the quick fix edits the file');
    assert.equal(await vscode.workspace.applyEdit(action.edit), true, `${action.title} applies`);
    const document = await vscode.workspace.openTextDocument(userGo);
    assert.equal(await document.save(), true, `${action.title}: the file saves`);
    return document.getText();
  }

  function treeNode(kind: MigrationsNode['kind'], parent?: MigrationsNode): MigrationsNode | undefined {
    return fixture.container.tree.getChildren(parent).find((node) => node.kind === kind);
  }

  function description(node: MigrationsNode | undefined): string {
    assert.ok(node);
    const item = fixture.container.tree.getTreeItem(node);
    return typeof item.description === 'string' ? item.description : '';
  }

  suiteSetup(async function () {
    this.timeout(120_000);
    fixture = await openSuiteWorkspace({
      label: LABEL,
      database: 'host_models',
      fixture: 'sandbox/db/migrations',
      prepare: async ({ db, suiteFolder, migrations }) => {
        const models = path.join(suiteFolder, 'models');
        mkdirSync(models, { recursive: true });
        writeFileSync(path.join(models, 'user.go'), readFileSync(path.join(SANDBOX, 'models', 'user.go')));
        const cli = path.join(repositoryRoot, 'dist', 'cli.js');
        await promisify(execFile)(process.execPath, [cli, '-path', migrations, '-database', db.url, 'up', '1']);
      },
    });
    userGo = vscode.Uri.file(path.join(fixture.suiteFolder, 'models', 'user.go'));
    await fixture.set('modelsPath', `${LABEL}/models`);
    await vscode.commands.executeCommand('migrationLens.migrations.focus');
  });

  suiteTeardown(async function () {
    await fixture?.close(['modelsPath']);
  });

  test('the sandbox at version 1: an error on the Email field line, and the Models node with the model', async () => {
    const [email] = await diagnosticsBecome(['model-field-missing-column 11']);
    assert.equal(
      email.message,
      'User.Email: users.email does not exist at version 1; 000002_add_email_to_users adds it, pending',
    );
    assert.equal(email.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(email.source, 'Migration Lens');
    const models = treeNode('models');
    assert.equal(description(models), '1 GORM model · 1 disagrees at version 1 · after pending: ok');
    const user = treeNode('model', models);
    assert.equal(description(user), 'users · 1 problem at version 1 · after pending: ok');
    const finding = treeNode('model-finding', user);
    assert.equal(fixture.container.tree.getTreeItem(finding!).label, 'Email');

    await vscode.window.showTextDocument(userGo, { selection: new vscode.Range(email.range.start, email.range.start) });
    // Narrower editor, wider sidebar: the tree's descriptions fit.
    for (let step = 0; step < 2; step++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await fixture.container.treeView.reveal(finding!, { select: true, focus: false, expand: true });
    await screenshot('models-diagnostic-tree');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('a field a pending migration adds: no migration to create, the field can be removed', async () => {
    const [email] = await diagnosticsBecome(['model-field-missing-column 11']);
    const titles = (await quickFixes(email)).map((action) => action.title);
    assert.deepEqual(titles, ['Remove field Email from User']);
  });

  test("the tutorial's step after up: a notification names users.email, and the quick fix adds the field", async () => {
    // Back to the tutorial's struct before the Email migration.
    const [email] = await diagnosticsBecome(['model-field-missing-column 11']);
    const removed = await apply((await quickFixes(email))[0]);
    assert.match(removed, /\tgorm\.Model\n\tName string `gorm:"size:255;not null"`\n\}/);
    await diagnosticsBecome([]);

    const up = await run('migrationLens.up');
    assert.equal(up?.kind, 'done');
    assert.match(
      (up?.kind === 'done' && up.modelsNotice) || '',
      /no longer match the schema at version 2: users\.email\./,
      'the Up command tells which fields to update',
    );
    const [column] = await diagnosticsBecome(['model-column-without-field 8']);
    const fixes = await quickFixes(column);
    assert.deepEqual(
      fixes.map((action) => action.title),
      ['Add field Email to User'],
    );
    const added = await apply(fixes[0]);
    assert.match(
      added,
      /\tgorm\.Model\n\tName  string  `gorm:"size:255;not null"`\n\tEmail \*string `gorm:"size:255;uniqueIndex:users_email_unique"`\n\}/,
    );
    await diagnosticsBecome([]);
  });

  test("the tutorial's step after down 1: a notification names User.Email, and the quick fix removes it", async () => {
    const down = await run('migrationLens.down', { confirm: false, backup: 'never' });
    assert.equal(down?.kind, 'done');
    assert.match((down?.kind === 'done' && down.modelsNotice) || '', /at version 1: User\.Email\./);
    const [email] = await diagnosticsBecome(['model-field-missing-column 11']);
    const removal = (await quickFixes(email)).find((action) => action.title === 'Remove field Email from User');
    const text = await apply(removal);
    assert.doesNotMatch(text, /Email/);
    await diagnosticsBecome([]);
  });

  test('a field no migration adds: the quick fix creates the migration with GORM’s MySQL type', async () => {
    const document = await vscode.workspace.openTextDocument(userGo);
    const edit = new vscode.WorkspaceEdit();
    const nameLine = document
      .getText()
      .split('\n')
      .findIndex((line) => line.includes('Name string'));
    edit.insert(userGo, new vscode.Position(nameLine + 1, 0), '\tPhone string `gorm:"size:20;index"`\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true, 'the edit applies');
    assert.equal(await document.save(), true, `the file saves: ${document.getText()}`);
    const [phone] = await diagnosticsBecome(['model-field-missing-column 11']);
    assert.match(phone.message, /users\.phone does not exist at version 1; GORM names it in every insert and select/);
    const create = (await quickFixes(phone)).find((action) => action.title === 'Create migration adding users.phone');
    assert.ok(create?.command);
    const created = await vscode.commands.executeCommand<{ upPath: string; downPath: string }>(
      create.command.command,
      ...((create.command.arguments ?? []) as unknown[]),
    );
    assert.ok(created && existsSync(created.upPath));
    assert.match(path.basename(created.upPath), /^\d+_add_phone_to_users\.up\.sql$/);
    assert.equal(
      readFileSync(created.upPath, 'utf8'),
      'ALTER TABLE users ADD COLUMN phone varchar(20);\nCREATE INDEX idx_users_phone ON users (phone);\n',
    );
    assert.equal(readFileSync(created.downPath, 'utf8'), 'ALTER TABLE users DROP COLUMN phone;\n');
    assert.equal(readdirSync(fixture.migrations).length, 6);
    createdUp = vscode.Uri.file(created.upPath);
    await phoneMessageBecomes(/users\.phone does not exist at version 1; \d+_add_phone_to_users adds it, pending/);
  });

  test('a migration edited and saved is checked again as saved; its unsaved text changes nothing found', async () => {
    assert.ok(createdUp, 'the previous test created the phone migration');
    const document = await vscode.workspace.openTextDocument(createdUp);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(createdUp, new vscode.Range(0, 0, document.lineCount, 0), 'SELECT 1;\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true, 'the edit applies');
    // Longer than the web build's default auto-save delay (1 s), so an editor that saved on its own would show here.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(document.isDirty, true, 'the edit is still unsaved');
    assert.match(phoneMessage(), /adds it, pending/, 'unsaved text is not what runs: the finding stays');
    assert.equal(await document.save(), true, 'the migration saves');
    await phoneMessageBecomes(/users\.phone does not exist at version 1; GORM names it in every insert and select/);
  });
});
