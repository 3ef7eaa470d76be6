import * as vscode from 'vscode';
import { waitFor } from '../../db/support';

/** Answers every question `pending` asks with `action` until the command ends, and returns its result. */
async function answeringUntilDone<T>(pending: Thenable<T>, action: string, what: string): Promise<T> {
  let settled = false;
  const result = Promise.resolve(pending).finally(() => (settled = true));
  await waitFor(what, async () => {
    if (settled) return true;
    await vscode.commands.executeCommand(action);
    return undefined;
  });
  return result;
}

/** Smoke-test mode answers dialogs but leaves quick picks and input boxes open: close them (as Escape does). */
export function closingQuickInput<T>(pending: Thenable<T>): Promise<T> {
  return answeringUntilDone(
    pending,
    'workbench.action.closeQuickOpen',
    'the command to end once its quick pick or input box is closed',
  );
}

/** Accepts the active item of whatever quick pick or input box the command shows, until the command ends. */
export function acceptingQuickInput<T>(pending: Thenable<T>): Promise<T> {
  return answeringUntilDone(
    pending,
    'workbench.action.acceptSelectedQuickOpenItem',
    'the command to end once its question is answered',
  );
}
