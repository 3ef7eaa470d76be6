#!/usr/bin/env node
// Bundles the extension and the command line into dist/ (or the folder after --outdir) with esbuild.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const production = process.argv.includes('--production');
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex > 0 ? path.resolve(process.argv[outdirIndex + 1]) : path.join(root, 'dist');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
};

const entries = [
  { entry: 'src/cli/main.ts', outfile: 'cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entry: 'src/extension.ts', outfile: 'extension.js', external: ['vscode'] },
];

for (const { entry, outfile, ...options } of entries) {
  if (!existsSync(path.join(root, entry))) continue;
  await build({ ...common, ...options, entryPoints: [path.join(root, entry)], outfile: path.join(outdir, outfile) });
}
