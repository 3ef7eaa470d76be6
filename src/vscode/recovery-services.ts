import * as vscode from 'vscode';
import { MigrationLedger, readLedger, type LedgerSettings } from '../adapters/ledger-store';
import { checksumsOf } from '../core/safety-checksum';
import { driftLabel, driftVerdicts, type DriftVerdict, type LedgerEntry } from '../core/safety-drift';
import { describeFailure, failureBehind } from '../core/safety-recovery';
import { ignoreDirectives } from '../core/rule-settings';
import { normaliseSafetySettings, type SafetySettings } from '../core/safety-settings';
import { readSettings, SETTINGS_SECTION } from './config';
import type { Container } from './container';
import { resolveDatabase } from './database-target';
import { FileDiagnostics, lineDiagnostic, SEVERITIES } from './diagnostics';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import type { VersionAnnotation, VersionAnnotations } from './views/migrations-tree';

/** Read-only documents: a content provider's documents cannot be edited or saved. */
export const PREVIEW_SCHEME = 'migration-lens-preview';

const services = new WeakMap<Container, SafetyServices>();

/** The container's safety services, made on first use and disposed with the extension. */
export function safetyServices(container: Container): SafetyServices {
  let found = services.get(container);
  if (!found) {
    found = new SafetyServices(container);
    services.set(container, found);
    container.context.subscriptions.push(found, container.tree.addVersionAnnotations(found));
  }
  return found;
}

/**
 * What the ledger beside the version table says about each folder: read again whenever the database version changes,
 * compared with the files on every change. It annotates the tree's version rows (edited, reformatted, applied outside
 * Migration Lens, failed) and puts the same words on the up files as diagnostics, plus an error on the line where the
 * failed run of a dirty version stopped.
 */
class SafetyServices extends Disposable implements VersionAnnotations {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens.safety'));
  private readonly ledgers = new Map<FolderModel, readonly LedgerEntry[] | undefined>();
  private readonly generations = new Map<FolderModel, number>();
  /** Drift by folder, computed once per change of its files, database or ledger (the tree asks once per row). */
  private readonly driftCache = new Map<FolderModel, ReadonlyMap<bigint, DriftVerdict>>();
  private readonly published = new Map<FolderModel, Set<string>>();
  /** Texts of the read-only documents shown (dry-run plans, files from git history), by URI. */
  private readonly previews = new Map<string, string>();
  private previewCount = 0;

  constructor(private readonly container: Container) {
    super();
    this.register(
      container.model.onDidChange(({ model, database }) => {
        this.driftCache.delete(model);
        if (database) void this.refreshLedger(model);
        else this.publish(model);
      }),
    );
    for (const model of container.model.folders) void this.refreshLedger(model);
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

  /** The folder's backup and ledger settings. */
  settings(model: FolderModel): SafetySettings {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, model.folder);
    return normaliseSafetySettings((key) => configuration.get(key));
  }

  /** The ledger settings for the migrator and for reading. */
  ledgerSettings(model: FolderModel): LedgerSettings {
    const settings = this.settings(model);
    return {
      ...(settings.ledgerTable !== undefined && { table: settings.ledgerTable }),
      create: settings.ledgerCreate,
    };
  }

  /** The ledger as last read for the folder; undefined before the first read or when the database has none. */
  ledger(model: FolderModel): readonly LedgerEntry[] | undefined {
    return this.ledgers.get(model);
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

  /**
   * After a dirty database was forced: records the migration whose run failed as applied (with its up file as it is
   * now: the user said all of its changes are in place) or as not applied, so the ledger stops reporting the failure. Nothing is
   * recorded without a ledger table (or with one that may not be created); a failure is only logged.
   */
  async recordRecovery(model: FolderModel, version: bigint, applied: boolean): Promise<void> {
    const target = model.databaseTarget;
    if (!target) return;
    let ledger: MigrationLedger | undefined;
    try {
      const { config } = await resolveDatabase(target, readSettings(model.folder), this.container.secrets, false);
      ledger = await MigrationLedger.open(config, this.ledgerSettings(model));
      if (!(await ledger.prepare())) return;
      if (!applied) {
        await ledger.recordReverted(version, 0);
      } else {
        const up = model.catalog.get(version)?.up;
        const text = up && model.contents.get(up.fileName);
        await ledger.recordApplied(version, up?.fileName, text === undefined ? undefined : checksumsOf(text), 0);
      }
    } catch (error) {
      this.container.output.warn(
        `${model.folder.name}: the recovery was not recorded in the ledger: ${(error as Error).message}`,
      );
    } finally {
      await ledger?.close();
    }
    await this.refreshLedger(model);
  }

  /** Reads the ledger again (after a run, or when the database version changed) and republishes. */
  async refreshLedger(model: FolderModel): Promise<void> {
    // Reads overlap (a run's end and the version change it causes): only the latest one publishes.
    const generation = (this.generations.get(model) ?? 0) + 1;
    this.generations.set(model, generation);
    const state = model.database;
    const target = model.databaseTarget;
    let entries: readonly LedgerEntry[] | undefined;
    if (state.kind === 'connected' && target) {
      try {
        const { config } = await resolveDatabase(target, readSettings(model.folder), this.container.secrets, false);
        entries = await readLedger(config, this.ledgerSettings(model));
      } catch (error) {
        this.container.output.warn(`${model.folder.name}: cannot read the ledger: ${(error as Error).message}`);
      }
    }
    if (this.generations.get(model) !== generation) return;
    this.ledgers.set(model, entries);
    this.driftCache.delete(model);
    this.publish(model);
  }

  private publish(model: FolderModel): void {
    const files = new FileDiagnostics();
    const live = this.container.model.folders.includes(model) && model.hasMigrations;
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
      if (verdict.message === undefined) continue;
      const severity =
        verdict.kind === 'edited'
          ? vscode.DiagnosticSeverity.Warning
          : verdict.kind === 'reformatted'
            ? vscode.DiagnosticSeverity.Information
            : vscode.DiagnosticSeverity.Hint;
      add(verdict.fileName, 1, verdict.message, `drift-${verdict.kind}`, severity);
    }
    const state = model.database;
    const dirty = live && state.kind === 'connected' && state.version.dirty ? state.version.version : undefined;
    const failure =
      dirty === undefined ? undefined : failureBehind(this.ledger(model) ?? [], model.catalog, dirty)?.failure;
    if (failure?.fileName !== undefined) {
      const message = `${describeFailure(failure)}. The database is dirty at version ${dirty}: run "Migration Lens: Recover".`;
      add(failure.fileName, failure.line ?? 1, message, 'failed-run', vscode.DiagnosticSeverity.Error);
    }
    this.published.set(model, files.publishTo(this.collection, this.published.get(model)));
    this.changeEmitter.fire();
  }
}
