import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { baseName } from './migrations-folder';
import type { PreflightDiagnostics } from './preflight-diagnostics';
import type { WorkspaceModel } from './workspace-model';

/**
 * Quick fixes for our diagnostics: create the missing other half of a pair, add `ALGORITHM=INPLACE, LOCK=NONE` to a
 * statement preflight found blocking writes, or silence a rule for one file with the `-- migration-lens:ignore
 * <rule>` directive the core honours.
 */
export class MigrationCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(
    private readonly model: WorkspaceModel,
    private readonly preflight: PreflightDiagnostics,
  ) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
      const rule = diagnostic.code;
      if (rule === 'missing-down' || rule === 'missing-up') {
        const create = this.createMissingFile(document.uri, rule, diagnostic);
        if (create) actions.push(create);
      }
      const fix = this.preflight.fixFor(document, diagnostic);
      if (fix) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        const range = new vscode.Range(document.positionAt(fix.start), document.positionAt(fix.end));
        action.edit.replace(document.uri, range, fix.replacement);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
      actions.push(ignoreRule(document, rule, diagnostic));
    }
    return actions;
  }

  private createMissingFile(
    uri: vscode.Uri,
    rule: 'missing-down' | 'missing-up',
    diagnostic: vscode.Diagnostic,
  ): vscode.CodeAction | undefined {
    const folder = this.model.folderFor(uri);
    const fileName = baseName(uri);
    const missing = folder?.problems.find((problem) => problem.rule === rule && problem.fileName === fileName)
      ?.relatedFileNames?.[0];
    const target = missing && folder?.fileUri(missing);
    if (!target) return undefined;
    const action = new vscode.CodeAction(`Create ${missing}`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    action.edit.createFile(target, { ignoreIfExists: true });
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    action.command = { command: 'vscode.open', title: 'Open', arguments: [target] };
    return action;
  }
}

function ignoreRule(document: vscode.TextDocument, rule: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(`Ignore ${rule} in this file`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  action.edit.insert(document.uri, new vscode.Position(0, 0), `-- migration-lens:ignore ${rule}${eol}`);
  action.diagnostics = [diagnostic];
  return action;
}
