import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMigrationFileName } from '../../core/names';
import { commandOptions, toUri } from '../command-arguments';
import { migrationFormattingEdits } from '../format-provider';
import type { CommandFactory } from './index';

/**
 * Formats a migration file with sql-formatter (MySQL dialect): the active editor's file, or `{ uri }`. The edit is
 * left unsaved, as "Format Document" does, so it can be undone.
 */
export const formatMigration: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const target = options.uri !== undefined ? toUri(options.uri) : vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a migration file (NNN_name.up.sql or .down.sql) to format it.');
      return;
    }
    if (!parseMigrationFileName(path.basename(target.fsPath))) {
      void vscode.window.showWarningMessage(
        `${path.basename(target.fsPath)} is not a migration file: golang-migrate ignores it.`,
      );
      return;
    }
    const editor = await vscode.window.showTextDocument(target);
    try {
      const version = editor.document.version;
      const edits = await migrationFormattingEdits(editor.document, {
        tabSize: typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 2,
        insertSpaces: editor.options.insertSpaces !== false,
      });
      // Edits computed for an older text would land in the wrong places.
      if (edits.length === 0 || editor.document.version !== version) return;
      const change = new vscode.WorkspaceEdit();
      change.set(editor.document.uri, edits);
      await vscode.workspace.applyEdit(change);
    } catch (error) {
      const message = `Could not format ${path.basename(target.fsPath)}: ${(error as Error).message}`;
      container.output.warn(message);
      void vscode.window.showWarningMessage(message);
    }
  };
