import { buildCatalog } from '../src/core/catalog';
import { lintMigrations } from '../src/core/lint';
import { migrationStatuses } from '../src/core/status';
import { type Benchmark, median, samples } from './harness';

const VERSIONS = 10_000;

/** The catalog, status and lint on a folder of 10,000 versions, and the cost of a one-file change. */
export const benchmark: Benchmark = {
  name: 'core: catalog of 10,000 versions',
  async run() {
    const files = Array.from({ length: VERSIONS }, (_, index) => {
      const digits = String(index + 1).padStart(6, '0');
      return [{ name: `${digits}_step_${index}.up.sql` }, { name: `${digits}_step_${index}.down.sql` }];
    }).flat();
    const contents = new Map(
      files.map((file) => [
        file.name,
        file.name.includes('.down.') ? 'DROP TABLE t;\n' : 'CREATE TABLE t (id INT PRIMARY KEY);\n',
      ]),
    );
    const build = median(await samples(5, () => buildCatalog(files)));
    let catalog = buildCatalog(files);
    const added = await samples(200, (i) => {
      catalog = catalog.withFileAdded(`${String(5000 + i).padStart(6, '0')}_extra.up.sql`);
    });
    const addedVersion = await samples(200, (i) => {
      catalog = catalog.withFileAdded(`${20_000 + i}_new.down.sql`);
    });
    const removed = await samples(200, (i) => {
      catalog = catalog.withFileRemoved(`${20_000 + i}_new.down.sql`);
    });
    const status = median(await samples(5, () => migrationStatuses(catalog, { version: 5000n, dirty: false })));
    const fresh = buildCatalog(files);
    const lint = median(await samples(3, () => lintMigrations({ catalog: fresh, contents })));
    const change = Math.max(median(added), median(addedVersion), median(removed));
    return {
      name: this.name,
      figures: {
        'build from 20,000 names (ms, median)': build.toFixed(2),
        'add a file to an existing version (ms, median)': median(added).toFixed(3),
        'add a file with a new version (ms, median)': median(addedVersion).toFixed(3),
        'remove a file (ms, median)': median(removed).toFixed(3),
        'status of every version (ms, median)': status.toFixed(2),
        'lint 20,000 files with contents (ms, median)': lint.toFixed(1),
      },
      targets: [{ what: 'one-file catalog change on 10,000 versions', value: change, atMost: 5, unit: 'ms' }],
    };
  },
};
