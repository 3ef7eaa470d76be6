import * as path from 'node:path';
import * as vscode from 'vscode';
import { chooseWorkspaceFolder, commandOptions } from '../command-arguments';
import { SETTINGS_SECTION } from '../config';
import type { CommandFactory } from './index';

/**
 * Sets `migrationLens.migrationsPath` of a workspace folder from a folder dialog (or `{ path, folder }`), stored
 * relative to the workspace folder when it is inside it so the setting works on every machine.
 */
export const pickMigrationsFolder: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const folder = await chooseWorkspaceFolder(options, 'Pick the migrations folder of which workspace folder?');
    if (!folder) return;
    let chosen = options.path === undefined ? undefined : path.resolve(folder.uri.fsPath, options.path);
    if (chosen === undefined) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Migration Lens: migrations folder',
        openLabel: 'Use as migrations folder',
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: folder.uri,
      });
      if (!picked?.[0]) return;
      chosen = picked[0].fsPath;
    }
    const relative = path.relative(folder.uri.fsPath, chosen);
    const setting = relative.startsWith('..') || path.isAbsolute(relative) ? chosen : relative || '.';
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION, folder)
      .update('migrationsPath', setting.split(path.sep).join('/'), vscode.ConfigurationTarget.WorkspaceFolder);
    container.output.info(`migrations folder for ${folder.name} set to ${setting}`);
  };
