import { mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
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
          // A failed write before (another window rewriting the shared folder) must not stop this one.
          this.ready = this.ready.catch(() => undefined).then(() => this.writeLaunchers());
        }
      }),
    );
  }

  /**
   * Writes the launchers, unless those in the folder already are these: the folder is shared by every window, and
   * each activation would otherwise delete and write it again, under the feet of a window starting beside it.
   */
  private async writeLaunchers(): Promise<void> {
    const cli = this.context.asAbsolutePath(path.join('dist', 'cli.js'));
    const links = path.join(this.binFolder, '.cli');
    const launchers = ['migration-lens', ...(migrateAliasOn() ? ['migrate'] : [])].map((name) => {
      // The command line names itself after the script's path it was started with: a link named like the launcher.
      const link = path.join(links, name);
      // The extension host's executable is Node, or Electron, which runs as Node with ELECTRON_RUN_AS_NODE.
      const text = `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec ${shellWord(process.execPath)} ${shellWord(link)} "$@"\n`;
      return { name, link, text };
    });
    if (await this.inPlace(launchers, cli)) return;
    await rm(this.binFolder, { recursive: true, force: true });
    await mkdir(links, { recursive: true });
    for (const { name, link, text } of launchers) {
      await symlink(cli, link);
      await writeFile(path.join(this.binFolder, name), text, { mode: 0o755 });
    }
  }

  private async inPlace(
    launchers: readonly { name: string; link: string; text: string }[],
    cli: string,
  ): Promise<boolean> {
    try {
      const present = (await readdir(this.binFolder)).filter((name) => name !== '.cli').sort();
      if (
        present.join('\n') !==
        launchers
          .map(({ name }) => name)
          .sort()
          .join('\n')
      )
        return false;
      for (const { name, link, text } of launchers) {
        if ((await readlink(link)) !== cli) return false;
        if ((await readFile(path.join(this.binFolder, name), 'utf8')) !== text) return false;
      }
      return true;
    } catch {
      return false;
    }
  }
}

function migrateAliasOn(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(MIGRATE_ALIAS_SETTING) === true;
}
