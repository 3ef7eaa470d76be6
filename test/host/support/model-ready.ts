import type { FolderModel } from '../../../src/vscode/folder-model';
import { waitFor } from '../../db/support';

/** Waits until the model reads `migrations` (with `versions` versions) and targets the database at `url`. */
export async function modelOn(model: FolderModel, migrations: string, url: string, versions: number): Promise<void> {
  await waitFor(`the model on ${migrations} and its database`, async () => {
    await model.ready;
    return model.migrationsFolder?.uri.fsPath === migrations &&
      model.databaseTarget?.url === url &&
      model.catalog.size === versions
      ? true
      : undefined;
  });
}
