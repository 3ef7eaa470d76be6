import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nextMigrationNames, type CreateRequest, type NewMigrationNames } from '../core/naming';
import { listMigrationFolder } from './file-source';

/** The pair `create` made: the version and the absolute paths of both files. */
export interface CreatedMigration {
  readonly version: string;
  readonly upPath: string;
  readonly downPath: string;
}

/** What a new pair holds; golang-migrate's `create` leaves both files empty. */
export interface MigrationContents {
  readonly up: string;
  readonly down: string;
}

/**
 * golang-migrate's `create`: makes the folder if needed, chooses the names with the core's rules, and creates both
 * files exclusively (an existing file is never overwritten), empty unless `contents` are given (a quick fix writes
 * the SQL). Unlike golang-migrate, when the down file cannot be created the new up file is removed again, so no half
 * pair is left behind.
 */
export async function createMigrationFiles(
  folder: string,
  request: Omit<CreateRequest, 'existingFileNames'>,
  contents: MigrationContents = { up: '', down: '' },
): Promise<CreatedMigration> {
  const names: NewMigrationNames = nextMigrationNames({ ...request, existingFileNames: await fileNames(folder) });
  await mkdir(folder, { recursive: true });
  const upPath = path.join(folder, names.up);
  const downPath = path.join(folder, names.down);
  await writeFile(upPath, contents.up, { flag: 'wx' });
  try {
    await writeFile(downPath, contents.down, { flag: 'wx' });
  } catch (error) {
    await unlink(upPath).catch(() => undefined);
    throw error;
  }
  return { version: names.version, upPath, downPath };
}

async function fileNames(folder: string): Promise<string[]> {
  try {
    return (await listMigrationFolder(folder)).files.map((file) => file.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
