import * as vscode from 'vscode';
import { NIL_VERSION } from '../core/model';
import type { LedgerRecord } from '../core/run-ports';
import { checksumsOf } from '../core/safety-checksum';
import { describeDirtyRecovery, describeFailure, dirtyRecovery, failureBehind } from '../core/safety-recovery';
import type { CommandOptions } from './command-arguments';
import { forceVersion } from './commands/force';
import type { Container } from './container';
import type { CommandResult } from './database-run';
import type { FolderModel } from './folder-model';

/** The ways out the recovery flows offer; `{ choice }` picks one without the quick pick. */
export type RecoveryChoiceId = 'completed' | 'undone' | 'open-down' | 'open-failure' | 'show-history' | 'force-below';

/** What a recovery flow did: a force (the force command's result), a file it opened, or nothing. */
export type RecoveryResult =
  | CommandResult
  | { readonly kind: 'opened'; readonly uri: string; readonly line?: number }
  | {
      readonly kind: 'offered';
      readonly choices: readonly { readonly id: RecoveryChoiceId; readonly forceVersion?: string }[];
    };

/** A recovery flow for a folder whose database is at `version`; `choice` answers it without the quick pick. */
export type RecoveryFlow = (
  container: Container,
  model: FolderModel,
  version: bigint,
  options: CommandOptions,
  choice: RecoveryChoiceId | undefined,
) => Promise<RecoveryResult>;

export interface RecoveryItem extends vscode.QuickPickItem {
  readonly id: RecoveryChoiceId;
  readonly forceVersion?: bigint;
}

/**
 * The database is dirty at `version`: says which migration failed and, when Migration Lens ran it, where and why;
 * then offers the two honest ways out with the exact version to force (confirmed by the force command, which names
 * it), the down file to help undo, and the failing line.
 */
export const recoverDirty: RecoveryFlow = async (container, model, version, options, choice) => {
  const behind = failureBehind(container.safety.ledger(model) ?? [], model.catalog, version);
  const failure = behind?.failure;
  const failedDown = failure?.direction === 'down' ? behind?.version : undefined;
  const recovery = dirtyRecovery(model.catalog, version, failedDown);
  const log = container.output;
  log.info(`${model.folder.name}: ${describeDirtyRecovery(recovery)}`);
  if (failure) log.info(`  ${describeFailure(failure)}`);

  const items: RecoveryItem[] = [];
  const completedAt = recovery.markCompleted.forceVersion;
  // Marking a version with no file as completed would leave golang-migrate with "no migration found".
  if (completedAt === NIL_VERSION || model.catalog.has(completedAt)) {
    items.push({
      id: 'completed',
      label: `$(check) ${recovery.markCompleted.title}`,
      detail: recovery.markCompleted.explanation,
      forceVersion: completedAt,
    });
  }
  items.push({
    id: 'undone',
    label: `$(discard) ${recovery.markUndone.title}`,
    detail: recovery.markUndone.explanation,
    forceVersion: recovery.markUndone.forceVersion,
  });
  // To undo a failed up, its down file shows the way back; to undo a failed down, the up file of that version.
  const helper = failedDown === undefined ? model.catalog.get(version)?.down : model.catalog.get(failedDown)?.up;
  if (helper) {
    items.push({
      id: 'open-down',
      label: `$(go-to-file) Open ${helper.fileName}`,
      detail: 'Its statements show how to undo what the failed run did.',
    });
  }
  if (failure?.fileName !== undefined) {
    items.push({
      id: 'open-failure',
      label: `$(error) Show the failing statement`,
      detail: describeFailure(failure),
    });
  }
  const title = `Database dirty at version ${version}${failure ? `: ${describeFailure(failure)}` : ''}`;
  const picked = await pickRecovery(items, choice, title, 'Which is true of the database now?');
  if (!picked) return { kind: 'offered', choices: items.map(describeItem) };
  switch (picked.id) {
    case 'open-down':
      return openFile(model, helper!.fileName);
    case 'open-failure':
      return openFile(model, failure!.fileName!, failure!.line);
    default: {
      // A failed up completed, or a failed down undone, leaves the migration applied; otherwise it is not. The ledger
      // records that with the force, so it stops reporting the failure.
      const migration = failedDown ?? version;
      const applied = (picked.id === 'completed') === (failedDown === undefined);
      return forceVersion(container, model, picked.forceVersion!, options, recoveryRecord(model, migration, applied));
    }
  }
};

/** The ledger row a recovery writes with its force: the migration applied (with its up file as it is now) or not. */
function recoveryRecord(model: FolderModel, version: bigint, applied: boolean): LedgerRecord {
  if (!applied) return { kind: 'reverted', version, durationMs: 0 };
  const up = model.catalog.get(version)?.up;
  const text = up && model.contents.get(up.fileName);
  return {
    kind: 'applied',
    version,
    ...(up && { fileName: up.fileName }),
    ...(text !== undefined && { checksums: checksumsOf(text) }),
    durationMs: 0,
  };
}

/** The item `choice` names, else the user's pick; undefined when the choice is not offered or the pick cancelled. */
export async function pickRecovery(
  items: readonly RecoveryItem[],
  choice: RecoveryChoiceId | undefined,
  title: string,
  placeHolder: string,
): Promise<RecoveryItem | undefined> {
  if (choice !== undefined) return items.find((item) => item.id === choice);
  return vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDetail: true });
}

export function describeItem(item: RecoveryItem): { id: RecoveryChoiceId; forceVersion?: string } {
  return { id: item.id, ...(item.forceVersion !== undefined && { forceVersion: String(item.forceVersion) }) };
}

async function openFile(model: FolderModel, fileName: string, line?: number): Promise<RecoveryResult> {
  const uri = model.fileUri(fileName)!;
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: false });
  return { kind: 'opened', uri: uri.toString(), ...(line !== undefined && { line }) };
}
