import * as vscode from 'vscode';
import { Disposable } from './lifecycle';

/**
 * The "Migration Lens" output channel. Every line passes through a scrubber that removes the passwords it was told
 * about, so a password that slips into a driver's error message still never reaches the channel.
 */
export class Output extends Disposable {
  private readonly channel = this.register(vscode.window.createOutputChannel('Migration Lens', { log: true }));
  private readonly secrets = new Set<string>();

  /** Adds a value that must never be written (a password in use). */
  protect(secret: string): void {
    if (secret !== '') this.secrets.add(secret);
  }

  info(message: string): void {
    this.channel.info(this.scrub(message));
  }

  warn(message: string): void {
    this.channel.warn(this.scrub(message));
  }

  error(message: string): void {
    this.channel.error(this.scrub(message));
  }

  show(): void {
    this.channel.show(true);
  }

  private scrub(message: string): string {
    let text = message;
    for (const secret of this.secrets) {
      text = text.split(secret).join('****');
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) text = text.split(encoded).join('****');
    }
    return text;
  }
}
