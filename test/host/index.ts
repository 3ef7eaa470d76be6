// The extension-tests entry the workbench loads inside the real extension host (see scripts/host-tests.mjs).
// Runs every compiled *.test.js next to this file with mocha's TDD interface (suite/test). Files named
// *.untrusted.test.js run only in the configuration that opens the workspace in Restricted Mode, the others only in the
// trusted one. MIGRATION_LENS_HOST_FILES (comma-separated substrings of file names) and MIGRATION_LENS_HOST_GREP
// (a mocha grep) narrow the run while working on one suite.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const RESULT_MARKER = '__RESULT__';

function selectedFiles(): string[] {
  const untrusted = process.env['MIGRATION_LENS_HOST_CONFIGURATION'] === 'untrusted';
  const wanted = (process.env['MIGRATION_LENS_HOST_FILES'] ?? '').split(',').filter((part) => part !== '');
  return readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .filter((file) => file.endsWith('.untrusted.test.js') === untrusted)
    .filter((file) => wanted.length === 0 || wanted.some((part) => file.includes(part)))
    .sort()
    .map((file) => path.join(__dirname, file));
}

export async function run(): Promise<void> {
  const grep = process.env['MIGRATION_LENS_HOST_GREP'];
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  for (const file of selectedFiles()) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('end', () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      console.log(`${RESULT_MARKER} ${JSON.stringify({ passed: passes, failed: failures, pending })}`);
    });
  });
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
