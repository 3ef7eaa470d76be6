import { type LockHolder, LockHeldError } from './mysql/database';

/** The run was cancelled while another session still held the lock; nothing ran. */
export class LockWaitCancelledError extends Error {
  override readonly name = 'LockWaitCancelledError';

  constructor(
    readonly lockName: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `cancelled while waiting for lock ${lockName}${holder ? ` (held by connection ${holder.connectionId})` : ''}; ` +
        'nothing ran.',
    );
  }
}

export interface LockWaitOptions {
  /** How long to wait for the lock in all, as golang-migrate's lock timeout. */
  readonly totalSeconds: number;
  /** Called after each short attempt that found the lock held, with who holds it and the seconds waited so far. */
  readonly onWaiting: (holder: LockHolder | undefined, lockName: string, waitedSeconds: number) => void;
  readonly signal?: AbortSignal;
}

/** Each attempt waits at most this long inside GET_LOCK, so the holder is reported and Cancel is seen every second. */
const ATTEMPT_SECONDS = 1;

/**
 * Runs `run` (a migrator command given the lock wait of one attempt) until it gets golang-migrate's lock. While
 * another session holds it, each attempt names the holder through `onWaiting`; when `totalSeconds` pass, the last
 * attempt's error is thrown with the whole wait in its message, and Cancel ends the wait with nothing run.
 */
export async function runWaitingForLock<T>(
  run: (lockTimeoutSeconds: number) => Promise<T>,
  options: LockWaitOptions,
): Promise<T> {
  const started = performance.now();
  for (;;) {
    const waited = (performance.now() - started) / 1000;
    try {
      return await run(Math.max(0, Math.min(ATTEMPT_SECONDS, options.totalSeconds - waited)));
    } catch (error) {
      if (!(error instanceof LockHeldError)) throw error;
      const total = (performance.now() - started) / 1000;
      if (total >= options.totalSeconds) {
        throw new LockHeldError(error.lockName, error.databaseName, options.totalSeconds, error.holder);
      }
      if (options.signal?.aborted) throw new LockWaitCancelledError(error.lockName, error.holder);
      options.onWaiting(error.holder, error.lockName, total);
    }
  }
}
