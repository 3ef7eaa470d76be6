import { commandOptions } from '../command-arguments';
import { offerBackup, type BackupDecision } from '../backup-offer';
import { chooseFolderModel, resolveForCommand } from '../database-run';
import { NIL_VERSION } from '../../core/model';
import type { CommandFactory } from './index';

/** Backs up every table of the folder's database now, into migrationLens.backupPath. */
export const backup: CommandFactory =
  (container) =>
  async (...args): Promise<BackupDecision | { kind: 'refused'; message: string } | undefined> => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    const connection = await resolveForCommand(container, model);
    if ('refused' in connection) return { kind: 'refused', message: connection.refused };
    await model.refreshDatabase();
    const version = model.database.kind === 'connected' ? model.database.version.version : NIL_VERSION;
    return offerBackup(container, model, connection.resolved, version, 'all', options, 'always');
  };
