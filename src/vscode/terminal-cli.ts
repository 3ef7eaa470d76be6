import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { shellWord } from '../core/cli-command-line';
import { SETTINGS_SECTION } from './config';
import { Disposable } from './lifecycle';

/** The setting that also makes the command line answer to `migrate` in the integrated terminals. */
export const MIGRATE_ALIAS_SETTING = 'terminal.migrateAlias';

/**
 * Puts the bundled command line on the PATH of VS Code's integrated terminals, through the environment variable
 * collection VS Code gives extensions for this: a folder in the extension's storage holds a `migration-lens` launcher
 * (and `migrate` with `migrationLens.terminal.migrateAlias`) that runs `dist/cli.js` with the Node the extension host
 * runs on, so the terminal needs no Node of its own. Terminals opened from then on have it. The launchers are POSIX
 * shell scripts: on Windows nothing is added.
 */
export class TerminalCli extends Disposable {
  /** The launchers' folder, first on the terminals' PATH. */
  readonly binFolder: string;
  /** Settles once the launchers match the settings (tests wait for it). */
  ready: Promise<void>;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.binFolder = path.join(context.globalStorageUri.fsPath, 'bin');
    if (process.platform === 'win32') {
      this.ready = Promise.resolve();
      return;
    }
    context.environmentVariableCollection.description = 'Puts the migration-lens command line on the PATH.';
    context.environmentVariableCollection.prepend('PATH', `${this.binFolder}${path.delimiter}`);
    this.ready = this.writeLaunchers();
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.${MIGRATE_ALIAS_SETTING}`)) {
          this.ready = this.ready.then(() => this.writeLaunchers());
        }
      }),
    );
  }

  private async writeLaunchers(): Promise<void> {
    const names = ['migration-lens', ...(migrateAliasOn() ? ['migrate'] : [])];
    const links = path.join(this.binFolder, '.cli');
    await rm(this.binFolder, { recursive: true, force: true });
    await mkdir(links, { recursive: true });
    const cli = this.context.asAbsolutePath(path.join('dist', 'cli.js'));
    for (const name of names) {
      // The command line names itself after the script's path it was started with: a link named like the launcher.
      const link = path.join(links, name);
      await symlink(cli, link);
      // The extension host's executable is Node, or Electron, which runs as Node with ELECTRON_RUN_AS_NODE.
      const launcher = `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec ${shellWord(process.execPath)} ${shellWord(link)} "$@"\n`;
      await writeFile(path.join(this.binFolder, name), launcher, { mode: 0o755 });
    }
  }
}

function migrateAliasOn(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(MIGRATE_ALIAS_SETTING) === true;
}
