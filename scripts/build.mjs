#!/usr/bin/env node
// Bundles the extension and the command line into dist/ (or the folder after --outdir) with esbuild.
// mysql2 and sql-formatter are most of the code, yet needed only to connect and to format. The sources import them
// dynamically, and each becomes a file of its own in vendor/ that is loaded on first use: loading the extension then
// compiles only its own code. A static import of either would pull it back into the main bundles; the build refuses it.
// The Go reader (web-tree-sitter) is loaded the same way, with the two WebAssembly files it reads copied beside it.
// `--single-file-cli <file>` bundles only the command line, vendor code included, into one file: the single executable
// (scripts/build-exe.mjs) runs one script and cannot load files beside it.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const production = process.argv.includes('--production');
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex > 0 ? path.resolve(process.argv[outdirIndex + 1]) : path.join(root, 'dist');
const singleFileIndex = process.argv.indexOf('--single-file-cli');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // import() of a vendor file becomes a require(): the extension host's module loader then serves it like the bundle.
  supported: { 'dynamic-import': false },
  define: { MIGRATION_LENS_VERSION: JSON.stringify(version) },
};

/** What the sources import dynamically, and the file of dist/ each import loads instead. */
const LOADED_ON_FIRST_USE = [
  { specifier: 'mysql2', entry: createRequire(import.meta.url).resolve('mysql2'), outfile: 'vendor/mysql2.js' },
  { specifier: './mysql-formatter', entry: 'src/adapters/mysql-formatter.ts', outfile: 'vendor/sql-formatter.js' },
  // Beside its .wasm files once built; only the compiled sources, run by the tests, look the grammar up in its package.
  {
    specifier: './go-syntax',
    entry: 'src/adapters/go-syntax.ts',
    outfile: 'vendor/go-syntax.js',
    external: ['tree-sitter-go/*'],
    plugins: [commonJsWebTreeSitter()],
  },
];

/**
 * web-tree-sitter's CommonJS build: its ES module build declares `require` with `var` after using it, which breaks once
 * bundled into CommonJS.
 */
function commonJsWebTreeSitter() {
  return {
    name: 'common-js-web-tree-sitter',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^web-tree-sitter$/ }, () => ({
        path: path.join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.cjs'),
      }));
    },
  };
}

/** The WebAssembly files vendor/go-syntax.js loads from its own folder. */
const WASM_FILES = ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-go/tree-sitter-go.wasm'];

const loadedOnFirstUse = {
  name: 'loaded-on-first-use',
  setup(pluginBuild) {
    for (const { specifier, outfile } of LOADED_ON_FIRST_USE) {
      const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      pluginBuild.onResolve({ filter }, (args) => {
        if (args.kind !== 'dynamic-import') {
          return { errors: [{ text: `${specifier} must be imported with import(): it is loaded on first use` }] };
        }
        return { path: `./${outfile}`, external: true };
      });
    }
  },
};

/**
 * Each module's `import * as vscode from 'vscode'` would become a namespace of its own, with every property of the API
 * copied into it when the bundle loads (esbuild's __toESM): that was a third of the extension's load time. They all
 * import one shared module instead, which copies the API once.
 */
const sharedVscodeNamespace = {
  name: 'shared-vscode-namespace',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^vscode$/ }, ({ namespace }) =>
      namespace === 'shared-vscode'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'shared-vscode' },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'shared-vscode' }, () => ({ contents: "export * from 'vscode';" }));
  },
};

const bundles =
  singleFileIndex > 0
    ? [
        {
          entry: 'src/cli/main.ts',
          outfile: path.resolve(process.argv[singleFileIndex + 1]),
          plugins: [commonJsWebTreeSitter()],
        },
      ]
    : [
        ...LOADED_ON_FIRST_USE.map(({ specifier: _, ...bundle }) => bundle),
        {
          entry: 'src/cli/main.ts',
          outfile: 'cli.js',
          banner: { js: '#!/usr/bin/env node' },
          plugins: [loadedOnFirstUse],
        },
        { entry: 'src/extension.ts', outfile: 'extension.js', plugins: [loadedOnFirstUse, sharedVscodeNamespace] },
      ];

for (const { entry, outfile, ...options } of bundles) {
  const file = path.resolve(outdir, outfile);
  await build({ ...common, ...options, entryPoints: [path.resolve(root, entry)], outfile: file });
  // A script with a #! line runs as a command, as the npm bin link runs it.
  if (options.banner) chmodSync(file, 0o755);
}
if (singleFileIndex < 0) {
  mkdirSync(path.join(outdir, 'vendor'), { recursive: true });
  for (const file of WASM_FILES) {
    copyFileSync(path.join(root, 'node_modules', file), path.join(outdir, 'vendor', path.basename(file)));
  }
}
