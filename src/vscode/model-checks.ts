import path from 'node:path';
import * as vscode from 'vscode';
import { GoSourceIndex, listGoFiles, loadGoReader } from '../adapters/go-source';
import { readVerifyMigrations } from '../adapters/verify-migrations';
import {
  checkModels,
  PendingSchemaCache,
  pendingVersionsOf,
  readLiveSchema,
  type LiveSchema,
  type ModelComparisons,
  type ModelsCheck,
  type PendingSchemas,
} from '../app/models-check';
import { GormModelIndex } from '../core/gorm-models';
import type { GoFile } from '../core/go-declarations';
import type { ModelFinding } from '../core/models-compare';
import { optionalText } from '../core/setting-values';
import { SETTINGS_SECTION } from './config';
import { scratchServerFor } from './database-target';
import { DIAGNOSTIC_SOURCE, FileDiagnostics, lineDiagnostic, SEVERITIES } from './diagnostics';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import type { WorkspaceModel } from './workspace-model';
import { errorMessage } from '../core/errors';

/** A folder's models check as the editor shows it. */
export type ModelsState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'no-models' }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'checked'; readonly check: ModelsCheck };

/** What to tell after an up or down run: the findings that are new since the check before it. */
export interface ModelsRunNotice {
  readonly findings: readonly ModelFinding[];
  readonly message: string;
}

/** Findings a run can bring about, worth a notification: not the notes about what cannot be known. */
const NOTIFIED = new Set([
  'model-table-missing',
  'model-field-missing-column',
  'model-column-required',
  'model-column-without-field',
  'model-type-mismatch',
  'model-unique-index-missing',
]);

/** Waits for a burst of changes (a checkout, several saves) to settle before a check. */
const SETTLE_MS = 300;

interface FolderState {
  readonly root: string;
  goFiles?: GoSourceIndex;
  live?: LiveSchema;
  pendingVersions: readonly bigint[];
  pending: PendingSchemas;
  state: ModelsState;
  readonly cache: PendingSchemaCache;
  /** Models and their findings kept between checks: a saved file rebuilds only its package's models. */
  readonly models: GormModelIndex;
  readonly compared: ModelComparisons;
  /** The last look found no Go file: none is searched for again until one is created or saved. */
  noGoFiles?: boolean;
  /** The URIs the folder's diagnostics were last put on. */
  published: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
}

/**
 * GORM models against the schema, per workspace folder: read once the database version is known, again when it or
 * the migrations change, and from the kept schemas alone when a Go file is saved (only that file is parsed again).
 * Shown as diagnostics on the struct fields' lines and as the Models node of the tree.
 */
export class ModelChecks extends Disposable {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<FolderModel>());
  /** Fires when a folder's models state changed. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens.models'));
  private readonly folders = new Map<FolderModel, FolderState>();

  constructor(
    private readonly workspace: WorkspaceModel,
    private readonly log: (message: string) => void,
  ) {
    super();
    this.register(
      workspace.onDidChange((change) => {
        if (!workspace.folders.includes(change.model)) return this.forget(change.model);
        // The check reads the migrations from disk: text typed and not saved changes nothing it reads.
        if (change.model.database.kind === 'connected' && !change.unsaved) this.schedule(change.model);
      }),
    );
    this.register(
      vscode.workspace.onDidSaveTextDocument((document) => {
        this.goFileChanged(document.uri);
        this.migrationSaved(document.uri);
      }),
    );
    this.register(vscode.workspace.onDidCreateFiles(({ files }) => files.forEach((uri) => this.goFileChanged(uri))));
    this.register(vscode.workspace.onDidDeleteFiles(({ files }) => files.forEach((uri) => this.goFileChanged(uri))));
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const model of workspace.folders) {
          if (event.affectsConfiguration(`${SETTINGS_SECTION}.modelsPath`, model.folder)) {
            this.forget(model);
            if (model.database.kind === 'connected') this.schedule(model);
          }
        }
      }),
    );
    this.register({
      dispose: () => {
        for (const state of this.folders.values()) clearTimeout(state.timer);
      },
    });
    for (const model of workspace.folders) if (model.database.kind === 'connected') this.schedule(model);
  }

  /** The folder's models state; undefined before its first check. */
  stateOf(model: FolderModel): ModelsState | undefined {
    return this.folders.get(model)?.state;
  }

  /** Checks the folder now: Go files, live schema and (cached) pending replay. Resolves with the new state. */
  async check(model: FolderModel): Promise<ModelsState | undefined> {
    const state = this.folderState(model);
    clearTimeout(state.timer);
    state.running = (state.running ?? Promise.resolve()).then(() => this.runCheck(model, state));
    await state.running;
    return this.folders.get(model)?.state;
  }

  /**
   * After an up or down run from the editor: checks again and returns the findings that the run brought about (not
   * there before it), with a message listing their fields; undefined when models and schema still agree as before.
   */
  async afterRun(model: FolderModel): Promise<ModelsRunNotice | undefined> {
    const before = this.folders.get(model)?.state;
    const known = new Set(before?.kind === 'checked' ? before.check.current.map(findingKey) : []);
    const after = await this.check(model);
    if (after?.kind !== 'checked') return undefined;
    const findings = after.check.current.filter(
      (finding) => NOTIFIED.has(finding.code) && !known.has(findingKey(finding)),
    );
    if (findings.length === 0) return undefined;
    const version = after.check.live.version.version;
    const fields = findings.map((finding) =>
      finding.field !== undefined
        ? `${finding.model}.${finding.field}`
        : finding.column !== undefined
          ? `${finding.table}.${finding.column}`
          : finding.model,
    );
    return {
      findings,
      message: `The models no longer match the schema at version ${version}: ${[...new Set(fields)].join(', ')}. Update the Go structs (quick fixes are on the diagnostics).`,
    };
  }

  private folderState(model: FolderModel): FolderState {
    let state = this.folders.get(model);
    if (!state) {
      const setting = optionalText(vscode.workspace.getConfiguration(SETTINGS_SECTION, model.folder).get('modelsPath'));
      const root = setting === undefined ? model.folder.uri.fsPath : path.resolve(model.folder.uri.fsPath, setting);
      state = {
        root,
        pendingVersions: [],
        pending: { kind: 'replayed', schemas: [] },
        // No Models node until Go files are found: a workspace without Go code never shows one.
        state: { kind: 'no-models' },
        cache: new PendingSchemaCache(),
        models: new GormModelIndex(),
        compared: new WeakMap(),
        published: new Set(),
      };
      this.folders.set(model, state);
    }
    return state;
  }

  private schedule(model: FolderModel): void {
    if (model.folder.uri.scheme !== 'file' || !model.hasMigrations) return;
    const state = this.folderState(model);
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void this.check(model), SETTLE_MS);
  }

  private async runCheck(model: FolderModel, state: FolderState): Promise<void> {
    if (this.folders.get(model) !== state) return;
    try {
      if (!state.goFiles) {
        // Without Go files nothing connects or loads the Go reader, until a Go file is created or saved.
        if (state.noGoFiles || (await listGoFiles(state.root)).length === 0) {
          state.noGoFiles = true;
          return this.setState(model, state, { kind: 'no-models' });
        }
        this.setState(model, state, { kind: 'checking' });
        state.goFiles = new GoSourceIndex(state.root, await loadGoReader());
      }
      const migrationsFolder = model.migrationsFolder?.uri.fsPath;
      const database = await model.backgroundDatabase();
      if (!migrationsFolder || !database) {
        return this.setState(model, state, { kind: 'failed', reason: 'no database to compare with' });
      }
      const [files, migrations, live] = await Promise.all([
        state.goFiles.refresh(),
        readVerifyMigrations(migrationsFolder),
        readLiveSchema(database),
      ]);
      const scratchServer = scratchServerFor(model.folder, database);
      state.live = live;
      state.pendingVersions = pendingVersionsOf(migrations, live.version.version);
      state.pending = await state.cache.pendingSchemas(migrations, live.version.version, database, {
        ...(scratchServer && { scratchServer }),
      });
      if (state.pending.kind === 'failed')
        this.log(`${model.folder.name}: models after the pending migrations: ${state.pending.reason}`);
      this.recompare(model, state, files);
    } catch (error) {
      const reason = errorMessage(error);
      this.log(`${model.folder.name}: cannot check the models: ${reason}`);
      this.setState(model, state, { kind: 'failed', reason });
    }
  }

  /**
   * A saved migration: the folder model fires nothing when the text saved is the unsaved text it already had, but
   * the after-pending schema is read from the files on disk, which have just changed.
   */
  private migrationSaved(uri: vscode.Uri): void {
    const model = this.workspace.folderFor(uri);
    if (model?.isMigrationsFile(uri) && model.database.kind === 'connected') this.schedule(model);
  }

  /** A saved, created or deleted Go file: parse it alone and compare again with the schemas already read. */
  private goFileChanged(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || !uri.fsPath.endsWith('.go')) return;
    const model = this.workspace.folderFor(uri);
    const state = model && this.folders.get(model);
    if (!model || !state?.goFiles || !state.live || !state.goFiles.covers(uri.fsPath)) {
      if (model && state && !state.goFiles) {
        state.noGoFiles = false;
        if (model.database.kind === 'connected') this.schedule(model);
      }
      return;
    }
    this.recompare(model, state, state.goFiles.update(uri.fsPath));
  }

  private recompare(model: FolderModel, state: FolderState, files: readonly GoFile[]): void {
    if (!state.live) return;
    const models = state.models.models(files);
    if (models.length === 0) return this.setState(model, state, { kind: 'no-models' });
    this.setState(model, state, {
      kind: 'checked',
      check: checkModels(models, state.live, state.pendingVersions, state.pending, state.compared),
    });
  }

  private setState(model: FolderModel, state: FolderState, next: ModelsState): void {
    if (this.folders.get(model) !== state || (next.kind === 'no-models' && state.state.kind === 'no-models')) return;
    state.state = next;
    this.publish(state);
    this.changeEmitter.fire(model);
  }

  /** Diagnostics on the fields' lines for the findings at the database's version. */
  private publish(state: FolderState): void {
    const files = new FileDiagnostics();
    const findings = state.state.kind === 'checked' ? state.state.check.current : [];
    for (const finding of findings) {
      const text = state.goFiles?.text(finding.file);
      const severity = SEVERITIES[finding.severity];
      files.add(
        vscode.Uri.file(finding.file),
        lineDiagnostic(text, finding.line, finding.message, severity, finding.code),
      );
    }
    state.published = files.publishTo(this.collection, state.published);
  }

  private forget(model: FolderModel): void {
    const state = this.folders.get(model);
    if (!state) return;
    clearTimeout(state.timer);
    this.folders.delete(model);
    new FileDiagnostics().publishTo(this.collection, state.published);
    this.changeEmitter.fire(model);
  }

  /** The finding a diagnostic of ours shows, and what its quick fixes need. */
  findingFor(
    uri: vscode.Uri,
    diagnostic: vscode.Diagnostic,
  ): { model: FolderModel; finding: ModelFinding; check: ModelsCheck } | undefined {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
    for (const [model, state] of this.folders) {
      if (state.state.kind !== 'checked') continue;
      const check = state.state.check;
      const finding = check.current.find(
        (candidate) =>
          candidate.code === diagnostic.code &&
          candidate.message === diagnostic.message &&
          candidate.line === diagnostic.range.start.line + 1 &&
          vscode.Uri.file(candidate.file).toString() === uri.toString(),
      );
      if (finding) return { model, finding, check };
    }
    return undefined;
  }
}

function findingKey(finding: ModelFinding): string {
  return [finding.code, finding.model, finding.field ?? '', finding.column ?? ''].join('\n');
}
