import * as vscode from 'vscode';
import type { Direction } from '../../core/model';
import { treeNode } from '../database-run';
import type { CommandFactory } from './index';

/** Opens the up or down file of the version node the command was invoked on. */
export function openVersionFile(direction: Direction): CommandFactory {
  return () =>
    async (...args) => {
      const node = treeNode(args);
      if (node?.kind !== 'version') return;
      const file = direction === 'up' ? node.status.up : node.status.down;
      const uri = file && node.model.fileUri(file.fileName);
      if (!uri) {
        void vscode.window.showInformationMessage(`Version ${node.status.version} has no ${direction} file.`);
        return;
      }
      await vscode.window.showTextDocument(uri);
    };
}

/** Tree action: open the version's up file. */
export const openUpFile = openVersionFile('up');
