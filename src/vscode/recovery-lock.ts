import { migrateWithLedger } from '../adapters/ledger-hooks';
import { runWaitingForLock } from '../adapters/lock-wait';
import type { MigrateRequest, MigrateResult, MigratorOptions } from '../adapters/migrator';
import type { LockHolder } from '../adapters/mysql/database';
import { DEFAULT_EDITOR_SETTINGS } from '../core/editor-settings';
import type { Container } from './container';
import type { FolderModel } from './folder-model';
import type { StepReporter } from './progress';
import { safetyServices } from './recovery-services';

/** "connection 42 (app@10.0.0.7:51234, Query for 12 s)", as far as the server lets this user see it. */
function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another session';
  const who = holder.user === undefined ? undefined : `${holder.user}${holder.host ? `@${holder.host}` : ''}`;
  const doing = holder.seconds === undefined ? undefined : `${holder.command ?? 'connected'} for ${holder.seconds} s`;
  const details = [who, doing].filter((part) => part !== undefined);
  return `connection ${holder.connectionId}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/**
 * Runs up, down or goto from the editor: each step recorded in the folder's ledger, and while another run holds
 * golang-migrate's lock, the progress notification names the holder and its Cancel ends the wait. The ledger is read
 * again afterwards so the tree and diagnostics show what ran.
 */
export async function migrateFromEditor(
  container: Container,
  model: FolderModel,
  request: MigrateRequest,
  options: MigratorOptions,
  reporter: StepReporter,
): Promise<MigrateResult> {
  const services = safetyServices(container);
  const totalSeconds = options.lockTimeoutSeconds ?? DEFAULT_EDITOR_SETTINGS.lockTimeoutSeconds;
  let told = false;
  // The ledger is read again when the run's version change reaches the model.
  return runWaitingForLock(
    (lockTimeoutSeconds) =>
      migrateWithLedger(
        request,
        { ...options, lockTimeoutSeconds },
        {
          ...services.ledgerSettings(model),
          onError: (error) =>
            container.output.warn(`${model.folder.name}: not recorded in the ledger: ${(error as Error).message}`),
        },
      ),
    {
      totalSeconds,
      ...(options.signal && { signal: options.signal }),
      onWaiting: (holder, lockName, waitedSeconds) => {
        const message = `Waiting for lock ${lockName}, held by ${describeHolder(holder)}`;
        if (!told) container.output.info(`${model.folder.name}: ${message}`);
        told = true;
        reporter.step(`${message}: ${Math.floor(waitedSeconds)} of ${totalSeconds} s. Cancel stops waiting.`);
      },
    },
  );
}
