import type * as vscode from 'vscode';
import { Container } from './vscode/container';

/** Builds the container; everything it owns is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): Container {
  const started = performance.now();
  const container = new Container(context);
  context.subscriptions.push(container);
  container.activationMs = performance.now() - started;
  return container;
}
