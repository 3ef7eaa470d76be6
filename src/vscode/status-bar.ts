import * as vscode from 'vscode';
import { environmentColor } from '../core/environments';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import { describeDatabase, versionText } from './views/database-text';
import { MIGRATIONS_VIEW } from './views/migrations-tree';
import type { WorkspaceModel } from './workspace-model';

/** What the status bar item shows: rendered from the model's state, nothing else. */
export interface StatusBarView {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
  /** Shown with the warning background (a dirty database). */
  readonly warning: boolean;
  readonly command: string;
}

const HIDDEN: StatusBarView = { visible: false, text: '', tooltip: '', warning: false, command: '' };

/** What the environment item shows: the active environment's name in its colour. */
export interface EnvironmentBarView {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
  /** The text's theme colour: `charts.<colour>` of the environment, the error foreground when protected. */
  readonly color?: string;
  /** `statusBarItem.errorBackground` when the environment is protected (production). */
  readonly background?: string;
  readonly command: string;
}

const SELECT_ENVIRONMENT = 'migrationLens.selectEnvironment';
const ENVIRONMENT_HIDDEN: EnvironmentBarView = { visible: false, text: '', tooltip: '', command: SELECT_ENVIRONMENT };

/** The active environment of a folder whose migration-lens.json names some; hidden without environments. */
function renderEnvironmentBar(model: FolderModel | undefined): EnvironmentBarView {
  if (!model || model.environments.list.length === 0) return ENVIRONMENT_HIDDEN;
  const header = `**Migration Lens** · ${model.folder.name}\n\n`;
  const active = model.activeEnvironment;
  if (!active) {
    return {
      visible: true,
      text: '$(server-environment) no environment',
      tooltip: `${header}No environment chosen: the database comes from the settings or .env. Click to choose one of migration-lens.json.`,
      command: SELECT_ENVIRONMENT,
    };
  }
  const kind = active.fleet ? 'fleet' : 'environment';
  const protection = active.protected ? '\n\nProtected: a command that writes asks you to type its name first.' : '';
  return {
    visible: true,
    text: `$(${active.protected ? 'lock' : 'server-environment'}) ${active.name}`,
    tooltip: `${header}Active ${kind} **${active.name}**.${protection}\n\nClick to choose another.`,
    ...(active.protected
      ? { color: 'statusBarItem.errorForeground', background: 'statusBarItem.errorBackground' }
      : { color: `charts.${environmentColor(active)}` }),
    command: SELECT_ENVIRONMENT,
  };
}

/** The status of one folder's migrations against its database, in a few characters. */
function renderStatusBar(model: FolderModel | undefined): StatusBarView {
  if (!model?.hasMigrations) return HIDDEN;
  const database = describeDatabase(model);
  const open = `${MIGRATIONS_VIEW}.focus`;
  const header = `**Migration Lens** · ${model.folder.name}\n\n`;
  const state = model.database;
  if (state.kind === 'connected') {
    const { pendingCount } = model.status.summary;
    if (state.lockHolder) {
      return {
        visible: true,
        text: `$(sync~spin) ${database.short}`,
        tooltip: `${header}${database.tooltip}`,
        warning: false,
        command: open,
      };
    }
    if (state.version.dirty) {
      return {
        visible: true,
        text: `$(warning) ${versionText(state.version)}`,
        tooltip: `${header}${database.tooltip}\n\nA migration failed part way. Click to recover: see what failed and confirm the version to force.`,
        warning: true,
        command: 'migrationLens.recover',
      };
    }
    if (model.status.summary.currentMissingOnDisk) {
      return {
        visible: true,
        text: `$(warning) ${versionText(state.version)} no file`,
        tooltip: `${header}${database.tooltip}\n\nNo file on disk has the database's version (deleted, renamed, or on another branch). Click to recover.`,
        warning: true,
        command: 'migrationLens.recover',
      };
    }
    return {
      visible: true,
      text: `$(database) ${versionText(state.version)}${pendingCount > 0 ? ` · ${pendingCount} pending` : ''}`,
      tooltip: `${header}${database.tooltip}\n\n${pendingCount} pending migration${pendingCount === 1 ? '' : 's'}.`,
      warning: false,
      command: open,
    };
  }
  if (state.kind === 'unreachable') {
    return {
      visible: true,
      text: '$(debug-disconnect) no database',
      tooltip: `${header}${database.tooltip}`,
      warning: false,
      command: open,
    };
  }
  const count = model.catalog.size;
  return {
    visible: true,
    text: `$(database) ${count} migration${count === 1 ? '' : 's'}`,
    tooltip: `${header}Database ${database.short}.\n\n${database.tooltip}`,
    warning: false,
    command: open,
  };
}

/**
 * The status bar item. Created by the container at activation (never at import), follows the folder of the active
 * editor in a multi-root workspace, and re-renders on every model change. `view` is what it shows (for tests).
 */
export class MigrationStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('migrationLens.status', vscode.StatusBarAlignment.Left, 50),
  );
  view: StatusBarView = HIDDEN;
  /** The environment item, left of the version: shown when migration-lens.json names environments. */
  private readonly environmentItem = this.register(
    vscode.window.createStatusBarItem('migrationLens.environment', vscode.StatusBarAlignment.Left, 51),
  );
  environmentView: EnvironmentBarView = ENVIRONMENT_HIDDEN;

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.item.name = 'Migration Lens';
    this.environmentItem.name = 'Migration Lens Environment';
    this.register(model.onDidChange(() => this.render()));
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this.render();
  }

  private render(): void {
    this.renderEnvironment();
    this.view = renderStatusBar(this.folderShown((model) => model.hasMigrations));
    const { item, view } = this;
    if (!view.visible) {
      item.hide();
      return;
    }
    item.text = view.text;
    item.tooltip = new vscode.MarkdownString(view.tooltip);
    item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.command = view.command;
    item.show();
  }

  private renderEnvironment(): void {
    const shown = this.folderShown((model) => model.environments.list.length > 0);
    const view = (this.environmentView = renderEnvironmentBar(shown));
    const item = this.environmentItem;
    if (!view.visible) {
      item.hide();
      return;
    }
    item.text = view.text;
    item.tooltip = new vscode.MarkdownString(view.tooltip);
    item.color = view.color === undefined ? undefined : new vscode.ThemeColor(view.color);
    item.backgroundColor = view.background === undefined ? undefined : new vscode.ThemeColor(view.background);
    item.command = view.command;
    item.show();
  }

  /** The active editor's folder when it has what an item shows, else the first folder that has it. */
  private folderShown(shows: (model: FolderModel) => boolean): FolderModel | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeModel = active && this.model.folderFor(active);
    return activeModel && shows(activeModel) ? activeModel : this.model.folders.find(shows);
  }
}
