import * as path from 'node:path';
import * as vscode from 'vscode';
import { createMigrationFiles } from '../../adapters/create-migration';
import { chooseWorkspaceFolder, commandOptions } from '../command-arguments';
import { errorMessage } from '../../core/errors';
import { treeNode } from '../database-run';
import type { CommandFactory } from './index';

/** Where a workspace folder without migrations gets its first one. */
const FIRST_MIGRATIONS_FOLDER = 'db/migrations';

/**
 * golang-migrate's `create -ext sql`: asks for a name (or `{ name }`), numbers it by timestamp or sequentially as the
 * settings say, creates the up/down pair exclusively (empty, or with `{ contents }`) and opens the up file. Returns
 * the two paths.
 */
export const createMigration: CommandFactory =
  (container) =>
  async (...args): Promise<{ upPath: string; downPath: string } | undefined> => {
    const options = commandOptions(args);
    const folder =
      treeNode(args)?.model.folder ?? (await chooseWorkspaceFolder(options, 'Create the migration in which folder?'));
    if (!folder) return undefined;
    const model = container.model.folderFor(folder.uri);
    await model?.ready;
    const name = options.name ?? (await askName());
    if (name === undefined) return undefined;
    const migrations = model?.migrationsFolder?.uri.fsPath ?? path.join(folder.uri.fsPath, FIRST_MIGRATIONS_FOLDER);
    const { create } = container.settings(folder);
    try {
      const created = await createMigrationFiles(
        migrations,
        {
          name: toMigrationName(name),
          ext: 'sql',
          options:
            create.numbering === 'sequential'
              ? { seq: true, digits: create.digits }
              : { format: create.timestampFormat, timeZone: create.timeZone },
          nowEpochNanoseconds: BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n,
        },
        options.contents,
      );
      container.output.info(`created ${created.upPath} and ${path.basename(created.downPath)}`);
      // The tree shows the pair when the command returns, without waiting for the file watcher (and a first
      // migration makes a migrations folder the model has not found yet).
      await model?.reload();
      await vscode.window.showTextDocument(vscode.Uri.file(created.upPath));
      return { upPath: created.upPath, downPath: created.downPath };
    } catch (error) {
      const message = `Could not create the migration: ${errorMessage(error)}`;
      container.output.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  };

function askName(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Migration Lens: new migration',
    prompt: 'A short name; spaces become "_" (e.g. add email to users)',
    placeHolder: 'add_email_to_users',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return 'Give the migration a name.';
      if (/[\\/]/.test(value)) return 'The name cannot contain "/" or "\\".';
      return undefined;
    },
  });
}

/** The name part of the file names: trimmed, runs of blanks as one "_" (golang-migrate takes it verbatim). */
function toMigrationName(name: string): string {
  const cleaned = name.trim().replace(/\s+/g, '_');
  if (cleaned === '' || /[\\/]/.test(cleaned)) throw new Error(`"${name}" cannot be a migration name`);
  return cleaned;
}
