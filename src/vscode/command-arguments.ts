import * as vscode from 'vscode';

/**
 * What a command accepts as its first argument besides a tree node: values that replace the questions it would ask,
 * so scripts, keybindings and tests can run it without dialogs. From the palette none are given and every question
 * is asked; `confirm: false` skips the confirmation of commands that go down, force or drop.
 */
export interface CommandOptions {
  /** The workspace folder to act on (its path or URI); asked for in a multi-root workspace when absent. */
  readonly folder?: string | vscode.Uri;
  /** A version for goto, force, apply up to, roll back to. */
  readonly version?: bigint | number | string;
  /** How many migrations for Up N / Down N. */
  readonly count?: number;
  /** The name of a new migration. */
  readonly name?: string;
  /** What a new migration's up and down files hold (a quick fix's SQL); empty when absent. */
  readonly contents?: { readonly up: string; readonly down: string };
  /** A file to act on (format). */
  readonly uri?: string | vscode.Uri;
  /** A database URL for Configure database (a password in it goes to the secret storage, not the setting). */
  readonly url?: string;
  /** The database password for Configure database. */
  readonly password?: string;
  /** The migrations folder for Pick migrations folder (relative to the workspace folder, or absolute). */
  readonly path?: string;
  /** `false` answers "yes" to the confirmation up front. */
  readonly confirm?: boolean;
  /** Recover: the way out to take (`completed`, `undone`, `open-down`, `force-below`, ...) instead of asking. */
  readonly choice?: string;
  /** Dry runs: `true` applies the plan shown, `false` only shows it, instead of asking. */
  readonly apply?: boolean;
  /** Commands that go down: `always`, `ask` or `never` back up first, instead of the migrationLens.backup setting. */
  readonly backup?: string;
  /** Copy CLI Command: the command line's command and arguments (`up`, `down 1`) instead of asking. */
  readonly command?: string;
  /** Select Environment: the environment of migration-lens.json to make active (`''`: none) instead of asking. */
  readonly environment?: string;
  /**
   * A command that writes to a protected environment: its name, as the user would type it, instead of asking (the
   * command line's `-confirm-env`). Any other value refuses.
   */
  readonly confirmEnvironment?: string;
}

/** The options object among a command's arguments (a tree action may pass it after the node); else none. */
export function commandOptions(args: readonly unknown[]): CommandOptions {
  const known: readonly (keyof CommandOptions)[] = [
    'folder',
    'version',
    'count',
    'name',
    'contents',
    'uri',
    'url',
    'password',
    'path',
    'confirm',
    'choice',
    'apply',
    'backup',
    'command',
    'environment',
    'confirmEnvironment',
  ];
  const found = args.find(
    (arg): arg is CommandOptions =>
      typeof arg === 'object' &&
      arg !== null &&
      !(arg instanceof vscode.Uri) &&
      !('kind' in arg) &&
      known.some((key) => key in arg),
  );
  return found ?? {};
}

/** Turns a path or URI argument into a URI. */
export function toUri(value: string | vscode.Uri): vscode.Uri {
  return typeof value === 'string' ? vscode.Uri.file(value) : value;
}

/**
 * The workspace folder a command acts on: the one named in the options, the only one, or the user's pick.
 * Undefined when there is none or the user cancelled.
 */
export async function chooseWorkspaceFolder(
  options: CommandOptions,
  placeHolder: string,
): Promise<vscode.WorkspaceFolder | undefined> {
  if (options.folder !== undefined) {
    const folder = vscode.workspace.getWorkspaceFolder(toUri(options.folder));
    if (!folder) throw new Error(`${toUri(options.folder).fsPath} is not in a workspace folder`);
    return folder;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder, ignoreFocusOut: true });
}

/** Parses a version typed or passed by a caller: a decimal integer, -1 included; undefined when it is not one. */
export function parseVersionArgument(value: bigint | number | string): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  const text = value.trim();
  return /^-?[0-9]+$/.test(text) ? BigInt(text) : undefined;
}
