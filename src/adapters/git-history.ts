import { execFile } from 'node:child_process';
import { parseMigrationFileName } from '../core/names';

/** A migration file as it was in the last commit that had it. */
export interface HistoricFile {
  readonly commit: string;
  /** The file's path relative to the migrations folder, as `git show <commit>:./<path>` takes it from there. */
  readonly path: string;
  readonly committedAt: Date;
  readonly subject: string;
}

const COMMIT_FORMAT = '%H%x00%ct%x00%s';

/** True when `folder` is inside a git work tree and git is installed. */
export async function isInGitRepository(folder: string): Promise<boolean> {
  try {
    return (await git(folder, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * The newest commit, on any branch, whose tree holds a file of `version` in `direction` directly in the migrations
 * `folder`: the commit that added or last changed it, or the parent of the one that deleted it. Undefined when the
 * history never had such a file or the folder is not in a git repository.
 */
export async function findDeletedMigration(
  folder: string,
  version: bigint,
  direction: 'up' | 'down',
): Promise<HistoricFile | undefined> {
  if (!(await isInGitRepository(folder))) return undefined;
  const marker = '\u0001';
  const log = await git(folder, [
    '-c',
    'core.quotePath=false',
    'log',
    '--all',
    '--no-renames',
    '--relative',
    '--name-status',
    `--format=${marker}${COMMIT_FORMAT}`,
    '--',
    '.',
  ]);
  for (const entry of log.split(marker).slice(1)) {
    const [header = '', ...changes] = entry.split('\n');
    for (const change of changes) {
      const [status, path] = change.split('\t');
      if (status === undefined || path === undefined || path.includes('/')) continue;
      const name = parseMigrationFileName(path);
      if (name?.version !== version || name.direction !== direction) continue;
      const holder =
        status === 'D'
          ? await git(folder, ['log', '-1', `--format=${COMMIT_FORMAT}`, `${header.split('\0')[0]}^`])
          : header;
      const [commit = '', seconds = '0', subject = ''] = holder.trim().split('\0');
      return { commit, path, committedAt: new Date(Number(seconds) * 1000), subject };
    }
  }
  return undefined;
}

/** The content of `file` in its commit. */
export function showHistoricFile(folder: string, file: HistoricFile): Promise<string> {
  return git(folder, ['show', `${file.commit}:./${file.path}`]);
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
