/**
 * Finds and reads `migration-lens.json` for the command line: from the migrations folder up to the first folder
 * holding that file or a `.git` (the project's root), so a command run on `db/migrations` reads the file beside the
 * repository's root. The editor reads it at the workspace folder's root instead.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseProjectFile, PROJECT_FILE_NAME, type ProjectFileReading } from '../core/project-file';

/** The project file that applies to `folder`, if any, and what it says (the defaults when there is none). */
export async function readProjectFile(folder: string): Promise<ProjectFileReading & { readonly file?: string }> {
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    const file = path.join(current, PROJECT_FILE_NAME);
    if (await exists(file)) return { ...parseProjectFile(await readFile(file, 'utf8')), file };
    if ((await exists(path.join(current, '.git'))) || path.dirname(current) === current) break;
  }
  return parseProjectFile('');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
