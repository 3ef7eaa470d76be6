import * as vscode from 'vscode';
import { affectsModelSettings } from './config';
import { FolderModel, type FolderChange, type FolderServices } from './folder-model';
import { Disposable } from './lifecycle';

/**
 * Every workspace folder's migrations (multi-root aware): one FolderModel per folder, created and disposed as folders
 * come and go, reloaded when its settings change or the workspace becomes trusted.
 *
 * API for commands: `folders`, `folderFor(uri)`, `await model.ready`; after a command changed the database, call
 * `await folderModel.refreshDatabase()`; Refresh calls `await model.reload()`.
 */
export class WorkspaceModel extends Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<FolderChange>());
  /** Fires after any folder's files or database state changed, and when folders are added or removed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly models = new Map<string, FolderModel>();
  private databaseWanted = false;

  constructor(private readonly services: FolderServices) {
    super();
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.add(folder);
    this.register(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) this.remove(folder);
        for (const folder of event.added) this.add(folder);
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const model of this.folders) if (affectsModelSettings(event, model.folder)) void model.reload();
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()));
    this.register({
      dispose: () => {
        for (const model of this.models.values()) model.dispose();
      },
    });
  }

  /** The folder models, in workspace order. */
  get folders(): FolderModel[] {
    return [...this.models.values()].sort((a, b) => a.folder.index - b.folder.index);
  }

  /** The folders that have a migrations folder. */
  get foldersWithMigrations(): FolderModel[] {
    return this.folders.filter((model) => model.hasMigrations);
  }

  /** Resolves once every folder has been read. */
  get ready(): Promise<void> {
    return Promise.all(this.folders.map((model) => model.ready)).then(() => undefined);
  }

  /** The model of the workspace folder holding `uri`. */
  folderFor(uri: vscode.Uri): FolderModel | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder && this.models.get(folder.uri.toString());
  }

  /** Keep every folder's database version current from now on (the tree became visible). */
  async wantDatabase(): Promise<void> {
    this.databaseWanted = true;
    await Promise.all(this.folders.map((model) => model.wantDatabase()));
  }

  /** Refresh: re-reads every folder and database from scratch. */
  async reload(): Promise<void> {
    await Promise.all(this.folders.map((model) => model.reload()));
  }

  private add(folder: vscode.WorkspaceFolder): void {
    const model = new FolderModel(folder, this.services);
    this.models.set(folder.uri.toString(), model);
    model.onDidChange((change) => this.changeEmitter.fire(change));
    if (this.databaseWanted) void model.wantDatabase();
  }

  private remove(folder: vscode.WorkspaceFolder): void {
    const model = this.models.get(folder.uri.toString());
    if (!model) return;
    this.models.delete(folder.uri.toString());
    model.dispose();
    this.changeEmitter.fire({ model, files: true, database: true });
  }
}
