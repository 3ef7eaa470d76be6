import * as vscode from 'vscode';

/**
 * Database passwords in VS Code's SecretStorage, keyed by the redacted database URL (user, host, database: everything
 * but the password), so settings hold a URL without a password and each database is asked for once.
 */
export class DatabaseSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The stored password for the database `redactedUrl` names, if any. */
  async get(redactedUrl: string): Promise<string | undefined> {
    return this.storage.get(secretKey(redactedUrl));
  }

  /** Remembers `password` for the database `redactedUrl` names. */
  async store(redactedUrl: string, password: string): Promise<void> {
    await this.storage.store(secretKey(redactedUrl), password);
  }

  /** Forgets the password (e.g. after the server refused it). */
  async delete(redactedUrl: string): Promise<void> {
    await this.storage.delete(secretKey(redactedUrl));
  }

  /**
   * Asks for the password after the server refused the login without one, and stores the answer; undefined when the
   * user cancels.
   */
  async askAfterRefusal(redactedUrl: string): Promise<string | undefined> {
    const entered = await vscode.window.showInputBox({
      title: 'Migration Lens: database password',
      prompt: `The server refused ${redactedUrl} without a password. Password (kept in VS Code's secret storage, never in settings):`,
      password: true,
      ignoreFocusOut: true,
    });
    if (entered === undefined) return undefined;
    await this.store(redactedUrl, entered);
    return entered;
  }
}

function secretKey(redactedUrl: string): string {
  return `migrationLens.password:${redactedUrl}`;
}
