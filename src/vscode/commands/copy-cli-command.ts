import path from 'node:path';
import * as vscode from 'vscode';
import { passwordOfUrl } from '../../adapters/mysql/dsn';
import { cliCommandLine, environmentCommandLine } from '../../core/cli-command-line';
import { commandOptions } from '../command-arguments';
import { chooseFolderModel } from '../database-run';
import type { FolderModel } from '../folder-model';
import type { CommandFactory } from './index';

/** What the palette offers to copy, the most common first. */
const CLI_COMMANDS = ['up', 'down 1', 'status', 'version', 'lint'];

/**
 * Copies the `migration-lens` command line for a folder (`up` unless `{ command }` or the user picks another): the
 * migrations folder relative to the workspace folder, where a terminal starts, and the database URL as the project
 * writes it (`"$DATABASE_URL"`, the Makefile's `${DB_USER}` form, or the setting's URL), never the password; with an
 * environment of migration-lens.json active, `-env NAME` instead, which is also how a fleet is named. Returns it.
 */
export const copyCliCommand: CommandFactory =
  (container) =>
  async (...args): Promise<string | undefined> => {
    const model = await chooseFolderModel(container, args);
    if (!model?.migrationsFolder) return undefined;
    const relative = path.relative(model.folder.uri.fsPath, model.migrationsFolder.uri.fsPath);
    const commandLine = commandLineOf(model, relative === '' ? '.' : relative);
    if (!commandLine) {
      void vscode.window.showWarningMessage(
        `No database for ${model.folder.name} yet: run "Migration Lens: Configure Database" first.`,
      );
      return undefined;
    }
    const command =
      commandOptions(args).command ??
      (await vscode.window.showQuickPick(CLI_COMMANDS, { placeHolder: 'Copy the command line of which command?' }));
    if (command === undefined) return undefined;
    const line = commandLine(command);
    await vscode.env.clipboard.writeText(line);
    container.output.info(`copied: ${line}`);
    void vscode.window.showInformationMessage(`Copied: ${line}`);
    return line;
  };

/** How the folder's command lines name its database; undefined while it has none. */
function commandLineOf(model: FolderModel, migrationsPath: string): ((command: string) => string) | undefined {
  const program = 'migration-lens';
  const environment = model.activeEnvironment;
  if (environment) {
    const folder = environment.path === undefined ? { migrationsPath } : {};
    return (command) => environmentCommandLine({ program, environment: environment.name, ...folder, command });
  }
  const target = model.databaseTarget;
  if (!target) return undefined;
  const password = passwordOfUrl(target.url) ?? '';
  return (command) => cliCommandLine({ program, migrationsPath, database: target.written, command, password });
}
