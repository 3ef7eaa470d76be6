import { build } from 'esbuild';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Benchmark, nowMs } from './harness';

const ROOT = path.resolve(__dirname, '..', '..');

/** The packaged bundles' sizes: the same esbuild settings as `scripts/build.mjs --production`, into a scratch folder. */
export const benchmark: Benchmark = {
  name: 'bundle: production build of the extension and the command line',
  async run() {
    const folder = await mkdtemp(path.join(tmpdir(), 'ml-bundle-bench-'));
    try {
      const sizes: Record<string, number> = {};
      const largest: Record<string, number> = {};
      const started = nowMs();
      for (const [name, entry, external] of [
        ['extension.js', 'src/extension.ts', ['vscode']],
        ['cli.js', 'src/cli/main.ts', []],
      ] as const) {
        const outfile = path.join(folder, name);
        const result = await build({
          entryPoints: [path.join(ROOT, entry)],
          outfile,
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          minify: true,
          external: [...external],
          metafile: true,
          logLevel: 'warning',
        });
        sizes[name] = (await stat(outfile)).size;
        if (name === 'extension.js') {
          const inputs = Object.values(result.metafile.outputs)[0].inputs;
          const byPackage = new Map<string, number>();
          for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
            const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'migration-lens';
            byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
          }
          for (const [owner, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
            largest[`  extension.js from ${owner} (KB)`] = Math.round(bytes / 1024);
          }
        }
      }
      const megabytes = (bytes: number) => bytes / 2 ** 20;
      return {
        name: this.name,
        figures: {
          'extension.js, minified (MB)': megabytes(sizes['extension.js']).toFixed(2),
          'cli.js, minified (MB)': megabytes(sizes['cli.js']).toFixed(2),
          ...largest,
          'build time, both (ms)': (nowMs() - started).toFixed(0),
        },
        targets: [{ what: 'extension bundle', value: megabytes(sizes['extension.js']), atMost: 1.5, unit: 'MB' }],
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },
};
