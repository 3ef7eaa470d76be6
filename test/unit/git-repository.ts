import { execFileSync } from 'node:child_process';

/** A fixed author and no system or user configuration, so test commits are the same on every machine. */
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs `git` in `folder` (a test's own repository) and returns what it printed. */
export function gitIn(folder: () => string): (...args: string[]) => string {
  return (...args) => execFileSync('git', args, { cwd: folder(), env: GIT_ENV, encoding: 'utf8' });
}
