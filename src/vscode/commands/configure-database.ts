import * as vscode from 'vscode';
import { DatabaseUrlError, parseDatabaseUrl, redactDatabaseUrl } from '../../adapters/mysql/dsn';
import { chooseWorkspaceFolder, commandOptions } from '../command-arguments';
import { SETTINGS_SECTION } from '../config';
import type { CommandFactory } from './index';

/**
 * Sets `migrationLens.databaseUrl` for a workspace folder to a URL without its password, and keeps the password in
 * the secret storage under the redacted URL. `{ url, password, folder }` skip the questions.
 */
export const configureDatabase: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const folder = await chooseWorkspaceFolder(options, 'Configure the database of which folder?');
    if (!folder) return;
    const url =
      options.url ??
      (await vscode.window.showInputBox({
        title: 'Migration Lens: database URL',
        prompt: 'golang-migrate form; leave the password out, it is asked next and kept in the secret storage',
        placeHolder: 'mysql://user@tcp(127.0.0.1:3306)/dbname',
        value: container.settings(folder).databaseUrl,
        ignoreFocusOut: true,
        validateInput: urlProblem,
      }));
    if (url === undefined) return;
    const problem = urlProblem(url);
    if (problem) throw new Error(problem);

    const typedPassword = parseDatabaseUrl(url).password;
    const urlWithoutPassword = withoutPassword(url.trim());
    const key = redactDatabaseUrl(urlWithoutPassword);
    const password =
      options.password ??
      (typedPassword !== ''
        ? typedPassword
        : await vscode.window.showInputBox({
            title: 'Migration Lens: database password',
            prompt: `Password for ${key} (empty for none); kept in VS Code's secret storage, never in settings`,
            password: true,
            ignoreFocusOut: true,
          }));
    if (password === undefined) return;

    await container.secrets.store(key, password);
    await vscode.workspace
      .getConfiguration(SETTINGS_SECTION, folder)
      .update('databaseUrl', urlWithoutPassword, vscode.ConfigurationTarget.WorkspaceFolder);
    container.output.info(`database for ${folder.name} set to ${key}`);
  };

function urlProblem(url: string): string | undefined {
  try {
    parseDatabaseUrl(url);
    return undefined;
  } catch (error) {
    if (error instanceof DatabaseUrlError) return error.message;
    throw error;
  }
}

/** The URL with no password at all: redactDatabaseUrl puts `:****` right after the user name, so drop exactly that. */
function withoutPassword(url: string): string {
  const redacted = redactDatabaseUrl(url);
  return redacted === url ? url : redacted.replace(':****@', '@');
}
