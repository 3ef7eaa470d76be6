import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Benchmark } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
/** Where test/host/perf-large-folder.packaged.test.ts writes what it measured. */
const REPORT = path.join(ROOT, 'out', 'test-reports', 'host-perf.json');
const ACTIVATION = 'activation: bundle load + activate(), medians (ms)';

/**
 * Activation and a tree of 10,000 versions in a real VS Code: runs the host perf suite in its packaged configuration
 * (the extension loaded from the packed .vsix, as users get it) and reads back the figures it reported.
 */
export const benchmark: Benchmark = {
  name: 'host: the packed extension in a real VS Code',
  async run() {
    rmSync(REPORT, { force: true });
    const run = await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'host-tests.mjs')], {
      env: { ...process.env, MIGRATION_LENS_HOST_FILES: 'perf-large-folder' },
      maxBuffer: 64 * 2 ** 20,
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`the host perf suite failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const figures = JSON.parse(readFileSync(REPORT, 'utf8')) as Record<string, number>;
    if (figures[ACTIVATION] === undefined)
      throw new Error(`the host perf suite reported no activation:\n${run.stdout}`);
    return {
      name: this.name,
      figures: Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, String(value)])),
      targets: [{ what: 'activation (bundle load + activate())', value: figures[ACTIVATION], atMost: 30, unit: 'ms' }],
    };
  },
};
