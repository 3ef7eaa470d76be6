import type * as vscode from 'vscode';
import { Container } from './vscode/container';

/** Builds the container; everything it owns is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): Container {
  const container = new Container(context);
  context.subscriptions.push(container);
  return container;
}
