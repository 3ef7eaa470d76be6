import { cpSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../src/vscode/container';
import type { FolderModel } from '../../src/vscode/folder-model';
import {
  activeContainer,
  createTestDatabase,
  removeOnceLeft,
  repositoryRoot,
  waitFor,
  type TestDatabase,
} from './support';

/** A copy of test/host/fixtures/views-migrations in the workspace, made the migrations folder, with a test database. */
export interface ViewsFixture {
  readonly container: Container;
  readonly model: FolderModel;
  readonly db: TestDatabase;
  /** The URI of a file of the copied migrations folder. */
  uri(name: string): vscode.Uri;
  /** Sets the version table's row, as golang-migrate would leave it. */
  setVersion(version: number, dirty: boolean): Promise<void>;
  /** Puts the settings back, deletes the copy and drops the database. */
  dispose(): Promise<void>;
}

/** Copies the fixture to `<workspace>/<label>/migrations`, points the settings at it and at a fresh database. */
export async function openViewsFixture(label: string): Promise<ViewsFixture> {
  const container = await activeContainer();
  const workspace = vscode.workspace.workspaceFolders![0];
  const relative = `${label}/migrations`;
  const target = path.join(workspace.uri.fsPath, label, 'migrations');
  cpSync(path.join(repositoryRoot, 'test', 'host', 'fixtures', 'views-migrations'), target, { recursive: true });
  const db = await createTestDatabase(label);
  await db.sql.query('CREATE TABLE `schema_migrations` (version bigint not null primary key, dirty boolean not null)');
  const setVersion = async (version: number, dirty: boolean) => {
    await db.sql.query(
      'DELETE FROM `schema_migrations`; INSERT INTO `schema_migrations` (version, dirty) VALUES (?, ?)',
      [version, dirty],
    );
  };
  await setVersion(2, false);
  // The URL holds no password (the test server's is empty): store it where Configure Database would.
  await container.secrets.store(db.url, '');
  const configuration = vscode.workspace.getConfiguration('migrationLens');
  await configuration.update('databaseUrl', db.url, vscode.ConfigurationTarget.Workspace);
  await configuration.update('migrationsPath', relative, vscode.ConfigurationTarget.Workspace);
  await vscode.commands.executeCommand('migrationLens.migrations.focus');
  const model = container.model.folders[0];
  await waitFor(
    'the fixture folder and its database version',
    async () => {
      await model.ready;
      const database = model.database;
      return model.migrationsFolder?.uri.fsPath === target &&
        database.kind === 'connected' &&
        database.redactedUrl === db.url &&
        model.catalog.size > 0
        ? true
        : undefined;
    },
    30_000,
  );
  return {
    container,
    model,
    db,
    uri: (name) => vscode.Uri.file(path.join(target, name)),
    setVersion,
    async dispose() {
      await configuration.update('migrationsPath', undefined, vscode.ConfigurationTarget.Workspace);
      await configuration.update('databaseUrl', undefined, vscode.ConfigurationTarget.Workspace);
      await removeOnceLeft(model, target, path.join(workspace.uri.fsPath, label));
      await db.drop();
    },
  };
}

/** What the tree itself says of a version; other features (drift, verify) may add their own words before it. */
const OWN_WORDS = new Set([
  'applied',
  'current',
  'pending',
  'dirty',
  'missing on disk',
  'pending below current',
  'duplicate',
  'up only',
  'down only',
]);

/** A version row's description without other features' words. */
export function ownDescription(description: string): string {
  return description
    .split(' · ')
    .filter((part) => OWN_WORDS.has(part))
    .join(' · ');
}
