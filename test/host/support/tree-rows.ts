import * as vscode from 'vscode';
import type { Container } from '../../../src/vscode/container';

/** The description and tooltip the Migrations tree shows for a version; undefined when it has no row. */
export function versionRow(
  container: Container,
  version: bigint,
): { description: string; tooltip: string } | undefined {
  const node = container.tree
    .getChildren()
    .find((candidate) => candidate.kind === 'version' && candidate.status.version === version);
  if (!node) return undefined;
  const item = container.tree.getTreeItem(node);
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  return { description: typeof item.description === 'string' ? item.description : '', tooltip };
}
