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
    const runAs =
      result.scratchAccount === undefined
        ? 'as the account of the scratch server, which cannot see the real database'
        : `as the temporary account \`${result.scratchAccount}\`, allowed that database only and dropped with it`;
    const text = [
      `# Verify migrations: ${model.folder.name}`,
      '',
      `Every version was run up, down and up again on the scratch database \`${result.scratchDatabase}\`, created ` +
        `with the collation of \`${result.realDatabase}\` and dropped afterwards, ${runAs}. The real database was ` +
        'only read.',
      `Finished ${finishedAt.toISOString()}. Differences read "now vs expected".`,
      '',
      '```text',
      ...verifyReportLines(result, fileLabel),
      '```',
      '',
    ].join('\n');
    this.texts.set(uri.toString(), text);
    this.changeEmitter.fire(uri);
    const document = await this.openCurrent(uri);
    // Beside the file being edited, if any; otherwise in the editor area itself rather than next to an empty group.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: column });
    return document;
  }

  /**
   * The report document holding the latest text. A report still open from the last run is returned by
   * openTextDocument with that run's text; the change event updates it a moment later, so wait for that (or for
   * it to close, after which opening it again reads the latest text).
   */
  private async openCurrent(uri: vscode.Uri): Promise<vscode.TextDocument> {
    const latest = () => this.texts.get(uri.toString()) ?? '';
    for (;;) {
      const document = await vscode.workspace.openTextDocument(uri);
      const current = await new Promise<boolean>((resolve) => {
        const settle = (isCurrent: boolean) => {
          for (const subscription of subscriptions) subscription.dispose();
          resolve(isCurrent);
        };
        const subscriptions = [
          vscode.workspace.onDidChangeTextDocument(({ document: changed }) => {
            if (changed === document && document.getText() === latest()) settle(true);
          }),
          vscode.workspace.onDidCloseTextDocument((closed) => {
            if (closed === document) settle(false);
          }),
        ];
        if (document.getText() === latest()) settle(true);
      });
      if (current) return document;
    }
  }
}
