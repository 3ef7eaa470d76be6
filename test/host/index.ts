// The extension-tests entry the workbench loads inside the real extension host. scripts/host-tests.mjs chooses the
// compiled test files of each run and passes them in MIGRATION_LENS_HOST_TESTS (a JSON array of absolute paths); they
// run with mocha's TDD interface (suite/test). MIGRATION_LENS_HOST_GREP narrows the run to matching test titles.
// The last line printed carries the counts for the launcher: __RESULT__ {"passed":N,"failed":M,"pending":P}.
import Mocha from 'mocha';

const RESULT_MARKER = '__RESULT__';

function testFiles(): string[] {
  const files = process.env['MIGRATION_LENS_HOST_TESTS'];
  if (files === undefined)
    throw new Error('MIGRATION_LENS_HOST_TESTS is not set: run the host tests through scripts/host-tests.mjs');
  return JSON.parse(files) as string[];
}

export async function run(): Promise<void> {
  const grep = process.env['MIGRATION_LENS_HOST_GREP'];
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  for (const file of testFiles()) mocha.addFile(file);
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
