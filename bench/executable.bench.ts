import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { builtExecutable, CLI, createTestDatabase } from '../test/db/support';
import { type Benchmark, median, timed } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
const MIGRATIONS = path.join(ROOT, 'test', 'fixtures', 'basic');
const RUNS = 9;

/**
 * The single executable against `node dist/cli.js`: its size, and the start-up a user waits for, `version` on a fresh
 * database (the version table is dropped before each run, so each one connects, creates it and reads it) and
 * `-version` (no database). Medians of nine runs each, the two commands taking turns.
 */
export const benchmark: Benchmark = {
  name: 'single executable: size and start-up against node dist/cli.js',
  async run() {
    const executable = builtExecutable();
    const db = await createTestDatabase('bench_executable');
    try {
      const commands = {
        executable: [executable],
        'node dist/cli.js': [process.execPath, CLI],
      };
      const times: Record<string, { version: number[]; bare: number[] }> = {};
      for (const name of Object.keys(commands)) times[name] = { version: [], bare: [] };
      for (let index = 0; index < RUNS; index++) {
        for (const [name, [command, ...prefix]] of Object.entries(commands)) {
          await db.sql.query('DROP TABLE IF EXISTS schema_migrations');
          const args = [...prefix, '-path', MIGRATIONS, '-database', db.url, 'version'];
          times[name].version.push(await timed(() => spawnSync(command, args)));
          times[name].bare.push(await timed(() => spawnSync(command, [...prefix, '-version'])));
        }
      }
      const figures: Record<string, string> = {
        'executable size (MB)': (statSync(executable).size / 1e6).toFixed(1),
      };
      for (const [name, { version, bare }] of Object.entries(times)) {
        figures[`${name}: version, fresh database (ms)`] = median(version).toFixed(0);
        figures[`${name}: -version (ms)`] = median(bare).toFixed(0);
      }
      return { name: this.name, figures };
    } finally {
      await db.drop();
    }
  },
};
