import * as vscode from 'vscode';
import type { VerifyResult } from '../adapters/verify-migrations';
import type { VerifyMigration } from '../core/verify-run';
import {
  describeVerdict,
  outcomeOf,
  verdictLocations,
  type VerifyOutcome,
  type VersionVerdict,
} from '../core/verify-verdict';
import { effectiveSeverity, ignoreDirectives } from '../core/rule-settings';
import { FileDiagnostics, lineDiagnostic, SEVERITIES } from './diagnostics';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import { escapeMarkdown, type VersionAnnotation, type VersionAnnotations } from './views/migrations-tree';
import type { WorkspaceModel } from './workspace-model';

const BADGES: Readonly<Record<VerifyOutcome, string>> = {
  verified: '✓ verified',
  broken: '✗ broken',
  unverified: '– not verified',
};

/** One version's verdict and the texts of the files it was reached with. */
interface KnownVerdict {
  readonly entry: VersionVerdict;
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * The last Verify run of each folder, shown where people look: a mark and the reason on the version's row in the
 * tree, and diagnostics at the failing statement's line. A verdict is dropped as soon as the text of its up or down
 * file changes (saved or not), since it no longer says anything about that text.
 */
export class VerifyResults extends Disposable implements VersionAnnotations {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens.verify'));
  private readonly byFolder = new Map<FolderModel, Map<bigint, KnownVerdict>>();
  /** The files each folder's last publication put diagnostics on, by URI. */
  private readonly published = new Map<FolderModel, Set<string>>();

  constructor(private readonly workspace: WorkspaceModel) {
    super();
    this.register(workspace.onDidChange((change) => (change.files ? this.dropStale(change.model) : undefined)));
  }

  /** Replaces the folder's results with a run's verdicts; `migrations` are the texts that run used. */
  record(model: FolderModel, result: VerifyResult, migrations: readonly VerifyMigration[]): void {
    const texts = new Map<bigint, Map<string, string>>();
    for (const migration of migrations) {
      const files = [migration.up, migration.down].flatMap((file) =>
        file ? [[file.fileName, file.sql] as const] : [],
      );
      texts.set(migration.version, new Map(files));
    }
    const verdicts = new Map<bigint, KnownVerdict>();
    for (const entry of result.versions) {
      verdicts.set(entry.version, { entry, texts: texts.get(entry.version) ?? new Map() });
    }
    this.byFolder.set(model, verdicts);
    this.publish(model);
  }

  annotate(model: FolderModel, version: bigint): VersionAnnotation | undefined {
    const known = this.byFolder.get(model)?.get(version);
    if (!known) return undefined;
    return {
      description: BADGES[outcomeOf(known.entry.verdict)],
      tooltip: `**Verify:** ${escapeMarkdown(describeVerdict(known.entry.verdict))}`,
    };
  }

  private dropStale(model: FolderModel): void {
    const verdicts = this.byFolder.get(model);
    if (!verdicts) return;
    const stillOpen = this.workspace.folders.includes(model);
    let dropped = false;
    for (const [version, known] of verdicts) {
      const changed = [...known.texts].some(([fileName, text]) => model.contents.get(fileName) !== text);
      if (!stillOpen || changed) {
        verdicts.delete(version);
        dropped = true;
      }
    }
    if (dropped) this.publish(model);
  }

  private publish(model: FolderModel): void {
    const files = new FileDiagnostics();
    for (const { entry } of this.byFolder.get(model)?.values() ?? []) {
      for (const location of verdictLocations(entry)) {
        const uri = model.fileUri(location.fileName);
        const severity = effectiveSeverity(location.code, location.severity, model.projectConfig.rules);
        const text = model.contents.get(location.fileName);
        if (!uri || severity === undefined || ignoreDirectives(text ?? '').has(location.code)) continue;
        const message = `Verify: ${location.message}`;
        files.add(uri, lineDiagnostic(text, location.line, message, SEVERITIES[severity], location.code));
      }
    }
    this.published.set(model, files.publishTo(this.collection, this.published.get(model)));
    this.changeEmitter.fire();
  }
}
