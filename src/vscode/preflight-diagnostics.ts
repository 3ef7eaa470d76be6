import * as vscode from 'vscode';
import { FolderSource } from '../adapters/file-source';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import { preflight, preflightPreview } from '../app/preflight';
import type { Preview } from '../app/run-session';
import { type DatabaseVersion } from '../core/model';
import { planMigrations } from '../core/plan';
import type { PreflightFinding, StatementFix } from '../core/preflight-findings';
import type { ProjectConfig } from '../core/project-file';
import { readSettings } from './config';
import { resolveDatabase, scratchServerFor } from './database-target';
import { FileDiagnostics, lineDiagnostic, SEVERITIES } from './diagnostics';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import type { DatabaseSecrets } from './secrets';
import { escapeMarkdown, type VersionAnnotation, type VersionAnnotations } from './views/migrations-tree';
import type { WorkspaceModel } from './workspace-model';

/** How long the files and the version must stay still before preflight looks again: typing is never waited on. */
const SETTLE_MS = 1500;

/** What preflight needs from the extension around it. */
export interface PreflightServices {
  readonly secrets: DatabaseSecrets;
  readonly log: (message: string) => void;
  /** Counts every connection preflight opens, as the folder models' are counted. */
  readonly onConnect: () => void;
}

/** What a run looked at: the database version, every file's text and the project's settings. */
interface PreflightInputs {
  readonly version: DatabaseVersion;
  readonly texts: ReadonlyMap<string, string>;
  readonly config: ProjectConfig;
}

/** A folder's last preflight: its findings, and what it looked at, so an unchanged folder is not looked at twice. */
interface FolderPreflight {
  readonly findings: readonly PreflightFinding[];
  readonly inputs: PreflightInputs;
  /** A file changed since: the findings about other files still hold, but the next change must run again. */
  readonly stale?: boolean;
}

/**
 * Preflight in the background, for each folder whose database is read and has pending versions: once the files and
 * the version have settled, `preflight` (the command line's) runs for `up`, and its findings show on the statements'
 * lines of the pending files and as a mark on their versions in the tree. A change while it runs cancels that run.
 * A finding is dropped as soon as its file's text changes, since it no longer says anything about that text.
 */
export class PreflightDiagnostics extends Disposable implements VersionAnnotations {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens.preflight'));
  private readonly byFolder = new Map<FolderModel, FolderPreflight>();
  private readonly published = new Map<FolderModel, Set<string>>();
  private readonly timers = new Map<FolderModel, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<FolderModel, AbortController>();
  /** Runs in flight, for tests that wait until preflight has settled. */
  private readonly runs = new Set<Promise<void>>();

  constructor(
    private readonly workspace: WorkspaceModel,
    private readonly services: PreflightServices,
  ) {
    super();
    this.register(
      workspace.onDidChange((change) => {
        if (change.files) this.dropStale(change.model);
        this.schedule(change.model);
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        for (const model of workspace.folders) {
          if (event.affectsConfiguration('migrationLens.preflight', model.folder)) this.schedule(model);
        }
      }),
    );
    this.register({
      dispose: () => {
        for (const timer of this.timers.values()) clearTimeout(timer);
        for (const controller of this.running.values()) controller.abort();
      },
    });
    for (const model of workspace.folders) this.schedule(model);
  }

  /** Resolves once no run is waiting or in flight. */
  async settled(): Promise<void> {
    while (this.timers.size > 0 || this.runs.size > 0) {
      await Promise.all([...this.runs, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  }

  annotate(model: FolderModel, version: bigint): VersionAnnotation | undefined {
    const findings = this.byFolder.get(model)?.findings.filter((finding) => finding.version === version) ?? [];
    const worst = findings.some((finding) => finding.severity === 'error')
      ? '✗ preflight: fails'
      : findings.some((finding) => finding.severity === 'warning')
        ? '⚠ preflight'
        : undefined;
    if (worst === undefined) return undefined;
    const items = findings
      .filter((finding) => finding.severity !== 'info')
      .map((finding) => `- line ${finding.line}: ${escapeMarkdown(finding.message.split('\n')[0])}`);
    return { description: worst, tooltip: `**Preflight:**\n\n${items.join('\n')}` };
  }

  /**
   * Preflight of what a run is about to do (a confirmation, a dry run): the background's findings when they were made
   * from the same version and the same texts of the files that run, else a fresh look.
   */
  async forPreview(
    model: FolderModel,
    preview: Preview,
    database: DatabaseConfig,
  ): Promise<readonly PreflightFinding[]> {
    const known = this.byFolder.get(model);
    const files = new Set(preview.steps.flatMap((step) => (step.fileName === undefined ? [] : [step.fileName])));
    const fresh =
      known !== undefined &&
      !known.stale &&
      preview.steps.every((step) => step.direction === 'up') &&
      known.inputs.version.version === preview.current.version &&
      known.inputs.version.dirty === preview.current.dirty &&
      known.inputs.config === model.projectConfig &&
      preview.steps.every((step) => step.fileName === undefined || known.inputs.texts.get(step.fileName) === step.text);
    if (fresh) return known.findings.filter((finding) => files.has(finding.fileName));
    this.services.onConnect();
    const scratchServer = scratchServerFor(model.folder, database);
    const { findings } = await preflightPreview(preview, new FolderSource(model.migrationsFolder!.uri.fsPath), {
      database,
      ...(scratchServer && { scratchServer }),
      config: model.projectConfig,
    });
    return findings;
  }

  /** The finding's fix behind a diagnostic of `document`, while the statement still reads as it did. */
  fixFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): StatementFix | undefined {
    const model = this.workspace.folderFor(document.uri);
    const known = model && this.byFolder.get(model);
    const fileName = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1);
    const finding = known?.findings.find(
      (candidate) =>
        candidate.fix !== undefined &&
        candidate.fileName === fileName &&
        candidate.code === diagnostic.code &&
        candidate.line === diagnostic.range.start.line + 1,
    );
    const fix = finding?.fix;
    if (!fix) return undefined;
    const text = document.getText();
    return text.slice(fix.start, fix.end) === fix.original ? fix : undefined;
  }

  private schedule(model: FolderModel): void {
    clearTimeout(this.timers.get(model));
    this.timers.set(
      model,
      setTimeout(() => {
        this.timers.delete(model);
        const run = this.refresh(model).finally(() => this.runs.delete(run));
        this.runs.add(run);
      }, SETTLE_MS),
    );
  }

  private async refresh(model: FolderModel): Promise<void> {
    const state = model.database;
    const target = model.databaseTarget;
    const settings = readSettings(model.folder);
    const open = this.workspace.folders.includes(model) && model.hasMigrations;
    if (!open || state.kind !== 'connected' || target === undefined || !settings.preflightDiagnostics) {
      return this.forget(model);
    }
    const plan = planMigrations(model.catalog, state.version, { kind: 'up' });
    if (plan.steps.length === 0) return this.forget(model);
    const texts = upFileTexts(model);
    const inputs: PreflightInputs = { version: state.version, texts, config: model.projectConfig };
    const last = this.byFolder.get(model);
    if (last && !last.stale && sameInputs(last.inputs, inputs)) return;
    this.running.get(model)?.abort();
    const controller = new AbortController();
    this.running.set(model, controller);
    try {
      const { config } = await resolveDatabase(target, settings, this.services.secrets);
      this.services.onConnect();
      const scratchServer = scratchServerFor(model.folder, config);
      const result = await preflight({
        plan,
        catalog: model.catalog,
        current: state.version,
        texts,
        database: config,
        ...(scratchServer && { scratchServer }),
        config: model.projectConfig,
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      this.byFolder.set(model, { findings: result.findings, inputs });
      this.publish(model);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.services.log(`${model.folder.name}: preflight could not run: ${(error as Error).message}`);
      this.forget(model);
    } finally {
      if (this.running.get(model) === controller) this.running.delete(model);
    }
  }

  /** Drops the findings of files whose text is no longer the one they were found in. */
  private dropStale(model: FolderModel): void {
    const known = this.byFolder.get(model);
    if (!known) return;
    const findings = known.findings.filter(
      (finding) => model.contents.get(finding.fileName) === known.inputs.texts.get(finding.fileName),
    );
    if (findings.length === known.findings.length) return;
    this.byFolder.set(model, { ...known, findings, stale: true });
    this.publish(model);
  }

  private forget(model: FolderModel): void {
    this.running.get(model)?.abort();
    if (!this.byFolder.delete(model) && !this.published.has(model)) return;
    this.publish(model);
  }

  private publish(model: FolderModel): void {
    const files = new FileDiagnostics();
    for (const finding of this.byFolder.get(model)?.findings ?? []) {
      const uri = model.fileUri(finding.fileName);
      const message = `Preflight: ${finding.message}`;
      const text = model.contents.get(finding.fileName);
      if (uri) files.add(uri, lineDiagnostic(text, finding.line, message, SEVERITIES[finding.severity], finding.code));
    }
    const published = files.publishTo(this.collection, this.published.get(model));
    if (published.size > 0) this.published.set(model, published);
    else this.published.delete(model);
    this.changeEmitter.fire();
  }
}

/** What Preflight reads: the up files, pending ones to look at and applied ones to rebuild the schema from. */
function upFileTexts(model: FolderModel): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { up } of model.catalog.migrations) {
    const text = up === undefined ? undefined : model.contents.get(up.fileName);
    if (up !== undefined && text !== undefined) texts.set(up.fileName, text);
  }
  return texts;
}

function sameInputs(a: PreflightInputs, b: PreflightInputs): boolean {
  if (a.version.version !== b.version.version || a.version.dirty !== b.version.dirty || a.config !== b.config) {
    return false;
  }
  if (a.texts.size !== b.texts.size) return false;
  for (const [name, text] of a.texts) if (b.texts.get(name) !== text) return false;
  return true;
}
