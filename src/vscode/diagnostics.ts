import * as vscode from 'vscode';
import type { LintProblem } from '../core/lint';
import type { Severity } from '../core/model';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';
import type { WorkspaceModel } from './workspace-model';

/** The `source` of every diagnostic, and the collection's name. */
export const DIAGNOSTIC_SOURCE = 'Migration Lens';

/** How each severity of the core shows in the editor, for every diagnostic Migration Lens publishes. */
export const SEVERITIES: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Coalesces a burst of changes (a checkout, a multi-file save) into one lint pass. */
const SETTLE_MS = 40;

/**
 * Diagnostics from the core's `lintMigrations`, the same rule set as the command line's `lint`: on the file a problem
 * names, and on the existing files it relates to (the other file of a duplicate). Recomputed after every model
 * change, using an open editor's unsaved text; cleared for files that no longer have problems or no longer exist.
 */
export class MigrationDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('migrationLens'));
  /** URIs each folder last put diagnostics on, so they can be cleared. */
  private readonly published = new Map<FolderModel, Set<string>>();
  private readonly pending = new Set<FolderModel>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly model: WorkspaceModel) {
    super();
    this.register(model.onDidChange((change) => this.schedule(change.model)));
    this.register({
      dispose: () => {
        clearTimeout(this.timer);
      },
    });
    for (const folder of model.folders) this.schedule(folder);
  }

  private schedule(folder: FolderModel): void {
    this.pending.add(folder);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const folders = [...this.pending];
        this.pending.clear();
        for (const pending of folders) this.publish(pending);
      }, SETTLE_MS);
    }
  }

  private publish(folder: FolderModel): void {
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    const stillOpen = this.model.folders.includes(folder) && folder.hasMigrations;
    for (const problem of stillOpen ? folder.problems : []) {
      for (const fileName of filesShowing(folder, problem)) {
        const uri = folder.fileUri(fileName)!;
        let entry = byUri.get(uri.toString());
        if (!entry) byUri.set(uri.toString(), (entry = { uri, diagnostics: [] }));
        entry.diagnostics.push(toDiagnostic(folder, problem, fileName));
      }
    }
    const previous = this.published.get(folder) ?? new Set<string>();
    for (const uri of previous) {
      if (!byUri.has(uri)) this.collection.delete(vscode.Uri.parse(uri));
    }
    for (const { uri, diagnostics } of byUri.values()) this.collection.set(uri, diagnostics);
    if (stillOpen) this.published.set(folder, new Set(byUri.keys()));
    else this.published.delete(folder);
  }
}

/** The problem's own file, plus the related files that exist (a missing down file has nowhere to show). */
function filesShowing(folder: FolderModel, problem: LintProblem): string[] {
  const related = (problem.relatedFileNames ?? []).filter((name) => folder.contents.has(name));
  return [problem.fileName, ...related];
}

function toDiagnostic(folder: FolderModel, problem: LintProblem, shownOn: string): vscode.Diagnostic {
  const onOwnFile = shownOn === problem.fileName;
  const range = onOwnFile
    ? problemRange(folder.contents.get(problem.fileName), problem)
    : firstLine(folder.contents.get(shownOn));
  const diagnostic = new vscode.Diagnostic(range, problem.message, SEVERITIES[problem.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.rule;
  const others = [problem.fileName, ...(problem.relatedFileNames ?? [])].filter(
    (name) => name !== shownOn && folder.contents.has(name),
  );
  if (others.length > 0) {
    diagnostic.relatedInformation = others.map(
      (name) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(folder.fileUri(name)!, firstLine(folder.contents.get(name))),
          name === problem.fileName ? 'the file this is about' : 'the other file',
        ),
    );
  }
  return diagnostic;
}

/** The reported line from the reported column to its end; a problem with the file itself marks the first line. */
function problemRange(text: string | undefined, problem: LintProblem): vscode.Range {
  if (problem.line === undefined || text === undefined) return firstLine(text);
  const line = problem.line - 1;
  const lineText = text.split(/\r?\n/)[line] ?? '';
  const start = Math.max(0, (problem.column ?? 1) - 1);
  return new vscode.Range(line, Math.min(start, lineText.length), line, Math.max(lineText.length, start + 1));
}

function firstLine(text: string | undefined): vscode.Range {
  const length = text === undefined ? 0 : (/^[^\r\n]*/.exec(text)?.[0].length ?? 0);
  return new vscode.Range(0, 0, 0, Math.max(length, 1));
}

/** The whole of a 1-based line of `text`, at least one character wide (its first character if the text is unknown). */
export function wholeLineRange(text: string | undefined, line: number): vscode.Range {
  const index = Math.max(0, line - 1);
  const length = text?.split(/\r?\n/)[index]?.length ?? 0;
  return new vscode.Range(index, 0, index, Math.max(length, 1));
}

/** A diagnostic of ours on the whole of a 1-based line of `text`. */
export function lineDiagnostic(
  text: string | undefined,
  line: number,
  message: string,
  severity: vscode.DiagnosticSeverity,
  code: string,
): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(wholeLineRange(text, line), message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = code;
  return diagnostic;
}

/**
 * The diagnostics one folder puts on its files, gathered file by file, then published in place of the folder's last
 * publication: the files that have none now are cleared, also once the folder left the workspace.
 */
export class FileDiagnostics {
  private readonly byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();

  add(uri: vscode.Uri, diagnostic: vscode.Diagnostic): void {
    let entry = this.byUri.get(uri.toString());
    if (!entry) this.byUri.set(uri.toString(), (entry = { uri, diagnostics: [] }));
    entry.diagnostics.push(diagnostic);
  }

  /** Replaces the files of `previous` (the URIs published last) in `collection`; gives the URIs published now. */
  publishTo(collection: vscode.DiagnosticCollection, previous: ReadonlySet<string> | undefined): Set<string> {
    for (const uri of previous ?? []) if (!this.byUri.has(uri)) collection.delete(vscode.Uri.parse(uri));
    for (const { uri, diagnostics } of this.byUri.values()) collection.set(uri, diagnostics);
    return new Set(this.byUri.keys());
  }
}
