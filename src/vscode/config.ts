import * as vscode from 'vscode';
import { normaliseEditorSettings, type EditorSettings } from '../core/editor-settings';

/** The configuration section of every setting the extension contributes. */
export const SETTINGS_SECTION = 'migrationLens';

/**
 * The settings of `folder` (folder-level values win, as in a multi-root workspace). In an untrusted workspace VS Code
 * itself hides the workspace values of the restricted settings (paths and database URL) and returns the user's.
 */
export function readSettings(folder: vscode.WorkspaceFolder | undefined): EditorSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder);
  return normaliseEditorSettings((key) => configuration.get(key));
}

/** The settings that change what the model reads: the folder and the database (the others are read when used). */
const MODEL_SETTINGS = ['migrationsPath', 'databaseUrl', 'connectTimeoutSeconds'];

/** Whether a configuration change touches a setting the model of `folder` depends on. */
export function affectsModelSettings(event: vscode.ConfigurationChangeEvent, folder: vscode.WorkspaceFolder): boolean {
  return MODEL_SETTINGS.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`, folder));
}
