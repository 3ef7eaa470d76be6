import * as vscode from 'vscode';
import type { EditorSettings } from '../core/editor-settings';
import { commandTable } from './commands/index';
import { readSettings } from './config';
import { Disposable } from './lifecycle';
import { Output } from './output';
import { DatabaseSecrets } from './secrets';

/**
 * The composition root: builds every service of the extension once, owns every disposable, and is passed explicitly
 * to whatever needs it (commands receive it through their factory). There is no global instance.
 */
export class Container extends Disposable {
  /** The "Migration Lens" output channel (passwords scrubbed). */
  readonly output: Output;
  /** Database passwords in SecretStorage. */
  readonly secrets: DatabaseSecrets;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.output = this.register(new Output());
    this.secrets = new DatabaseSecrets(context.secrets);
    for (const [id, factory] of Object.entries(commandTable)) {
      this.register(vscode.commands.registerCommand(id, factory(this)));
    }
  }

  /** Whether the workspace is trusted; untrusted workspaces never connect to a database. */
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The normalised settings of a workspace folder. */
  settings(folder: vscode.WorkspaceFolder | undefined): EditorSettings {
    return readSettings(folder);
  }
}
