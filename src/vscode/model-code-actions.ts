import * as vscode from 'vscode';
import type { ModelsCheck } from '../app/models-check';
import type { GormModel } from '../core/gorm-models';
import { findingIsAbout, type ModelFinding } from '../core/models-compare';
import { addColumnMigration, addFieldEdit, fieldForColumn, removeFieldEdit, type LineEdit } from '../core/models-fixes';
import type { FolderModel } from './folder-model';
import type { ModelChecks } from './model-checks';

/** The Go files the models quick fixes apply to. */
export const goFileSelector: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.go' };

/**
 * Quick fixes for the models diagnostics, both ways: a migration pair adding a field's missing column (with GORM's
 * MySQL type, named and numbered as Create Migration does), a field removed from the struct (the tutorial's step after
 * `down`), a field added for a column the struct lacks (its step after `up`).
 */
export class ModelCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly checks: ModelChecks) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const found = this.checks.findingFor(document.uri, diagnostic);
      if (!found) continue;
      const gormModel = found.check.models.find((candidate) => findingIsAbout(found.finding, candidate));
      if (!gormModel) continue;
      actions.push(...fixesFor(document, diagnostic, found.model, found.check, gormModel, found.finding));
    }
    return actions;
  }
}

function fixesFor(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  model: FolderModel,
  check: ModelsCheck,
  gormModel: GormModel,
  finding: ModelFinding,
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const text = document.getText();
  if (finding.code === 'model-field-missing-column' && finding.field !== undefined) {
    const column = gormModel.columns.find((candidate) => candidate.field === finding.field);
    if (column && !finding.addedBy) {
      const pair = addColumnMigration(gormModel, column);
      const action = new vscode.CodeAction(
        `Create migration adding ${gormModel.table}.${column.column}`,
        vscode.CodeActionKind.QuickFix,
      );
      action.command = {
        command: 'migrationLens.createMigration',
        title: action.title,
        arguments: [{ folder: model.folder.uri, name: pair.name, contents: { up: pair.up, down: pair.down } }],
      };
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    const removal = removeFieldEdit(text, gormModel, finding.field);
    if (removal) {
      actions.push(
        editAction(
          `Remove field ${finding.field} from ${gormModel.name}`,
          document,
          removal,
          diagnostic,
          !!finding.addedBy,
        ),
      );
    }
  }
  if ((finding.code === 'model-column-without-field' || finding.code === 'model-column-required') && finding.column) {
    const table = [...check.live.tables.values()].find((candidate) => candidate.name === gormModel.table);
    const column = table?.columns.get(finding.column);
    if (table && column) {
      const field = fieldForColumn(table, column);
      const edit = addFieldEdit(text, gormModel, field);
      if (edit) {
        const action = editAction(`Add field ${field.name} to ${gormModel.name}`, document, edit, diagnostic, true);
        if (field.needsImport && !importsPackage(text, field.needsImport))
          addImport(action.edit!, document, field.needsImport);
        actions.push(action);
      }
    }
  }
  return actions;
}

function editAction(
  title: string,
  document: vscode.TextDocument,
  edit: LineEdit,
  diagnostic: vscode.Diagnostic,
  preferred: boolean,
): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const range = new vscode.Range(edit.start - 1, 0, edit.end, 0);
  action.edit.replace(document.uri, range, edit.text.replaceAll('\n', eol));
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  return action;
}

function importsPackage(text: string, importPath: string): boolean {
  return new RegExp(`^\\s*(import\\s+)?(\\w+\\s+)?"${importPath}"`, 'm').test(text);
}

/** `import "x"` after the package clause: gofmt and goimports merge it into an import block when they next run. */
function addImport(edit: vscode.WorkspaceEdit, document: vscode.TextDocument, importPath: string): void {
  const packageLine = /^package\s+\w+.*$/m.exec(document.getText());
  if (!packageLine) return;
  const line = document.positionAt(packageLine.index).line;
  edit.insert(document.uri, new vscode.Position(line + 1, 0), `\nimport "${importPath}"\n`);
}
