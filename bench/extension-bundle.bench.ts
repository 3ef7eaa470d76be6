import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Benchmark, nowMs } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');

/** Sizes of the bundles `npm run package` packs: `scripts/build.mjs --production`, into a scratch folder. */
export const benchmark: Benchmark = {
  name: 'bundle: production build of the extension and the command line',
  async run() {
    const folder = await mkdtemp(path.join(tmpdir(), 'ml-bundle-bench-'));
    try {
      const started = nowMs();
      await promisify(execFile)(process.execPath, [
        path.join(ROOT, 'scripts', 'build.mjs'),
        '--production',
        '--outdir',
        folder,
      ]);
      const buildMs = nowMs() - started;
      const megabytes = async (file: string) => (await stat(path.join(folder, file))).size / 2 ** 20;
      const vendor = (await readdir(path.join(folder, 'vendor'))).sort().map((name) => `vendor/${name}`);
      const loadedAtActivation = await megabytes('extension.js');
      let extensionTotal = loadedAtActivation;
      const vendorFigures: Record<string, string> = {};
      for (const file of vendor) {
        const size = await megabytes(file);
        extensionTotal += size;
        vendorFigures[`${file}, loaded on first use (MB)`] = size.toFixed(2);
      }
      return {
        name: this.name,
        figures: {
          'extension.js, loaded at activation (MB)': loadedAtActivation.toFixed(2),
          ...vendorFigures,
          'extension, every file it can load (MB)': extensionTotal.toFixed(2),
          'cli.js, without the vendor files (MB)': (await megabytes('cli.js')).toFixed(2),
          'build time, all bundles (ms)': buildMs.toFixed(0),
        },
        targets: [{ what: 'extension bundle, all its files', value: extensionTotal, atMost: 1.5, unit: 'MB' }],
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },
};
