import { commandOptions, type CommandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import { confirmModal } from '../confirm';
import type { Container } from '../container';
import {
  chooseFolderModel,
  inRunSession,
  resolveForCommand,
  runWithProgress,
  type CommandResult,
} from '../database-run';
import type { FolderModel } from '../folder-model';
import { versionLabel } from '../../core/plan-summary';
import { NIL_VERSION } from '../../core/model';
import type { LedgerRecord } from '../../core/run-ports';
import { versionWords } from '../../core/safety-recovery';
import type { CommandFactory } from './index';

/** golang-migrate's `force V`: picks a version (-1 included) and, once confirmed, records it as clean. */
export const force: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const version = model && (await pickVersion(model, options, 'Migration Lens: force version', true));
    return model && version !== undefined && forceVersion(container, model, version, options);
  };

/**
 * Sets (version, clean) under the lock after a confirmation that says what force does and does not do; `recovery`
 * (what the ledger should now say of the failed migration) is written in the same transaction.
 */
export async function forceVersion(
  container: Container,
  model: FolderModel,
  version: bigint,
  options: CommandOptions,
  recovery?: LedgerRecord,
): Promise<CommandResult> {
  const connection = await resolveForCommand(container, model);
  if ('refused' in connection) return { kind: 'refused', message: connection.refused };
  const { target } = connection.resolved;
  const what = versionWords(version);
  container.output.info(`${model.folder.name} on ${target.redactedUrl}: force ${version}`);
  if (options.confirm !== false) {
    const detail = [
      `Database: ${target.redactedUrl}`,
      '',
      version === NIL_VERSION
        ? 'Force -1 empties the version table: the database will look as if no migration ever ran.'
        : `Force writes version ${version}, clean, into the version table.`,
      'No SQL from any migration file runs, and the schema is not checked against the files.',
      '',
      'Use it after a failed migration, once the schema has been repaired by hand: pick the version whose changes are all in place.',
    ].join('\n');
    if (!(await confirmModal(`Force the database to ${what}?`, detail, `Force ${version}`))) {
      container.output.info('cancelled: nothing ran');
      return { kind: 'declined' };
    }
  }
  return inRunSession(container, model, connection.resolved, (session) =>
    runWithProgress(container, model, `Migration Lens: force ${versionLabel(version)}`, 0, options, (runOptions) =>
      session.force(version, runOptions, recovery ? [recovery] : []),
    ),
  );
}
