import { MigrationFailedError, serverErrorText } from '../core/errors';
import type { LedgerError } from '../core/safety-drift';
import { checksumsOf } from '../core/safety-checksum';
import { MigrationLedger, type LedgerSettings } from './ledger-store';
import {
  migrate,
  type MigrateRequest,
  type MigrateResult,
  type MigrationHooks,
  type MigratorOptions,
  type StepInfo,
} from './migrator';
import type { DatabaseConfig } from './mysql/dsn';

/** Migrator hooks that record each step in the ledger, and the ledger's connection to close after the run. */
export interface LedgerRecorder {
  readonly hooks: MigrationHooks;
  close(): Promise<void>;
}

export interface LedgerRecorderOptions extends LedgerSettings {
  readonly database: DatabaseConfig;
  /** A ledger that cannot be written never stops a migration; this hears why it was not written. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Hooks for `migrate` that record each step in the ledger. The ledger's connection opens at the first step (a run that
 * changes nothing never connects) and creates the table unless opted out. When the table does not exist and may not be
 * created, or the ledger cannot be reached, the hooks record nothing and the migration goes on.
 */
function createLedgerRecorder(options: LedgerRecorderOptions): LedgerRecorder {
  let opening: Promise<MigrationLedger | undefined> | undefined;
  const ledger = () =>
    (opening ??= openPrepared(options).catch((error: unknown) => {
      options.onError?.(error);
      return undefined;
    }));
  const record = async (write: (ledger: MigrationLedger) => Promise<void>) => {
    try {
      const open = await ledger();
      if (open) await write(open);
    } catch (error) {
      options.onError?.(error);
    }
  };

  const hooks: MigrationHooks = {
    // Opened before the first step runs, so the ledger is ready when it ends.
    onStepStart: async () => {
      await ledger();
    },
    onStepDone: (step, durationMs, _database, sql) =>
      record((open) =>
        step.direction === 'up'
          ? open.recordApplied(
              step.version,
              step.fileName,
              sql === undefined ? undefined : checksumsOf(sql),
              durationMs,
            )
          : open.recordReverted(step.version, durationMs),
      ),
    onStepFailed: (step, error, _database, durationMs) =>
      record((open) => open.recordFailed(step.version, failureOf(step, error), durationMs)),
  };
  return {
    hooks,
    async close() {
      await (await opening)?.close();
    },
  };
}

/** Runs `migrate` with the caller's hooks and then the ledger's, closing the ledger afterwards. */
export async function migrateWithLedger(
  request: MigrateRequest,
  options: MigratorOptions,
  ledger: Omit<LedgerRecorderOptions, 'database'>,
): Promise<MigrateResult> {
  const recorder = createLedgerRecorder({ ...ledger, database: options.database });
  try {
    return await migrate(request, { ...options, hooks: chainHooks(options.hooks, recorder.hooks) });
  } finally {
    await recorder.close();
  }
}

/** Each hook of `first`, then the same hook of `second`; a hook that throws stops the chain, as in the migrator. */
function chainHooks(first: MigrationHooks | undefined, second: MigrationHooks): MigrationHooks {
  if (!first) return second;
  return {
    async onStepStart(step, database) {
      await first.onStepStart?.(step, database);
      await second.onStepStart?.(step, database);
    },
    async onStepDone(step, durationMs, database, sql) {
      await first.onStepDone?.(step, durationMs, database, sql);
      await second.onStepDone?.(step, durationMs, database, sql);
    },
    async onStepFailed(step, error, database, durationMs) {
      await first.onStepFailed?.(step, error, database, durationMs);
      await second.onStepFailed?.(step, error, database, durationMs);
    },
  };
}

async function openPrepared(options: LedgerRecorderOptions): Promise<MigrationLedger | undefined> {
  const ledger = await MigrationLedger.open(options.database, options);
  try {
    if (await ledger.prepare()) return ledger;
  } catch (error) {
    await ledger.close();
    throw error;
  }
  await ledger.close();
  return undefined;
}

function failureOf(step: StepInfo, error: unknown): LedgerError {
  if (error instanceof MigrationFailedError) {
    return {
      direction: step.direction,
      message: serverErrorText(error.serverCode, error.serverMessage ?? error.message),
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
