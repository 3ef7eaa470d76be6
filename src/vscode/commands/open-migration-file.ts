import * as vscode from 'vscode';
import type { Direction } from '../../core/model';
import { treeNode } from '../database-run';
import type { CommandFactory } from './index';

/** Tree actions "open up file" and "open down file" of a version node. */
function openFile(direction: Direction): CommandFactory {
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

export const openUpFile = openFile('up');
export const openDownFile = openFile('down');
