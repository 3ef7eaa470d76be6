/** How the editor wants the SQL indented. */
export interface SqlLayout {
  readonly tabWidth: number;
  readonly useTabs: boolean;
}

/** Thrown when a migration's SQL cannot be formatted safely; `message` is one line fit for a notification. */
export class MigrationFormatError extends Error {
  override readonly name = 'MigrationFormatError';
}

// sql-formatter does not know the client-side DELIMITER command and would join it into the statement around it.
const delimiterLine = /^[ \t]*DELIMITER[ \t]/im;

/**
 * Formats a migration file's SQL in the MySQL dialect with sql-formatter. Keyword case is kept as written and the
 * result ends with one newline. Blank files are returned unchanged: their emptiness is a lint finding, not layout.
 * sql-formatter is loaded at the first formatting, not with the extension, which would take longer to start.
 */
export async function formatMigrationSql(text: string, layout: SqlLayout): Promise<string> {
  if (text.trim() === '') return text;
  if (delimiterLine.test(text)) {
    throw new MigrationFormatError('the file uses DELIMITER, which the formatter would merge into the SQL around it');
  }
  const { formatDialect, mysql } = await import('./mysql-formatter');
  try {
    return `${formatDialect(text, { dialect: mysql, tabWidth: layout.tabWidth, useTabs: layout.useTabs })}\n`;
  } catch (error) {
    // sql-formatter's parse errors carry the whole grammar trace after the first line.
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
    throw new MigrationFormatError(`the SQL could not be parsed: ${firstLine}`, { cause: error });
  }
}
