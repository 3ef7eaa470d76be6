import { findDeletedMigration, showHistoricFile, type HistoricFile } from '../adapters/git-history';
import { describeMissingFileRecovery, forceTargetWords, missingFileRecovery } from '../core/safety-recovery';
import { forceVersion } from './commands/force';
import { describeItem, pickRecovery, type RecoveryFlow, type RecoveryItem } from './recovery-dirty';

/**
 * The database is at `version` and no file of it is on disk: explains the likely causes, then offers the file as the
 * last commit that had it (when the folder is in a git repository) and forcing the highest version below it on disk,
 * confirmed by the force command.
 */
export const recoverMissingFile: RecoveryFlow = async (container, model, version, options, choice) => {
  const recovery = missingFileRecovery(model.catalog, version);
  container.output.info(`${model.folder.name}: ${describeMissingFileRecovery(recovery)}`);
  const folder = model.migrationsFolder!.uri.fsPath;
  let history: HistoricFile | undefined;
  try {
    history =
      (await findDeletedMigration(folder, version, 'up')) ?? (await findDeletedMigration(folder, version, 'down'));
  } catch (error) {
    container.output.warn(`${model.folder.name}: cannot look in git history: ${(error as Error).message}`);
  }

  const items: RecoveryItem[] = [];
  if (history) {
    items.push({
      id: 'show-history',
      label: `$(history) Show ${history.path} from git history`,
      detail: `As in commit ${history.commit.slice(0, 12)} (${history.committedAt.toISOString().slice(0, 10)}): ${history.subject}`,
    });
  }
  const target = forceTargetWords(recovery.forceVersion);
  items.push({
    id: 'force-below',
    label: `$(arrow-down) Force ${target}, the highest version below ${version} on disk`,
    detail: 'Once the schema matches that version, for example after undoing what the missing migration did.',
    forceVersion: recovery.forceVersion,
  });
  const picked = await pickRecovery(
    items,
    choice,
    `No file on disk for the database's version ${version}`,
    `Deleted, renamed, or on another branch? ${recovery.likelyCauses.length} likely causes are in the output.`,
  );
  if (!picked) return { kind: 'offered', choices: items.map(describeItem) };
  if (picked.id === 'show-history' && history) {
    const text = await showHistoricFile(folder, history);
    const editor = await container.safety.showReadOnly(`${history.commit.slice(0, 12)}/${history.path}`, text);
    return { kind: 'opened', uri: editor.document.uri.toString() };
  }
  return forceVersion(container, model, recovery.forceVersion, options);
};
