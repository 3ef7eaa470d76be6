import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FolderModel } from '../../../src/vscode/folder-model';
import { waitFor } from '../../db/support';

/**
 * Deletes a suite's folder (call after resetting the settings): first the files of `migrations`, then, once the model
 * no longer reads from there, the whole folder. The server's file watcher stops reporting every change once a folder
 * it watches vanishes, which would leave the suites after this one without file events.
 */
export async function removeOnceLeft(
  model: FolderModel | undefined,
  migrations: string,
  folder: string,
): Promise<void> {
  const names = existsSync(migrations) ? readdirSync(migrations) : [];
  for (const name of names) rmSync(path.join(migrations, name), { recursive: true, force: true });
  if (model) {
    await waitFor('the model to leave the suite folder', async () => {
      await model.ready;
      return model.migrationsFolder?.uri.fsPath === migrations ? undefined : true;
    });
  }
  rmSync(folder, { recursive: true, force: true });
}
