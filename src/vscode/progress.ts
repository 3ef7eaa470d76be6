import * as vscode from 'vscode';

/** What a long run reports while it works: a line per step and, when the number of steps is known, the share done. */
export interface StepReporter {
  /** Shows `message` as the current step; `stepsTotal` makes the bar advance by one step. */
  step(message: string, stepsTotal?: number): void;
}

/**
 * Runs `task` under a notification with a Cancel button. Cancel aborts the signal handed to the task; the migrator
 * checks it between migrations, so a statement already sent to the server always finishes.
 */
export function withCancellableProgress<T>(
  title: string,
  task: (reporter: StepReporter, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      const reporter: StepReporter = {
        step(message, stepsTotal) {
          progress.report(stepsTotal ? { message, increment: 100 / stepsTotal } : { message });
        },
      };
      try {
        return await task(reporter, controller.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
}
