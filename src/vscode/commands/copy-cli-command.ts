import path from 'node:path';
import * as vscode from 'vscode';
import { passwordOfUrl } from '../../adapters/mysql/dsn';
import { cliCommandLine } from '../../core/cli-command-line';
import { commandOptions } from '../command-arguments';
import { chooseFolderModel } from '../database-run';
import type { CommandFactory } from './index';

/** What the palette offers to copy, the most common first. */
const CLI_COMMANDS = ['up', 'down 1', 'status', 'version', 'lint'];

/**
 * Copies the `migration-lens` command line for a folder (`up` unless `{ command }` or the user picks another): the
 * migrations folder relative to the workspace folder, where a terminal starts, and the database URL as the project
 * writes it (`"$DATABASE_URL"`, the Makefile's `${DB_USER}` form, or the setting's URL), never the password. Returns it.
 */
export const copyCliCommand: CommandFactory =
  (container) =>
  async (...args): Promise<string | undefined> => {
    const model = await chooseFolderModel(container, args);
    if (!model?.migrationsFolder) return undefined;
    const target = model.databaseTarget;
    if (!target) {
      void vscode.window.showWarningMessage(
        `No database for ${model.folder.name} yet: run "Migration Lens: Configure Database" first.`,
      );
      return undefined;
    }
    const command =
      commandOptions(args).command ??
      (await vscode.window.showQuickPick(CLI_COMMANDS, { placeHolder: 'Copy the command line of which command?' }));
    if (command === undefined) return undefined;
    const relative = path.relative(model.folder.uri.fsPath, model.migrationsFolder.uri.fsPath);
    const line = cliCommandLine({
      program: 'migration-lens',
      migrationsPath: relative === '' ? '.' : relative,
      database: target.written,
      command,
      password: passwordOfUrl(target.url) ?? '',
    });
    await vscode.env.clipboard.writeText(line);
    container.output.info(`copied: ${line}`);
    void vscode.window.showInformationMessage(`Copied: ${line}`);
    return line;
  };
