import * as vscode from 'vscode';

/**
 * Asks a modal yes/no question whose only positive answer is `action`. Closing the dialog means no. Commands skip
 * this when their caller passed `{ confirm: false }` (automation and tests, where dialogs cannot be answered).
 */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return answer === action;
}

/** Asks the user to type `expected` (e.g. the database name) before a destructive step; true when they did. */
export async function confirmByTyping(prompt: string, expected: string): Promise<boolean> {
  const typed = await vscode.window.showInputBox({
    title: prompt,
    prompt: `Type "${expected}" to confirm.`,
    placeHolder: expected,
    ignoreFocusOut: true,
    validateInput: (value) =>
      value === expected ? undefined : `Type "${expected}" exactly, or press Escape to cancel.`,
  });
  return typed === expected;
}
