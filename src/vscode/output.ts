import * as vscode from 'vscode';
import { redactDatabaseUrlsIn } from '../adapters/mysql/dsn';
import { Disposable } from './lifecycle';

/**
 * The "Migration Lens" output channel. Every line passes through `redactDatabaseUrlsIn`, so a database URL that slips
 * into a message shows no password. Nothing else is scrubbed: replacing a password's text wherever it occurs would
 * give away a password such as "1" in "version 1".
 */
export class Output extends Disposable {
  private readonly channel = this.register(vscode.window.createOutputChannel('Migration Lens', { log: true }));

  info(message: string): void {
    this.channel.info(redactDatabaseUrlsIn(message));
  }

  warn(message: string): void {
    this.channel.warn(redactDatabaseUrlsIn(message));
  }

  error(message: string): void {
    this.channel.error(redactDatabaseUrlsIn(message));
  }

  show(): void {
    this.channel.show(true);
  }
}
