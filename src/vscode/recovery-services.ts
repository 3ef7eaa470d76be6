import * as vscode from 'vscode';
import { safetySeverity } from '../core/rules';
import { driftLabel, driftVerdicts, type DriftVerdict, type LedgerEntry } from '../core/safety-drift';
import { describeFailure, failureBehind } from '../core/safety-recovery';
import { ignoreDirectives } from '../core/rule-settings';
import { FileDiagnostics, lineDiagnostic, SEVERITIES } from './diagnostics';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import type { VersionAnnotation, VersionAnnotations } from './views/migrations-tree';
import type { WorkspaceModel } from './workspace-model';

/** Read-only documents: a content provider's documents cannot be edited or saved. */
export const PREVIEW_SCHEME = 'migration-lens-preview';

/**
 * What the ledger beside the version table says about each folder (read with the database's version, by the model or
 * by the run that changed it), compared with the files on every change. It annotates the tree's version rows
 * (edited, reformatted, applied outside Migration Lens, failed) and puts the same words on the up files as
 * diagnostics, plus an error on the line where the failed run of a dirty version stopped. Owned by the container.
 */
export class SafetyServices extends Disposable implements VersionAnnotations {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens.safety'));
  /** Drift by folder, computed once per change of its files or database (the tree asks once per row). */
  private readonly driftCache = new Map<FolderModel, ReadonlyMap<bigint, DriftVerdict>>();
  private readonly published = new Map<FolderModel, Set<string>>();
  /** Texts of the read-only documents shown (dry-run plans, files from git history), by URI. */
  private readonly previews = new Map<string, string>();
  private previewCount = 0;

  constructor(private readonly workspace: WorkspaceModel) {
    super();
    this.register(
      workspace.onDidChange(({ model }) => {
        this.driftCache.delete(model);
        this.publish(model);
      }),
    );
    for (const model of workspace.folders) this.publish(model);
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
        provideTextDocumentContent: (uri) => this.previews.get(uri.toString()),
      }),
    );
  }

  /** Opens `text` in a read-only editor titled `title` (its extension picks the language). */
  async showReadOnly(title: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${title}`, query: String(++this.previewCount) });
    this.previews.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  /** The ledger as the folder's last look at its database read it; undefined without one. */
  ledger(model: FolderModel): readonly LedgerEntry[] | undefined {
    const state = model.database;
    return state.kind === 'connected' ? state.ledger : undefined;
  }

  /** Drift of every applied version with an up file, by version; empty without a connected database. */
  drift(model: FolderModel): ReadonlyMap<bigint, DriftVerdict> {
    const cached = this.driftCache.get(model);
    if (cached) return cached;
    const state = model.database;
    const verdicts =
      state.kind === 'connected' ? driftVerdicts(model.catalog, state.version, model.contents, this.ledger(model)) : [];
    const drift = new Map(verdicts.map((verdict) => [verdict.version, verdict]));
    this.driftCache.set(model, drift);
    return drift;
  }

  annotate(model: FolderModel, version: bigint): VersionAnnotation | undefined {
    const state = model.database;
    if (state.kind === 'connected' && state.version.dirty && state.version.version === version) {
      const failure = failureBehind(this.ledger(model) ?? [], model.catalog, version)?.failure;
      if (failure) {
        return {
          description: failure.line === undefined ? 'failed' : `failed at line ${failure.line}`,
          tooltip: `${describeFailure(failure)}\n\nRun **Migration Lens: Recover** to choose the version to force.`,
        };
      }
    }
    const verdict = this.drift(model).get(version);
    const label = verdict && driftLabel(verdict.kind);
    return label === undefined ? undefined : { description: label, tooltip: verdict?.message ?? label };
  }

  private publish(model: FolderModel): void {
    const files = new FileDiagnostics();
    const live = this.workspace.folders.includes(model) && model.hasMigrations;
    // The project may set these rules' severities or turn them off, and a file may silence them.
    const add = (
      fileName: string,
      line: number,
      message: string,
      code: string,
      severity: vscode.DiagnosticSeverity,
    ) => {
      const uri = model.fileUri(fileName);
      const text = model.contents.get(fileName);
      const setting = model.projectConfig.rules.get(code);
      if (!uri || setting === 'off' || ignoreDirectives(text ?? '').has(code)) return;
      files.add(uri, lineDiagnostic(text, line, message, setting === undefined ? severity : SEVERITIES[setting], code));
    };
    for (const verdict of live ? this.drift(model).values() : []) {
      if (verdict.message === undefined || verdict.severity === undefined) continue;
      // A database adopted from golang-migrate has every applied file outside: a hint marks each without filling
      // the Problems panel.
      const severity =
        verdict.kind === 'outside' && verdict.severity === 'info'
          ? vscode.DiagnosticSeverity.Hint
          : SEVERITIES[verdict.severity];
      add(verdict.fileName, 1, verdict.message, `drift-${verdict.kind}`, severity);
    }
    const state = model.database;
    const dirty = live && state.kind === 'connected' && state.version.dirty ? state.version.version : undefined;
    const failure =
      dirty === undefined ? undefined : failureBehind(this.ledger(model) ?? [], model.catalog, dirty)?.failure;
    if (failure?.fileName !== undefined) {
      const message = `${describeFailure(failure)}. The database is dirty at version ${dirty}: run "Migration Lens: Recover".`;
      add(failure.fileName, failure.line ?? 1, message, 'failed-run', SEVERITIES[safetySeverity('failed-run')]);
    }
    this.published.set(model, files.publishTo(this.collection, this.published.get(model)));
    this.changeEmitter.fire();
  }
}
