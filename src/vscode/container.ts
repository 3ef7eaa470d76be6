import * as vscode from 'vscode';
import type { EditorSettings } from '../core/editor-settings';
import { MigrationCodeActions } from './code-actions';
import { commandTable } from './commands/index';
import { readSettings } from './config';
import { MigrationDiagnostics } from './diagnostics';
import { migrationFileSelector, registerMigrationFormatter } from './format-provider';
import { Disposable } from './lifecycle';
import { goFileSelector, ModelCodeActions } from './model-code-actions';
import { ModelChecks } from './model-checks';
import { Output } from './output';
import { PreflightDiagnostics } from './preflight-diagnostics';
import { SafetyServices } from './recovery-services';
import { DatabaseSecrets } from './secrets';
import { MigrationStatusBar } from './status-bar';
import { VerifyReportDocuments } from './verify-report-document';
import { VerifyResults } from './verify-results';
import { TerminalCli } from './terminal-cli';
import { MIGRATIONS_VIEW, MigrationsTreeProvider, type MigrationsNode } from './views/migrations-tree';
import { WorkspaceModel } from './workspace-model';

/**
 * The composition root: builds every service of the extension once, owns every disposable, and is passed explicitly
 * to whatever needs it (commands receive it through their factory). There is no global instance.
 *
 * For commands: `container.model` (the workspace model: `folders`, `folderFor(uri)`), a folder model's
 * `resolveDatabaseForCommand()` for the connection (refuses in untrusted workspaces, asks for a missing password
 * once), then `inRunSession` (database-run.ts) for the work, which shows the database as the session left it;
 * `container.output` for the log; `container.secrets`; `container.settings(folder)`.
 */
export class Container extends Disposable {
  /** The "Migration Lens" output channel (passwords scrubbed). */
  readonly output: Output;
  /** Database passwords in SecretStorage. */
  readonly secrets: DatabaseSecrets;
  /** Every workspace folder's migrations folder, catalog, file contents and database state. */
  readonly model: WorkspaceModel;
  /** The Migrations view's data provider (tests read the tree through it). */
  readonly tree: MigrationsTreeProvider;
  readonly treeView: vscode.TreeView<MigrationsNode>;
  /** The status bar item; `statusBar.view` is what it shows. */
  readonly statusBar: MigrationStatusBar;
  readonly diagnostics: MigrationDiagnostics;
  /** What the ledger says of each folder: tree annotations, drift and failed-run diagnostics, read-only documents. */
  readonly safety: SafetyServices;
  /** The last Verify run of each folder: tree marks and diagnostics. */
  readonly verifyResults: VerifyResults;
  readonly verifyReports: VerifyReportDocuments;
  /** Preflight's findings on the pending files and in the tree, kept current in the background. */
  readonly preflight: PreflightDiagnostics;
  /** The command line on the integrated terminals' PATH. */
  readonly terminalCli: TerminalCli;
  /** GORM models against the schema: diagnostics on the Go fields, the Models node, `afterRun` after an up or down. */
  readonly modelChecks: ModelChecks;
  /** Connections opened (or about to be) since activation; untrusted workspaces must keep it at zero. */
  connectionCount = 0;
  /** How long activate() took, in milliseconds: the figure the performance test reports. */
  activationMs = 0;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.output = this.register(new Output());
    this.secrets = new DatabaseSecrets(context.secrets);
    this.model = this.register(
      new WorkspaceModel({
        secrets: this.secrets,
        log: (message) => this.output.info(message),
        onConnect: () => {
          this.connectionCount++;
        },
        environmentChoice: {
          get: (folder) => context.workspaceState.get<string>(environmentKey(folder)),
          set: (folder, name) => context.workspaceState.update(environmentKey(folder), name),
        },
      }),
    );
    this.tree = this.register(new MigrationsTreeProvider(this.model));
    this.treeView = this.register(
      vscode.window.createTreeView(MIGRATIONS_VIEW, { treeDataProvider: this.tree, showCollapseAll: true }),
    );
    // The first look at the tree is what connects to the database; until then nothing does.
    if (this.treeView.visible) void this.model.wantDatabase();
    this.register(
      this.treeView.onDidChangeVisibility(({ visible }) => {
        if (visible) void this.model.wantDatabase();
      }),
    );
    this.statusBar = this.register(new MigrationStatusBar(this.model));
    this.diagnostics = this.register(new MigrationDiagnostics(this.model));
    this.safety = this.register(new SafetyServices(this.model));
    this.register(this.tree.addVersionAnnotations(this.safety));
    this.verifyResults = this.register(new VerifyResults(this.model));
    this.register(this.tree.addVersionAnnotations(this.verifyResults));
    this.verifyReports = this.register(new VerifyReportDocuments());
    this.preflight = this.register(
      new PreflightDiagnostics(this.model, {
        secrets: this.secrets,
        log: (message) => this.output.warn(message),
        onConnect: () => {
          this.connectionCount++;
        },
      }),
    );
    this.register(this.tree.addVersionAnnotations(this.preflight));
    this.terminalCli = this.register(new TerminalCli(context));
    this.register(
      vscode.languages.registerCodeActionsProvider(
        migrationFileSelector,
        new MigrationCodeActions(this.model, this.preflight),
        MigrationCodeActions.metadata,
      ),
    );
    this.modelChecks = this.register(new ModelChecks(this.model, (message) => this.output.info(message)));
    this.register(this.tree.showModels(this.modelChecks));
    this.register(
      vscode.languages.registerCodeActionsProvider(
        goFileSelector,
        new ModelCodeActions(this.modelChecks),
        ModelCodeActions.metadata,
      ),
    );
    this.register(registerMigrationFormatter());
    this.register(this.model.onDidChange(() => this.updateContext()));
    this.updateContext();
    for (const [id, factory] of Object.entries(commandTable)) {
      this.register(vscode.commands.registerCommand(id, factory(this)));
    }
  }

  /** Context keys for `when` clauses: welcome views, menus and the command palette. */
  private updateContext(): void {
    const folders = this.model.folders;
    const withMigrations = folders.filter((folder) => folder.hasMigrations);
    const setContext = (key: string, value: unknown) => vscode.commands.executeCommand('setContext', key, value);
    void setContext('migrationLens.hasMigrations', withMigrations.length > 0);
    const folderState =
      withMigrations.length > 0 ? 'found' : folders.every((folder) => folder.loaded) ? 'none' : 'loading';
    void setContext('migrationLens.folderState', folderState);
    void setContext(
      'migrationLens.databaseConfigured',
      folders.some((folder) => folder.databaseTarget !== undefined),
    );
    this.treeView.message = vscode.workspace.isTrusted
      ? undefined
      : 'Restricted Mode: the migrations are shown from the files; nothing connects to a database.';
  }

  /** The normalised settings of a workspace folder. */
  settings(folder: vscode.WorkspaceFolder | undefined): EditorSettings {
    return readSettings(folder);
  }
}

/** Where the workspace keeps the environment chosen for a folder. */
function environmentKey(folder: vscode.WorkspaceFolder): string {
  return `migrationLens.environment:${folder.uri.toString()}`;
}
