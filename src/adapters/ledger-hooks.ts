import { MigrationFailedError } from '../core/errors';
import type { LedgerError } from '../core/safety-drift';
import { checksumsOf } from '../core/safety-checksum';
import { readSourceFile } from './file-source';
import { MigrationLedger, type LedgerSettings } from './ledger-store';
import type { MigrationHooks, StepInfo } from './migrator';
import type { DatabaseConfig } from './mysql/dsn';

/** Migrator hooks that record each step in the ledger, and the ledger's connection to close after the run. */
export interface LedgerRecorder {
  readonly hooks: MigrationHooks;
  close(): Promise<void>;
}

export interface LedgerRecorderOptions extends LedgerSettings {
  readonly database: DatabaseConfig;
  /** The migrations folder the migrator reads, to checksum the up files it runs. */
  readonly folder: string;
  /** A ledger that cannot be written never stops a migration; this hears why it was not written. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Opens the ledger (creating its table unless opted out) and returns hooks for `migrate`. When the table does not
 * exist and may not be created, or the ledger cannot be reached, the hooks record nothing.
 */
export async function openLedgerRecorder(options: LedgerRecorderOptions): Promise<LedgerRecorder> {
  let ledger: MigrationLedger | undefined;
  try {
    ledger = await MigrationLedger.open(options.database, options);
    if (!(await ledger.prepare())) {
      await ledger.close();
      ledger = undefined;
    }
  } catch (error) {
    options.onError?.(error);
    await ledger?.close().catch(() => undefined);
    ledger = undefined;
  }
  if (!ledger) return { hooks: {}, close: () => Promise.resolve() };
  const open = ledger;

  const startedAt = new Map<bigint, number>();
  const upChecksums = new Map<bigint, { raw: string; normalized: string }>();
  const guarded = async (record: () => Promise<void>) => {
    try {
      await record();
    } catch (error) {
      options.onError?.(error);
    }
  };

  const hooks: MigrationHooks = {
    onStepStart: (step) =>
      guarded(async () => {
        startedAt.set(step.version, performance.now());
        if (step.direction === 'up' && step.fileName !== undefined) {
          const file = await readSourceFile(options.folder, step.fileName);
          upChecksums.set(step.version, checksumsOf(file.content));
        }
      }),
    onStepDone: (step, durationMs) =>
      guarded(() =>
        step.direction === 'up'
          ? open.recordApplied(step.version, step.fileName, upChecksums.get(step.version), durationMs)
          : open.recordReverted(step.version, durationMs),
      ),
    onStepFailed: (step, error) =>
      guarded(() =>
        open.recordFailed(
          step.version,
          failureOf(step, error),
          performance.now() - (startedAt.get(step.version) ?? performance.now()),
        ),
      ),
  };
  return { hooks, close: () => open.close() };
}

function failureOf(step: StepInfo, error: unknown): LedgerError {
  if (error instanceof MigrationFailedError) {
    const server = error.serverCode === undefined ? '' : `Error ${error.serverCode}: `;
    return {
      direction: step.direction,
      message: `${server}${error.serverMessage ?? error.message}`,
      ...(step.fileName !== undefined && { fileName: step.fileName }),
      ...(error.statementIndex !== undefined && { statementIndex: error.statementIndex }),
      ...(error.line !== undefined && { line: error.line }),
      at: new Date(),
    };
  }
  return {
    direction: step.direction,
    message: error instanceof Error ? error.message : String(error),
    ...(step.fileName !== undefined && { fileName: step.fileName }),
    at: new Date(),
  };
}
