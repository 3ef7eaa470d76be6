import * as vscode from 'vscode';
import type { VerifyResult } from '../adapters/verify-migrations';
import { verifyReportLines } from '../core/verify-report';
import type { FolderModel } from './folder-model';
import { Disposable } from './lifecycle';

/** The scheme of the read-only Verify report documents: nothing to save, updated in place by the next run. */
export const VERIFY_REPORT_SCHEME = 'migration-lens-verify';

/** One Markdown report per workspace folder, served from memory. */
export class VerifyReportDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changeEmitter.event;
  private readonly texts = new Map<string, string>();

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(VERIFY_REPORT_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Writes the folder's report and shows it beside the editor. */
  async show(model: FolderModel, result: VerifyResult, finishedAt: Date): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: VERIFY_REPORT_SCHEME, path: `/${model.folder.name} verify report.md` });
    const folder = model.migrationsFolder?.uri;
    const fileLabel = (fileName: string) =>
      folder ? vscode.workspace.asRelativePath(vscode.Uri.joinPath(folder, fileName), false) : fileName;
    const text = [
      `# Verify migrations: ${model.folder.name}`,
      '',
      `Every version was run up, down and up again on the scratch database \`${result.scratchDatabase}\`, created ` +
        `with the collation of \`${result.realDatabase}\` and dropped afterwards. The real database was only read.`,
      `Finished ${finishedAt.toISOString()}. Differences read "now vs expected".`,
      '',
      '```text',
      ...verifyReportLines(result, fileLabel),
      '```',
      '',
    ].join('\n');
    this.texts.set(uri.toString(), text);
    this.changeEmitter.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    // Beside the file being edited, if any; otherwise in the editor area itself rather than next to an empty group.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: column });
    return document;
  }
}
