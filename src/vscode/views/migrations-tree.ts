import * as vscode from 'vscode';
import type { GormModel } from '../../core/gorm-models';
import { NIL_VERSION, type MigrationFileName } from '../../core/model';
import { findingIsAbout, type ModelFinding } from '../../core/models-compare';
import { explainIgnoredFileName, parseMigrationFileName } from '../../core/names';
import type { MigrationState, MigrationStatus } from '../../core/status';
import type { FolderModel } from '../folder-model';
import { Disposable } from '../lifecycle';
import type { WorkspaceModel } from '../workspace-model';
import { describeDatabase } from './database-text';
import { environmentChildren, environmentItem, environmentParent, type EnvironmentTreeNode } from './environments-tree';
import type { ModelsState } from '../model-checks';
import { modelItem, modelFindingItem, modelsItem } from './models-text';

/** A workspace folder, shown as a root only in a multi-root workspace with several migrations folders. */
export interface FolderNode {
  readonly kind: 'folder';
  readonly model: FolderModel;
}

/** The database the folder uses, where it came from, and its version. */
export interface DatabaseNode {
  readonly kind: 'database';
  readonly model: FolderModel;
}

/** One version: its state and files. Tree item commands (apply up to here, ...) receive this node. */
export interface VersionNode {
  readonly kind: 'version';
  readonly model: FolderModel;
  readonly status: MigrationStatus;
}

/** A file of the migrations folder; `role` says how golang-migrate treats it. */
export interface FileNode {
  readonly kind: 'file';
  readonly model: FolderModel;
  readonly fileName: string;
  readonly role: 'up' | 'down' | 'duplicate' | 'ignored';
}

/** The files golang-migrate silently skips. */
export interface IgnoredGroupNode {
  readonly kind: 'ignored';
  readonly model: FolderModel;
}

/** The GORM models of the folder's Go code, checked against the schema. */
export interface ModelsNode {
  readonly kind: 'models';
  readonly model: FolderModel;
}

/** One GORM model: its state at the database's version and after the pending migrations. */
export interface ModelNode {
  readonly kind: 'model';
  readonly model: FolderModel;
  readonly gormModel: GormModel;
}

/** A finding about a model at the database's version. */
export interface ModelFindingNode {
  readonly kind: 'model-finding';
  readonly model: FolderModel;
  readonly gormModel: GormModel;
  readonly finding: ModelFinding;
}

export type MigrationsNode =
  | FolderNode
  | DatabaseNode
  | VersionNode
  | FileNode
  | IgnoredGroupNode
  | ModelsNode
  | ModelNode
  | ModelFindingNode
  | EnvironmentTreeNode;

/** Where the Models node takes its state from (the models check); the tree redraws when it fires. */
export interface ModelsSource {
  readonly onDidChange: vscode.Event<unknown>;
  stateOf(model: FolderModel): ModelsState | undefined;
}

/** What another feature (Verify) adds to a version's row: a word in the description and a tooltip paragraph. */
export interface VersionAnnotation {
  readonly description: string;
  readonly tooltip: string;
}

/** A source of version annotations; the tree redraws when it fires. */
export interface VersionAnnotations {
  readonly onDidChange: vscode.Event<void>;
  annotate(model: FolderModel, version: bigint): VersionAnnotation | undefined;
}

/** Text shown as itself in an annotation's Markdown tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The id of the Migrations view. */
export const MIGRATIONS_VIEW = 'migrationLens.migrations';

interface StatePresentation {
  readonly icon: string;
  readonly color?: string;
  readonly description: string;
  readonly explanation: string;
}

const STATES: Readonly<Record<MigrationState, StatePresentation>> = {
  applied: {
    icon: 'pass-filled',
    color: 'testing.iconPassed',
    description: 'applied',
    explanation: 'Applied: the database is at a later version.',
  },
  current: {
    icon: 'debug-stackframe',
    color: 'charts.blue',
    description: 'current',
    explanation: 'Current: the version the database is at.',
  },
  pending: {
    icon: 'circle-large-outline',
    description: 'pending',
    explanation: 'Pending: Up will apply it.',
  },
  dirty: {
    icon: 'error',
    color: 'testing.iconFailed',
    description: 'dirty',
    explanation:
      'Dirty: this migration failed part way. Fix the database by hand, then force the version it is really at.',
  },
  running: {
    icon: 'sync~spin',
    color: 'charts.blue',
    description: 'running',
    explanation:
      "Running: another session holds golang-migrate's lock and is applying this migration; the version table marks it dirty until it finishes.",
  },
  'missing-on-disk': {
    icon: 'question',
    color: 'problemsWarningIcon.foreground',
    description: 'missing on disk',
    explanation:
      'The database is at this version but no file has it: golang-migrate refuses up, down and goto until the file is back or the version is forced.',
  },
  'pending-below-current': {
    icon: 'warning',
    color: 'problemsWarningIcon.foreground',
    description: 'pending below current',
    explanation:
      'Never applied, and numbered below the current version: golang-migrate will never apply it. Renumber it above the current version.',
  },
  unknown: {
    icon: 'circle-small',
    description: '',
    explanation: 'Not connected to the database: its state is unknown.',
  },
};

/**
 * The Migrations tree: a TreeDataProvider over the workspace model (which owns all state; nodes are rebuilt from it
 * on every change). Showing the view is what first connects to the database.
 */
export class MigrationsTreeProvider extends Disposable implements vscode.TreeDataProvider<MigrationsNode> {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<MigrationsNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private readonly annotations: VersionAnnotations[] = [];
  private models: ModelsSource | undefined;

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.register(model.onDidChange(() => this.changeEmitter.fire(undefined)));
  }

  /** Shows `source`'s annotations on version rows until the returned disposable is disposed. */
  addVersionAnnotations(source: VersionAnnotations): vscode.Disposable {
    this.annotations.push(source);
    const subscription = source.onDidChange(() => this.changeEmitter.fire(undefined));
    this.changeEmitter.fire(undefined);
    return new vscode.Disposable(() => {
      subscription.dispose();
      this.annotations.splice(this.annotations.indexOf(source), 1);
      this.changeEmitter.fire(undefined);
    });
  }

  /** Shows the Models node from `source` until the returned disposable is disposed. */
  showModels(source: ModelsSource): vscode.Disposable {
    this.models = source;
    const subscription = source.onDidChange(() => this.changeEmitter.fire(undefined));
    this.changeEmitter.fire(undefined);
    return new vscode.Disposable(() => {
      subscription.dispose();
      this.models = undefined;
      this.changeEmitter.fire(undefined);
    });
  }

  getChildren(node?: MigrationsNode): MigrationsNode[] {
    if (!node) {
      const folders = this.model.foldersWithMigrations;
      if (folders.length > 1) return folders.map((model) => ({ kind: 'folder', model }));
      return folders.length === 1 ? this.folderChildren(folders[0]) : [];
    }
    switch (node.kind) {
      case 'folder':
        return this.folderChildren(node.model);
      case 'models': {
        const state = this.models?.stateOf(node.model);
        return state?.kind === 'checked'
          ? state.check.models.map((gormModel) => ({ kind: 'model', model: node.model, gormModel }))
          : [];
      }
      case 'model': {
        const state = this.models?.stateOf(node.model);
        if (state?.kind !== 'checked') return [];
        return state.check.current
          .filter((finding) => findingIsAbout(finding, node.gormModel))
          .map((finding) => ({ kind: 'model-finding', model: node.model, gormModel: node.gormModel, finding }));
      }
      case 'version':
        return versionFiles(node);
      case 'ignored':
        return node.model.catalog.ignored.map((fileName) => ({
          kind: 'file',
          model: node.model,
          fileName,
          role: 'ignored',
        }));
      case 'environments':
      case 'environment':
      case 'environment-group':
      case 'environment-database':
        return environmentChildren(node);
      default:
        return [];
    }
  }

  /** Needed by `TreeView.reveal`: files belong to their version (or the ignored group), the rest to the folder. */
  getParent(node: MigrationsNode): MigrationsNode | undefined {
    const { model } = node;
    if (node.kind === 'folder') return undefined;
    if (node.kind === 'environment' || node.kind === 'environment-group' || node.kind === 'environment-database') {
      return environmentParent(node);
    }
    if (node.kind === 'model') return { kind: 'models', model };
    if (node.kind === 'model-finding') return { kind: 'model', model, gormModel: node.gormModel };
    if (node.kind === 'file') {
      if (node.role === 'ignored') return { kind: 'ignored', model };
      const status = model.status.rows.find((row) => row.version === parseMigrationFileName(node.fileName)?.version);
      if (status) return { kind: 'version', model, status };
    }
    return this.model.foldersWithMigrations.length > 1 ? { kind: 'folder', model } : undefined;
  }

  getTreeItem(node: MigrationsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return folderItem(node);
      case 'database':
        return databaseItem(node);
      case 'version':
        return versionItem(
          node,
          this.annotations.flatMap((source) => source.annotate(node.model, node.status.version) ?? []),
        );
      case 'file':
        return fileItem(node);
      case 'ignored':
        return ignoredGroupItem(node);
      case 'environments':
      case 'environment':
      case 'environment-group':
      case 'environment-database':
        return environmentItem(node);
      case 'models':
        return modelsItem(node, this.models?.stateOf(node.model));
      case 'model': {
        const state = this.models?.stateOf(node.model);
        return modelItem(node, state?.kind === 'checked' ? state.check : undefined);
      }
      case 'model-finding':
        return modelFindingItem(node);
    }
  }

  private folderChildren(model: FolderModel): MigrationsNode[] {
    const nodes: MigrationsNode[] = [];
    if (model.environments.list.length > 0) nodes.push({ kind: 'environments', model });
    nodes.push({ kind: 'database', model });
    const models = this.models?.stateOf(model);
    if (models !== undefined && models.kind !== 'no-models') nodes.push({ kind: 'models', model });
    for (const status of model.status.rows) nodes.push({ kind: 'version', model, status });
    if (model.catalog.ignored.length > 0) nodes.push({ kind: 'ignored', model });
    return nodes;
  }
}

function versionFiles(node: VersionNode): FileNode[] {
  const { model, status } = node;
  return model.catalog.filesOf(status.version).map((file) => ({
    kind: 'file',
    model,
    fileName: file.fileName,
    role: file.fileName === status.up?.fileName ? 'up' : file.fileName === status.down?.fileName ? 'down' : 'duplicate',
  }));
}

function folderItem(node: FolderNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.model.folder.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `folder:${node.model.folder.uri.toString()}`;
  item.iconPath = vscode.ThemeIcon.Folder;
  item.description = vscode.workspace.asRelativePath(node.model.migrationsFolder!.uri, false);
  item.contextValue = 'migrationFolder';
  return item;
}

function databaseItem(node: DatabaseNode): vscode.TreeItem {
  const text = describeDatabase(node.model);
  const item = new vscode.TreeItem('Database', vscode.TreeItemCollapsibleState.None);
  item.id = `database:${node.model.folder.uri.toString()}`;
  item.description = text.short;
  item.tooltip = new vscode.MarkdownString(text.tooltip);
  item.iconPath = new vscode.ThemeIcon(
    text.icon,
    text.warning ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
  );
  item.contextValue = `migrationDatabase state=${node.model.database.kind}`;
  if (text.command) item.command = { command: text.command, title: text.commandTitle ?? '', arguments: [] };
  return item;
}

function versionItem(node: VersionNode, annotations: readonly VersionAnnotation[]): vscode.TreeItem {
  const { status, model } = node;
  const presentation = STATES[status.state];
  const digits = versionDigits(status);
  const item = new vscode.TreeItem(
    status.identifier === undefined ? digits : `${digits} ${status.identifier}`,
    status.state === 'missing-on-disk'
      ? vscode.TreeItemCollapsibleState.None
      : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = `version:${model.folder.uri.toString()}:${status.version}`;
  const flags = versionFlags(status);
  const notes = annotations.map((annotation) => annotation.description);
  item.description = [...notes, presentation.description, ...flags].filter((part) => part !== '').join(' · ');
  const icon = status.duplicate ? { icon: 'copy', color: 'testing.iconFailed' } : presentation;
  item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  const extra = annotations.map((annotation) => `\n\n${annotation.tooltip}`).join('');
  item.tooltip = new vscode.MarkdownString(versionTooltip(status, presentation) + extra);
  item.contextValue = versionContext(status);
  return item;
}

function versionFlags(status: MigrationStatus): string[] {
  const flags: string[] = [];
  if (status.duplicate) flags.push('duplicate');
  if (status.upOnly && status.state !== 'missing-on-disk') flags.push('up only');
  if (status.downOnly) flags.push('down only');
  return flags;
}

function versionTooltip(status: MigrationStatus, presentation: StatePresentation): string {
  const lines = [
    `**Version ${status.version}**${status.identifier ? ` ${status.identifier}` : ''}`,
    '',
    presentation.explanation,
  ];
  if (status.duplicate) {
    lines.push(
      '',
      'Duplicate: several files share this version and direction; golang-migrate refuses the whole folder.',
    );
  }
  if (status.upOnly && status.state !== 'missing-on-disk') {
    lines.push('', 'Up only: rolling it back moves the version without running any SQL.');
  }
  if (status.downOnly) lines.push('', 'Down only: applying it moves the version without running any SQL.');
  if (status.up) lines.push('', `Up: \`${status.up.fileName}\``);
  if (status.down) lines.push('', `Down: \`${status.down.fileName}\``);
  return lines.join('\n');
}

/** Space-separated flags the menus in package.json match with `viewItem =~ /\bflag\b/`. */
function versionContext(status: MigrationStatus): string {
  const flags = ['migrationVersion', `state=${status.state}`];
  if (status.state === 'pending' || status.state === 'unknown' || status.state === 'pending-below-current') {
    flags.push('canApply');
  }
  if (status.state === 'applied' || status.state === 'unknown') flags.push('canRollBack');
  if (status.up) flags.push('hasUp');
  if (status.down) flags.push('hasDown');
  return flags.join(' ');
}

/** The version as its file names write it (zero padding kept), else in decimal. */
function versionDigits(status: MigrationStatus): string {
  const file: MigrationFileName | undefined = status.up ?? status.down;
  if (!file) return status.version === NIL_VERSION ? 'nil' : String(status.version);
  return file.fileName.slice(0, file.fileName.indexOf('_'));
}

function fileItem(node: FileNode): vscode.TreeItem {
  const uri = node.model.fileUri(node.fileName)!;
  const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
  item.id = `file:${uri.toString()}`;
  item.label = node.fileName;
  item.description =
    node.role === 'duplicate'
      ? 'duplicate: golang-migrate refuses the folder'
      : node.role === 'ignored'
        ? ''
        : node.role;
  item.tooltip =
    node.role === 'ignored'
      ? `Ignored by golang-migrate: ${explainIgnoredFileName(node.fileName) ?? 'it is not a migration file'}.`
      : uri.fsPath;
  item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  item.contextValue = `migrationFile role=${node.role}`;
  return item;
}

function ignoredGroupItem(node: IgnoredGroupNode): vscode.TreeItem {
  const count = node.model.catalog.ignored.length;
  const item = new vscode.TreeItem('Ignored by golang-migrate', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `ignored:${node.model.folder.uri.toString()}`;
  item.description = `${count} file${count === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon('eye-closed');
  item.tooltip = 'Files in the migrations folder whose names golang-migrate does not match: it never runs them.';
  item.contextValue = 'migrationIgnoredGroup';
  return item;
}
