import * as vscode from 'vscode';
import { formatMigrationSql } from '../adapters/format-migration';

/** Files golang-migrate would run: `<digits>_<name>.up.sql` / `.down.sql`. Other SQL files keep their own formatter. */
export const migrationFileSelector: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/[0-9]*_*.{up,down}.sql' },
];

/** The edits that format a whole migration document; none when it is already formatted. Throws MigrationFormatError. */
export async function migrationFormattingEdits(
  document: vscode.TextDocument,
  options: vscode.FormattingOptions,
): Promise<vscode.TextEdit[]> {
  const text = document.getText();
  const formatted = await formatMigrationSql(text, { tabWidth: options.tabSize, useTabs: !options.insertSpaces });
  if (formatted === text) return [];
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(text.length));
  return [vscode.TextEdit.replace(whole, formatted)];
}

/** "Format Document" for migration files with sql-formatter's MySQL dialect. */
class MigrationFormattingProvider implements vscode.DocumentFormattingEditProvider {
  async provideDocumentFormattingEdits(
    document: vscode.TextDocument,
    options: vscode.FormattingOptions,
  ): Promise<vscode.TextEdit[]> {
    try {
      return await migrationFormattingEdits(document, options);
    } catch (error) {
      // The editor swallows a provider's exception silently, so say why nothing changed.
      void vscode.window.showWarningMessage(
        `Migration Lens did not format ${vscode.workspace.asRelativePath(document.uri)}: ${(error as Error).message}`,
      );
      return [];
    }
  }
}

/** Registers the formatter; the container owns the returned disposable. */
export function registerMigrationFormatter(): vscode.Disposable {
  return vscode.languages.registerDocumentFormattingEditProvider(
    migrationFileSelector,
    new MigrationFormattingProvider(),
  );
}
