import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../../src/vscode/container';
import type { FolderModel } from '../../../src/vscode/folder-model';
import { createTestDatabase, type TestDatabase } from '../../db/support';
import { activeContainer, repositoryRoot } from './extension';
import { modelOn } from './model-ready';
import { removeOnceLeft } from './suite-folder';

/** The settings every suite workspace sets, reset by `close` with the suite's own. */
const PICKED_SETTINGS = ['migrationsPath', 'databaseUrl'];

/** A suite's own migrations folder in the workspace, read by the model against the suite's own database. */
export interface SuiteWorkspace {
  readonly container: Container;
  readonly model: FolderModel;
  readonly db: TestDatabase;
  readonly workspace: vscode.WorkspaceFolder;
  /** `<workspace>/<label>`, deleted by `close`. */
  readonly suiteFolder: string;
  readonly migrations: string;
  run<T>(command: string, ...args: unknown[]): Promise<T | undefined>;
  /** Sets a `migrationLens` setting of the workspace folder (`undefined` resets it). */
  set(key: string, value: unknown): Promise<void>;
  /**
   * Resets `settings` with the folder and database settings, closes the editors, deletes the suite folder once the
   * model has left it, runs `cleanUp`, then drops the database.
   */
  close(settings?: readonly string[], cleanUp?: () => unknown): Promise<void>;
}

export interface SuiteWorkspaceOptions {
  /** The suite's folder name in the workspace. */
  readonly label: string;
  /** The label of the test database. */
  readonly database: string;
  /** File name to text, written into `<label>/migrations` (after the fixture's files, if there is one). */
  readonly files?: Readonly<Record<string, string>>;
  /** A folder of migrations, relative to the repository, copied into `<label>/migrations`. */
  readonly fixture?: string;
  /** Runs once the files and the database exist, before the folder and the database are picked. */
  readonly prepare?: (suite: Omit<SuiteWorkspace, 'container' | 'model' | 'close'>) => unknown;
}

/**
 * Activates the extension, copies `fixture` and writes `files` into `<workspace>/<label>/migrations`, creates a test
 * database, points the folder's settings at both and resolves once the model reads all of their versions against that
 * database.
 */
export async function openSuiteWorkspace(options: SuiteWorkspaceOptions): Promise<SuiteWorkspace> {
  const container = await activeContainer();
  const workspace = vscode.workspace.workspaceFolders![0];
  const suiteFolder = path.join(workspace.uri.fsPath, options.label);
  const migrations = path.join(suiteFolder, 'migrations');
  const fixture = options.fixture === undefined ? undefined : path.join(repositoryRoot, options.fixture);
  const files = options.files ?? {};
  if (fixture === undefined) mkdirSync(migrations, { recursive: true });
  else cpSync(fixture, migrations, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(migrations, name), text);
  const db = await createTestDatabase(options.database);
  const run = <T>(command: string, ...args: unknown[]): Promise<T | undefined> =>
    Promise.resolve(vscode.commands.executeCommand<T | undefined>(command, ...args));
  const set = async (key: string, value: unknown): Promise<void> => {
    await vscode.workspace
      .getConfiguration('migrationLens', workspace)
      .update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
  };
  await options.prepare?.({ db, workspace, suiteFolder, migrations, run, set });
  await run('migrationLens.pickMigrationsFolder', { folder: workspace.uri, path: `${options.label}/migrations` });
  await run('migrationLens.configureDatabase', { folder: workspace.uri, url: db.url, password: '' });
  const model = container.model.folderFor(workspace.uri)!;
  const names = [...(fixture === undefined ? [] : readdirSync(fixture)), ...Object.keys(files)];
  const versions = new Set(names.map((name) => name.slice(0, name.indexOf('_')))).size;
  await modelOn(model, migrations, db.url, versions);

  async function close(settings: readonly string[] = [], cleanUp?: () => unknown): Promise<void> {
    // Emptied before the settings are reset, so the folder search that follows finds another folder at once (this
    // one sorts before the fixture's db/migrations); removeOnceLeft then waits for the model to leave it.
    for (const name of readdirSync(migrations)) rmSync(path.join(migrations, name));
    for (const key of [...PICKED_SETTINGS, ...settings]) await set(key, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeOnceLeft(model, migrations, suiteFolder);
    await cleanUp?.();
    await db.drop();
  }

  return { container, model, db, workspace, suiteFolder, migrations, run, set, close };
}
