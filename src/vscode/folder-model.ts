import * as vscode from 'vscode';
import { contentsOf, readMigrationFolder } from '../adapters/file-source';
import type { LedgerSettings } from '../adapters/ledger-store';
import type { EnvironmentRunSettings } from '../app/environments';
import { lookAtDatabase, type RunTarget } from '../app/open-session';
import type { DatabaseState as LookedState } from '../app/run-session';
import { DatabaseConnectionError, loginRefused } from '../adapters/mysql/connection';
import { Catalog } from '../core/catalog';
import { NIL_VERSION, type DatabaseVersion, type LockHolder } from '../core/model';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import type { LedgerEntry } from '../core/safety-drift';
import type { EditorSettings } from '../core/editor-settings';
import { lintMigrations, type LintProblem } from '../core/lint';
import type { EnvironmentSpec } from '../core/environments';
import { PROJECT_FILE_NAME, type ProjectConfig } from '../core/project-file';
import type { ResolvedEnvironment } from '../adapters/environments';
import { migrationStatuses, type StatusReport } from '../core/status';
import { readSettings } from './config';
import {
  DatabaseUnavailableError,
  findDatabaseTarget,
  resolveDatabase,
  type DatabaseTarget,
  type ResolvedDatabase,
} from './database-target';
import {
  environmentDatabaseTarget,
  environmentWithStoredPassword,
  expandEnvironment,
  withPassword,
} from './environment-target';
import { FolderEnvironments, type EnvironmentChoice } from './folder-environments';
import { Disposable } from './lifecycle';
import { baseName, isDirectChild, locateMigrationsFolder, type MigrationsFolder } from './migrations-folder';
import type { DatabaseSecrets } from './secrets';
import { errorMessage } from '../core/errors';

/** What the folder's database looks like from here. */
export type DatabaseState =
  /** Nothing asked yet: the extension connects only once the tree is visible or a command needs the database. */
  | { readonly kind: 'idle' }
  | { readonly kind: 'untrusted' }
  | { readonly kind: 'virtual' }
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'connecting' }
  /**
   * `redactedUrl` names the database the version was read from; `lockHolder` is another session running migrations
   * there now; `ledger` is what the ledger beside the version table recorded (undefined without one).
   */
  | {
      readonly kind: 'connected';
      readonly version: DatabaseVersion;
      readonly redactedUrl: string;
      readonly lockHolder?: LockHolder;
      readonly ledger?: readonly LedgerEntry[];
    }
  | { readonly kind: 'unreachable'; readonly reason: string }
  /** The active environment is a fleet: many databases, shown in the Environments section, not one version. */
  | { readonly kind: 'fleet'; readonly environment: string };

/** What changed in a folder model: its files (names or contents) and/or its database state. */
export interface FolderChange {
  readonly model: FolderModel;
  readonly files: boolean;
  readonly database: boolean;
  /** The files changed only in an editor: unsaved text, which lint shows and nothing on disk holds yet. */
  readonly unsaved?: boolean;
}

/** What a folder model needs from the extension around it. */
export interface FolderServices {
  readonly secrets: DatabaseSecrets;
  readonly log: (message: string) => void;
  /** Counts every connection the model opens, so tests can prove untrusted workspaces open none. */
  readonly onConnect: () => void;
  /** The environment of migration-lens.json chosen for each folder. */
  readonly environmentChoice: EnvironmentChoice;
}

const PROJECT_FILES = new Set(['.env', 'Makefile', 'makefile', 'GNUmakefile', PROJECT_FILE_NAME]);
const READ_CONCURRENCY = 32;

/** Why a blocked folder's commands do not connect. */
const BLOCKED_MESSAGES = {
  untrusted:
    'This workspace is not trusted, so Migration Lens does not connect to its database. Trust the workspace to run migrations.',
  virtual: 'This folder is not on the local file system, so its migrations cannot be run from here.',
} as const;

/**
 * One workspace folder's migrations: the folder, the catalog kept up to date file by file by a watcher, the text of
 * every migration file (an open editor's unsaved text wins) for lint, and the database version once wanted.
 *
 * API for commands:
 * - `await model.ready` before reading anything;
 * - `model.migrationsFolder`, `model.catalog`, `model.contents`, `model.database`, `model.databaseTarget`;
 * - `await model.refreshDatabase()` after a command changed the database (re-reads the version, fires onDidChange);
 * - `await model.reload()` for Refresh (folder, files, database target and version from scratch);
 * - `onDidChange` fires after every change, with what changed.
 */
export class FolderModel extends Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<FolderChange>());
  /** Fires after the files or the database state changed. */
  readonly onDidChange = this.changeEmitter.event;

  migrationsFolder: MigrationsFolder | undefined;
  private migrationsFolderExists = false;
  /** False until the folder has been read once (so "no migrations folder" is not claimed while still looking). */
  loaded = false;
  catalog: Catalog = Catalog.empty;
  /** Text of every migration file by name: the open editor's text when open, else the file on disk. */
  readonly contents = new Map<string, string>();
  database: DatabaseState = { kind: 'idle' };
  databaseTarget: DatabaseTarget | undefined;
  /** migration-lens.json's environments, the active one, and where each stands. */
  readonly environments: FolderEnvironments;
  /** Why the active environment cannot be used (a variable without a value, a URL that does not parse). */
  private environmentProblem: string | undefined;
  /** Set once the tree was shown or a command asked: from then on the version is kept current. */
  private databaseWanted = false;
  /** The migrations folder's watcher, and the folder it watches. */
  private migrationsWatcher: { readonly uri: string; readonly watcher: vscode.Disposable } | undefined;
  private databaseRead: Promise<void> | undefined;
  private loading: Promise<void>;
  private loadGeneration = 0;
  private statusCache: { catalog: Catalog; database: DatabaseState; report: StatusReport } | undefined;
  /** Counts file changes (names or texts), so derived results know when to recompute. */
  private filesRevision = 0;
  private problemsCache: { revision: number; database: DatabaseState; problems: readonly LintProblem[] } | undefined;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly services: FolderServices,
  ) {
    super();
    this.environments = new FolderEnvironments(folder, {
      secrets: services.secrets,
      choice: services.environmentChoice,
      log: services.log,
      onConnect: services.onConnect,
    });
    this.loading = this.load();
    // Narrow, non-recursive watchers: a '**/*' pattern shares the workspace's recursive watcher, which was seen to
    // miss events on a busy machine while a watcher on the folder itself did not. Each is kept until its folder
    // changes.
    this.register(this.watch(new vscode.RelativePattern(folder, `{${[...PROJECT_FILES].join(',')}}`)));
    // File operations made in the editor (explorer, quick fixes, refactorings) are known before any watcher
    // reports them, and still arrive when a busy or remote watcher drops events.
    this.register(vscode.workspace.onDidCreateFiles(({ files }) => files.forEach((uri) => void this.fileCreated(uri))));
    this.register(vscode.workspace.onDidDeleteFiles(({ files }) => files.forEach((uri) => this.fileDeleted(uri))));
    this.register(
      vscode.workspace.onDidRenameFiles(({ files }) => {
        for (const { oldUri, newUri } of files) {
          this.fileDeleted(oldUri);
          void this.fileCreated(newUri);
        }
      }),
    );
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.documentChanged(event.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.documentChanged(document)));
    this.register(vscode.workspace.onDidCloseTextDocument((document) => void this.documentClosed(document)));
    this.register({
      dispose: () => {
        this.migrationsWatcher?.watcher.dispose();
      },
    });
  }

  /** Resolves once the folder, the files and (when wanted) the database have been read. */
  get ready(): Promise<void> {
    return this.loading;
  }

  /** Whether this workspace folder has a migrations folder on disk (a configured one may not exist yet). */
  get hasMigrations(): boolean {
    return this.migrationsFolder !== undefined && this.migrationsFolderExists;
  }

  /** The state of every version (the core's `migrationStatuses`), computed once per change. */
  get status(): StatusReport {
    const cache = this.statusCache;
    if (cache?.catalog === this.catalog && cache.database === this.database) return cache.report;
    const state = this.database;
    const version = state.kind === 'connected' ? state.version : undefined;
    const runningElsewhere = state.kind === 'connected' && state.lockHolder !== undefined;
    const report = migrationStatuses(this.catalog, version, { runningElsewhere });
    this.statusCache = { catalog: this.catalog, database: this.database, report };
    return report;
  }

  /** The lint problems of the folder (the core's `lintMigrations`, the CLI's rule set), computed once per change. */
  get problems(): readonly LintProblem[] {
    const cache = this.problemsCache;
    if (cache?.revision === this.filesRevision && cache.database === this.database) return cache.problems;
    const database = this.database.kind === 'connected' ? this.database.version : undefined;
    const problems = lintMigrations({
      catalog: this.catalog,
      contents: this.contents,
      database,
      rules: this.projectConfig.rules,
    });
    this.problemsCache = { revision: this.filesRevision, database: this.database, problems };
    return problems;
  }

  /** The URI of a file of the migrations folder. */
  fileUri(name: string): vscode.Uri | undefined {
    return this.migrationsFolder && vscode.Uri.joinPath(this.migrationsFolder.uri, name);
  }

  /** Re-reads everything: the settings, the migrations folder, every file, the database target and version. */
  async reload(): Promise<void> {
    this.loading = this.load();
    await this.loading;
  }

  /**
   * From now on keep the database version current (the tree became visible, or a command ran), and read it now
   * unless it is already known.
   */
  async wantDatabase(): Promise<void> {
    if (this.databaseWanted) return this.databaseRead;
    this.databaseWanted = true;
    await this.loading;
    await Promise.all([this.refreshDatabase(), this.refreshEnvironments()]);
  }

  /** The environment of migration-lens.json the commands, the tree and the status bar work with, if one is chosen. */
  get activeEnvironment(): EnvironmentSpec | undefined {
    return this.environments.active;
  }

  /** `migration-lens.json` at the folder's root (read with the environments): rules' severities, preflight's limits. */
  get projectConfig(): ProjectConfig {
    return this.environments.project.config;
  }

  /** Makes `name` the active environment (undefined: the settings and `.env` again) and reads everything again. */
  async chooseEnvironment(name: string | undefined): Promise<void> {
    await this.environments.choose(name);
    await this.reload();
  }

  /**
   * Reads where every environment of migration-lens.json stands (a fleet's discovery runs again), once the
   * database is wanted; never in an untrusted or virtual workspace.
   */
  async refreshEnvironments(): Promise<void> {
    if (this.blockedState() || this.environments.list.length === 0) {
      this.environments.clear();
      return;
    }
    const reading = this.environments.refresh((environment) => this.environmentRunSettings(environment));
    this.fire(false, true);
    await reading;
    this.fire(false, true);
  }

  /** Re-reads the database version (after a command changed it, or on Refresh). */
  async refreshDatabase(): Promise<void> {
    this.databaseWanted = true;
    this.databaseRead = this.readDatabase();
    await this.databaseRead;
  }

  /**
   * The connection configuration for a command. Refuses with the reason in untrusted and virtual workspaces and
   * when no database is configured; asks for a missing password once.
   */
  async resolveDatabaseForCommand(): Promise<ResolvedDatabase> {
    await this.loading;
    const blocked = this.blockedReason();
    if (blocked) throw blocked;
    const environment = this.activeEnvironment;
    if (environment?.fleet) {
      throw new DatabaseUnavailableError(
        'fleet',
        `The active environment ${environment.name} is a fleet: Up and Go To Version run across its databases; ` +
          'choose an environment with one database for this command.',
      );
    }
    if (this.environmentProblem !== undefined) {
      throw new DatabaseUnavailableError('invalid-url', this.environmentProblem);
    }
    const target = this.databaseTarget;
    if (!target) {
      throw new DatabaseUnavailableError(
        'not-configured',
        `No database for ${this.folder.name}: set migrationLens.databaseUrl with "Migration Lens: Configure Database", or add DATABASE_URL to .env.`,
      );
    }
    const found = await resolveDatabase(target, readSettings(this.folder), this.services.secrets);
    const resolved = found.passwordUnknown ? await this.withPasswordIfRefused(found) : found;
    this.services.onConnect();
    return resolved;
  }

  /**
   * No password in the URL and none stored: tries the empty one first, and asks only when the server refuses that
   * login; the answer goes to the secret storage. Only commands ask: a prompt the tree popped up by itself while
   * browsing (once per folder) would come out of nowhere; the tree says which command asks instead.
   */
  private async withPasswordIfRefused(resolved: ResolvedDatabase): Promise<ResolvedDatabase> {
    this.services.onConnect();
    // Any other failure is the command's to report, as it would be with a password.
    if (!(await loginRefused(resolved.config).catch(() => false))) return resolved;
    const password = await this.askPasswordAfterRefusal(resolved.target.redactedUrl);
    return { ...resolved, config: { ...resolved.config, password }, passwordUnknown: false };
  }

  private async askPasswordAfterRefusal(redactedUrl: string): Promise<string> {
    const password = await this.services.secrets.askAfterRefusal(redactedUrl);
    if (password === undefined) {
      throw new DatabaseUnavailableError('no-password', `${redactedUrl} needs a password, and none was entered.`);
    }
    return password;
  }

  /**
   * The active fleet ready to connect for a command: a password no variable gives comes from the secret storage, or
   * is asked for once the server refused the login without it.
   */
  async resolveFleetForCommand(): Promise<ResolvedEnvironment> {
    await this.loading;
    const blocked = this.blockedReason();
    if (blocked) throw blocked;
    const environment = this.activeEnvironment;
    if (!environment?.fleet) throw new Error('the active environment is not a fleet');
    const resolved = await environmentWithStoredPassword(this.folder, environment, this.services.secrets);
    this.services.onConnect();
    if (resolved.config.password !== '' || !(await loginRefused(resolved.config))) return resolved;
    return withPassword(resolved, await this.askPasswordAfterRefusal(resolved.redactedUrl));
  }

  /**
   * The connection configuration for reading in the background (the models check): undefined where commands are
   * refused or no database is set up; never asks for a password.
   */
  async backgroundDatabase(): Promise<DatabaseConfig | undefined> {
    await this.loading;
    const target = this.databaseTarget;
    if (this.blockedState() || !target) return undefined;
    const { config } = await resolveDatabase(target, readSettings(this.folder), this.services.secrets);
    this.services.onConnect();
    return config;
  }

  private blockedReason(): DatabaseUnavailableError | undefined {
    const blocked = this.blockedState();
    return blocked && new DatabaseUnavailableError(blocked.kind, BLOCKED_MESSAGES[blocked.kind]);
  }

  private async load(): Promise<void> {
    // Loads overlap (two settings saved together, a trust grant): only the latest one publishes what it read.
    const generation = ++this.loadGeneration;
    const settings = readSettings(this.folder);
    await this.environments.load();
    const environment = this.environments.active;
    const migrationsFolder = await locateMigrationsFolder(this.folder, environment?.path ?? settings.migrationsPath);
    const files = migrationsFolder ? await this.readFolder(migrationsFolder.uri) : undefined;
    const { target: databaseTarget, problem } = vscode.workspace.isTrusted
      ? await this.findTarget(environment, settings)
      : { target: undefined, problem: undefined };
    if (generation !== this.loadGeneration) return;
    this.environmentProblem = problem;
    this.watchMigrations(migrationsFolder?.uri);
    this.migrationsFolder = migrationsFolder;
    this.migrationsFolderExists = files?.exists ?? false;
    this.catalog = files?.catalog ?? Catalog.empty;
    this.contents.clear();
    for (const [name, text] of files?.contents ?? []) this.contents.set(name, text);
    this.databaseTarget = databaseTarget;
    this.loaded = true;
    this.fire(true, false);
    if (this.databaseWanted) await Promise.all([this.readDatabase(), this.refreshEnvironments()]);
    else this.setDatabase(this.unreadDatabaseState());
  }

  /** The active environment's database (none for a fleet), else the setting's or the project's. */
  private async findTarget(
    environment: EnvironmentSpec | undefined,
    settings: EditorSettings,
  ): Promise<{ target: DatabaseTarget | undefined; problem: string | undefined }> {
    if (!environment) return { target: await findDatabaseTarget(this.folder, settings), problem: undefined };
    if (environment.fleet) return { target: undefined, problem: undefined };
    try {
      return {
        target: environmentDatabaseTarget(await expandEnvironment(this.folder, environment)),
        problem: undefined,
      };
    } catch (error) {
      return { target: undefined, problem: errorMessage(error) };
    }
  }

  /**
   * Lists a migrations folder (subdirectories skipped, as golang-migrate skips them) and reads every file: a local
   * folder through the file source's reader, which takes a fraction of the time of 20,000 workspace.fs round trips to
   * the editor's main process; other schemes, or a local folder that reader fails on, through workspace.fs.
   */
  private async readFolder(folder: vscode.Uri): Promise<FolderFiles> {
    if (folder.scheme !== 'file') return readFolderThroughWorkspace(folder);
    let listing;
    try {
      listing = await readMigrationFolder(folder.fsPath);
    } catch {
      return readFolderThroughWorkspace(folder);
    }
    // As readText decodes: a leading byte order mark is not part of the text, and unsaved edits win.
    const contents = new Map([...contentsOf(listing)].map(([name, text]) => [name, text.replace(/^\uFEFF/, '')]));
    for (const document of vscode.workspace.textDocuments) {
      const name = baseName(document.uri);
      if (document.isDirty && isDirectChild(folder, document.uri) && contents.has(name)) {
        contents.set(name, document.getText());
      }
    }
    return { exists: true, catalog: Catalog.fromFiles(listing.files), contents };
  }

  private watch(pattern: vscode.RelativePattern): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const created = watcher.onDidCreate((uri) => {
      this.projectFileChanged(uri);
      void this.fileCreated(uri);
    });
    const changed = watcher.onDidChange((uri) => {
      this.projectFileChanged(uri);
      void this.fileChanged(uri);
    });
    const deleted = watcher.onDidDelete((uri) => {
      this.projectFileChanged(uri);
      this.fileDeleted(uri);
    });
    return vscode.Disposable.from(watcher, created, changed, deleted);
  }

  /** Watches the migrations folder; the same folder keeps its watcher (re-arming one can lose events). */
  private watchMigrations(migrationsFolder: vscode.Uri | undefined): void {
    const wanted = migrationsFolder?.toString();
    if (this.migrationsWatcher?.uri === wanted) return;
    this.migrationsWatcher?.watcher.dispose();
    this.migrationsWatcher =
      migrationsFolder && wanted !== undefined
        ? { uri: wanted, watcher: this.watch(new vscode.RelativePattern(migrationsFolder, '*')) }
        : undefined;
  }

  /**
   * `.env` or a Makefile at the folder's root changed: where the database comes from may have changed. The project
   * file changed: the environments, and with them the folder and the database, may have.
   */
  private projectFileChanged(uri: vscode.Uri): void {
    if (!PROJECT_FILES.has(baseName(uri)) || !isDirectChild(this.folder.uri, uri)) return;
    if (baseName(uri) === PROJECT_FILE_NAME) void this.reload();
    else void this.reloadDatabaseTarget();
  }

  private async fileCreated(uri: vscode.Uri): Promise<void> {
    if (!this.isMigrationsFile(uri)) return;
    try {
      if (((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) === 0) return;
    } catch {
      return;
    }
    const name = baseName(uri);
    const text = await readText(uri);
    // Built after the read: files created together (one WorkspaceEdit) are handled concurrently, and a catalog taken
    // before the await would drop the other files added meanwhile.
    const catalog = this.catalog.withFileAdded(name);
    // The same creation can be reported twice (the editor's own file operation, then the watcher).
    if (catalog === this.catalog && (text === undefined || text === this.contents.get(name))) return;
    this.catalog = catalog;
    if (text !== undefined) this.contents.set(name, text);
    this.fire(true, false);
  }

  private async fileChanged(uri: vscode.Uri): Promise<void> {
    if (!this.isMigrationsFile(uri)) return;
    const name = baseName(uri);
    // The server's watcher reports a new file as changed when its list of the folder already had the name (a file
    // deleted and written again faster than it notices): a file the model does not know is a creation.
    if (!this.contents.has(name)) return this.fileCreated(uri);
    const text = await readText(uri);
    if (text === undefined || text === this.contents.get(name)) return;
    this.contents.set(name, text);
    this.fire(true, false);
  }

  private fileDeleted(uri: vscode.Uri): void {
    if (!this.isMigrationsFile(uri)) return;
    const name = baseName(uri);
    const catalog = this.catalog.withFileRemoved(name);
    if (catalog === this.catalog && !this.contents.has(name)) return;
    this.catalog = catalog;
    this.contents.delete(name);
    this.fire(true, false);
  }

  private documentChanged(document: vscode.TextDocument): void {
    if (!this.isMigrationsFile(document.uri)) return;
    const name = baseName(document.uri);
    if (!this.contents.has(name)) return;
    const text = document.getText();
    if (text === this.contents.get(name)) return;
    this.contents.set(name, text);
    this.fire(true, false, true);
  }

  /** Closing an editor without saving drops its unsaved text: lint the file on disk again. */
  private async documentClosed(document: vscode.TextDocument): Promise<void> {
    if (!this.isMigrationsFile(document.uri)) return;
    const name = baseName(document.uri);
    if (!this.contents.has(name)) return;
    await this.fileChanged(document.uri);
  }

  /** A file directly in the migrations folder (where golang-migrate reads). */
  isMigrationsFile(uri: vscode.Uri): boolean {
    return this.migrationsFolder !== undefined && isDirectChild(this.migrationsFolder.uri, uri);
  }

  private async reloadDatabaseTarget(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const { target, problem } = await this.findTarget(this.environments.active, readSettings(this.folder));
    this.databaseTarget = target;
    this.environmentProblem = problem;
    if (this.databaseWanted) await this.refreshDatabase();
    else this.setDatabase(this.unreadDatabaseState());
  }

  /** The database state before anything is read: blocked, or whether there is a database to read. */
  private unreadDatabaseState(): DatabaseState {
    return (
      this.blockedState() ??
      this.environmentState() ??
      (this.databaseTarget ? { kind: 'idle' } : { kind: 'not-configured' })
    );
  }

  /** The state an active environment decides before any read: a fleet, or why it cannot be used. */
  private environmentState(): DatabaseState | undefined {
    const environment = this.environments.active;
    if (environment?.fleet) return { kind: 'fleet', environment: environment.name };
    if (this.environmentProblem !== undefined) return { kind: 'unreachable', reason: this.environmentProblem };
    return undefined;
  }

  private blockedState(): { readonly kind: 'untrusted' | 'virtual' } | undefined {
    if (!vscode.workspace.isTrusted) return { kind: 'untrusted' };
    if (this.folder.uri.scheme !== 'file') return { kind: 'virtual' };
    return undefined;
  }

  private async readDatabase(): Promise<void> {
    const blocked = this.blockedState() ?? this.environmentState();
    if (blocked) return this.setDatabase(blocked);
    const target = this.databaseTarget;
    if (!target) return this.setDatabase({ kind: 'not-configured' });
    if (this.database.kind !== 'connected') this.setDatabase({ kind: 'connecting' });
    let passwordUnknown = false;
    try {
      const settings = readSettings(this.folder);
      const resolved = await resolveDatabase(target, settings, this.services.secrets);
      passwordUnknown = resolved.passwordUnknown;
      this.services.onConnect();
      this.showLook(await lookAtDatabase(resolved.config, ledgerSettings(settings)), target.redactedUrl);
    } catch (error) {
      const refusedWithoutPassword = passwordUnknown && error instanceof DatabaseConnectionError && error.loginRefused;
      const reason = refusedWithoutPassword
        ? `the server refused ${target.redactedUrl} without a password: Show Database Version (or any command that ` +
          'reaches the database) asks for it, or set it with Configure Database'
        : error instanceof Error
          ? error.message
          : String(error);
      this.services.log(`${this.folder.name}: cannot read the database version of ${target.redactedUrl}: ${reason}`);
      this.setDatabase({ kind: 'unreachable', reason });
    }
  }

  /** Shows what a look at the database found (the model's own read, or the one a run made after it ran). */
  showLook(looked: LookedState, redactedUrl: string): void {
    this.setDatabase({
      kind: 'connected',
      version: looked.version ?? { version: NIL_VERSION, dirty: false },
      redactedUrl,
      ...(looked.lockHolder && { lockHolder: looked.lockHolder }),
      ...(looked.ledger && { ledger: looked.ledger }),
    });
  }

  /** What a run from this folder works on, once the database is resolved. */
  /**
   * What a run of `environment` needs besides it: this folder's migrations folder unless the environment names its
   * own, and the ledger and lock timeout of the settings.
   */
  environmentRunSettings(environment: EnvironmentSpec): EnvironmentRunSettings {
    const settings = readSettings(this.folder);
    const folder = environment.path === undefined ? this.migrationsFolder?.uri.fsPath : undefined;
    return {
      ...(folder !== undefined && { folder }),
      ledger: ledgerSettings(settings),
      lockTimeoutSeconds: settings.lockTimeoutSeconds,
    };
  }

  runTarget(config: DatabaseConfig): RunTarget {
    const settings = readSettings(this.folder);
    return {
      folder: this.migrationsFolder?.uri.fsPath ?? this.folder.uri.fsPath,
      database: config,
      ledger: ledgerSettings(settings),
      lockTimeoutSeconds: settings.lockTimeoutSeconds,
    };
  }

  private setDatabase(state: DatabaseState): void {
    if (sameDatabaseState(this.database, state)) return;
    this.database = state;
    this.fire(false, true);
  }

  private fire(files: boolean, database: boolean, unsaved = false): void {
    if (files) this.filesRevision++;
    this.changeEmitter.fire({ model: this, files, database, ...(unsaved && { unsaved }) });
  }
}

interface FolderFiles {
  readonly exists: boolean;
  readonly catalog: Catalog;
  readonly contents: Map<string, string>;
}

async function readFolderThroughWorkspace(folder: vscode.Uri): Promise<FolderFiles> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return { exists: false, catalog: Catalog.empty, contents: new Map() };
  }
  const names = entries.filter(([, type]) => (type & vscode.FileType.File) !== 0).map(([name]) => name);
  const contents = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      const text = await readText(vscode.Uri.joinPath(folder, name));
      if (text !== undefined) contents.set(name, text);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, names.length) }, worker));
  return { exists: true, catalog: Catalog.fromFiles(names.map((name) => ({ name }))), contents };
}

/**
 * The text of a migration file: an open editor's when it has unsaved edits (what lint should see while typing),
 * else the disk's, which is newer than an open editor's copy that has not caught up with a change on disk yet.
 */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return open?.getText();
  }
}

/** The ledger as a run reads and writes it, from the folder's settings. */
function ledgerSettings(settings: EditorSettings): LedgerSettings {
  return {
    ...(settings.safety.ledgerTable !== undefined && { table: settings.safety.ledgerTable }),
    create: settings.safety.ledgerCreate,
  };
}

function sameDatabaseState(a: DatabaseState, b: DatabaseState): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'connected' && b.kind === 'connected') {
    return (
      a.redactedUrl === b.redactedUrl &&
      a.version.version === b.version.version &&
      a.version.dirty === b.version.dirty &&
      a.lockHolder?.connectionId === b.lockHolder?.connectionId &&
      sameLedger(a.ledger, b.ledger)
    );
  }
  if (a.kind === 'unreachable' && b.kind === 'unreachable') return a.reason === b.reason;
  if (a.kind === 'fleet' && b.kind === 'fleet') return a.environment === b.environment;
  return true;
}

/** Whether two reads of the ledger recorded the same runs (a new read of an unchanged ledger changes nothing). */
function sameLedger(a: readonly LedgerEntry[] | undefined, b: readonly LedgerEntry[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.length === b.length &&
    a.every((entry, index) => {
      const other = b[index];
      return (
        entry.version === other.version &&
        entry.state === other.state &&
        entry.upChecksum === other.upChecksum &&
        entry.lastError?.at?.getTime() === other.lastError?.at?.getTime() &&
        entry.appliedAt?.getTime() === other.appliedAt?.getTime()
      );
    })
  );
}
