import * as vscode from 'vscode';
import { versionLabel } from '../../core/plan-summary';
import { commandOptions } from '../command-arguments';
import { chooseFolderModel } from '../database-run';
import { recoverDirty, type RecoveryChoiceId, type RecoveryResult } from '../recovery-dirty';
import { recoverMissingFile } from '../recovery-missing';
import type { CommandFactory } from './index';

/**
 * Recover: the guided way out of a dirty database or a database version with no file on disk. Reachable from the
 * status bar's warning, the tree's dirty or missing row, and the palette. `{ choice }` picks a way out without asking
 * (tests and scripts); a force is still confirmed unless `{ confirm: false }`.
 */
export const recover: CommandFactory = (container) => {
  return async (...args): Promise<RecoveryResult | { kind: 'nothing-to-recover'; message: string } | undefined> => {
    const options = commandOptions(args);
    const choice = options.choice as RecoveryChoiceId | undefined;
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    await model.refreshDatabase();
    const state = model.database;
    if (state.kind === 'connected' && state.version.dirty) {
      return recoverDirty(container, model, state.version.version, options, choice);
    }
    if (state.kind === 'connected' && model.status.summary.currentMissingOnDisk) {
      return recoverMissingFile(container, model, state.version.version, options, choice);
    }
    const message =
      state.kind === 'connected'
        ? `Nothing to recover: the database is clean at ${versionLabel(state.version.version)} and its files are on disk.`
        : 'Nothing to recover: Migration Lens is not connected to this folder’s database.';
    void vscode.window.showInformationMessage(message);
    return { kind: 'nothing-to-recover', message };
  };
};
