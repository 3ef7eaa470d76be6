import * as vscode from 'vscode';
import type { EditorSettings } from '../core/editor-settings';
import { commandTable } from './commands/index';
import { readSettings } from './config';
import { Disposable } from './lifecycle';
import { Output } from './output';
import { DatabaseSecrets } from './secrets';
import { WorkspaceModel } from './workspace-model';

/**
 * The composition root: builds every service of the extension once, owns every disposable, and is passed explicitly
 * to whatever needs it (commands receive it through their factory). There is no global instance.
 *
 * For commands: `container.model` (the workspace model: `folders`, `folderFor(uri)`), a folder model's
 * `resolveDatabaseForCommand()` for the connection (refuses in untrusted workspaces, asks for a missing password
 * once) and its `refreshDatabase()` after changing the database; `container.output` for the log;
 * `container.secrets`; `container.settings(folder)`.
 */
export class Container extends Disposable {
  /** The "Migration Lens" output channel (passwords scrubbed). */
  readonly output: Output;
  /** Database passwords in SecretStorage. */
  readonly secrets: DatabaseSecrets;
  /** Every workspace folder's migrations folder, catalog, file contents and database state. */
  readonly model: WorkspaceModel;
  /** Connections opened (or about to be) since activation; untrusted workspaces must keep it at zero. */
  connectionCount = 0;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.output = this.register(new Output());
    this.secrets = new DatabaseSecrets(context.secrets);
    this.model = this.register(
      new WorkspaceModel({
        secrets: this.secrets,
        log: (message) => this.output.info(message),
        onConnect: () => {
          this.connectionCount++;
        },
      }),
    );
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
