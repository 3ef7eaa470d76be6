import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { contentsOf, FolderSource, listMigrationFolder, readMigrationFolder } from '../src/adapters/file-source';
import { buildCatalog } from '../src/core/catalog';
import { lintMigrations } from '../src/core/lint';
import { migrationStatuses } from '../src/core/status';
import { type Benchmark, collectGarbage, median, nowMs, samples, timed } from './harness';

const VERSIONS = 10_000;
/** The open-file limit the worker scans under: far below the folder's 20,000 files. */
const OPEN_FILES_LIMIT = 256;
const RUNS = 7;
/**
 * What a bare listing and read of this folder took where the targets were set. Machines differ: times scaled by this
 * machine's own bare read over this figure say what the scan would take there.
 */
const REFERENCE_BARE_READ_MS = 85;

/**
 * 10,000 versions as 20,000 files of a few hundred bytes, with a few problems sprinkled in: a duplicate version, an
 * up without its down, an empty file, a name golang-migrate ignores, a DROP without IF EXISTS in an up file.
 */
async function writeFolder(folder: string): Promise<void> {
  const files: [string, string][] = [];
  for (let version = 1; version <= VERSIONS; version++) {
    const prefix = `${String(version).padStart(6, '0')}_create_table_${version}`;
    const table = `table_${version}`;
    files.push([
      `${prefix}.up.sql`,
      `-- Table ${version} of the service.\nCREATE TABLE ${table} (\n  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  name varchar(120) NOT NULL,\n  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\nCREATE INDEX idx_${table}_name ON ${table} (name);\n`,
    ]);
    if (version % 2_500 !== 0) files.push([`${prefix}.down.sql`, `DROP TABLE ${table};\n`]);
  }
  files.push(['004000_second_with_same_version.up.sql', 'CREATE TABLE again (id int);\n']);
  files.push(['007000_empty.down.sql', '']);
  files.push(['8000_missing_direction.sql', 'SELECT 1;\n']);
  files.push(['009999_drop_in_up.up.sql', 'DROP TABLE table_1;\n']);
  for (let start = 0; start < files.length; start += 500) {
    await Promise.all(files.slice(start, start + 500).map(([name, text]) => writeFile(path.join(folder, name), text)));
  }
}

/** Scans the folder in a fresh process under a low open-file limit; peak memory is that process's alone. */
async function scanInWorker(folder: string): Promise<{ files: number; baselineRss: number; peakRss: number }> {
  const worker = path.join(__dirname, 'folder-scan-worker.js');
  const { stdout } = await promisify(execFile)('/bin/sh', [
    '-c',
    `ulimit -n ${OPEN_FILES_LIMIT} && exec "$0" "$1" "$2"`,
    process.execPath,
    worker,
    folder,
  ]);
  return JSON.parse(stdout) as { files: number; baselineRss: number; peakRss: number };
}

/** Reading and checking a folder of 10,000 versions from disk, and keeping it current as one file changes. */
export const benchmark: Benchmark = {
  name: 'folder: scan 10,000 versions (20,000 files) from disk',
  async run() {
    const folder = await mkdtemp(path.join(tmpdir(), 'ml-scan-bench-'));
    try {
      await writeFolder(folder);
      const fileCount = readdirSync(folder).length;

      // What any tool pays at least: list the folder and read every file, one after another. This machine's speed
      // varies from minute to minute, so the bare read, names only and the full scan are timed in the same rounds,
      // and each round's ratios compare runs made moments apart.
      const bareRead = () => {
        for (const name of readdirSync(folder)) readFileSync(path.join(folder, name));
      };
      const namesOnlyScan = async () => buildCatalog((await listMigrationFolder(folder)).files);
      const fullScan = async () => {
        const scanned = await readMigrationFolder(folder);
        const scannedCatalog = buildCatalog(scanned.files);
        lintMigrations({ catalog: scannedCatalog, contents: contentsOf(scanned) });
      };
      const rounds = { bare: [] as number[], namesOnly: [] as number[], full: [] as number[] };
      const ratios = { namesOnly: [] as number[], full: [] as number[] };
      for (let round = 0; round < RUNS; round++) {
        const bareMs = await timed(bareRead);
        const namesOnlyMs = await timed(namesOnlyScan);
        const fullMs = await timed(fullScan);
        rounds.bare.push(bareMs);
        rounds.namesOnly.push(namesOnlyMs);
        rounds.full.push(fullMs);
        ratios.namesOnly.push(namesOnlyMs / bareMs);
        ratios.full.push(fullMs / bareMs);
      }
      const bare = median(rounds.bare);
      const namesOnly = median(rounds.namesOnly);
      const full = median(rounds.full);
      const fullRatio = median(ratios.full);
      const namesOnlyRatio = median(ratios.namesOnly);
      const read = median(
        await samples(RUNS, async () => {
          await readMigrationFolder(folder);
        }),
      );
      const listing = await readMigrationFolder(folder);
      const contents = contentsOf(listing);
      const build = median(
        await samples(RUNS, () => {
          buildCatalog(listing.files);
        }),
      );
      let catalog = buildCatalog(listing.files);
      let problems = lintMigrations({ catalog, contents });
      const lint = median(
        await samples(RUNS, () => {
          problems = lintMigrations({ catalog, contents });
        }),
      );

      // One new file on disk, then taken into the catalog and contents as the editor's watcher does.
      const updateSamples: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const name = `${30_000 + run}_added_later.up.sql`;
        await writeFile(path.join(folder, name), 'CREATE TABLE later (id int);\n');
        collectGarbage();
        const started = nowMs();
        const text = await new FolderSource(folder).read(name);
        catalog = catalog.withFileAdded(name);
        contents.set(name, text);
        updateSamples.push(nowMs() - started);
        await unlink(path.join(folder, name));
        catalog = catalog.withFileRemoved(name);
        contents.delete(name);
      }
      const status = median(
        await samples(RUNS, () => {
          migrationStatuses(catalog, { version: 5_000n, dirty: false });
        }),
      );

      const worker = await scanInWorker(folder);
      const peakMb = (worker.peakRss - worker.baselineRss) / 2 ** 20;

      return {
        name: this.name,
        figures: {
          'files in the folder': fileCount,
          'lint problems found': problems.length,
          'bare readdir + read every file (ms, median)': bare.toFixed(1),
          'names only: list + catalog (ms, median)': namesOnly.toFixed(1),
          'read every file, batches of 500 (ms, median)': read.toFixed(1),
          'catalog from 20,000 files (ms, median)': build.toFixed(1),
          'lint with contents (ms, median)': lint.toFixed(1),
          'full scan: read + catalog + lint (ms, median)': full.toFixed(1),
          // The bare read moves with the machine's load as the scan does: the ratio compares runs on busy machines.
          'full scan / bare read (median of the rounds)': fullRatio.toFixed(2),
          'names only / bare read (median of the rounds)': namesOnlyRatio.toFixed(2),
          'one-file update: read + catalog (ms, median)': median(updateSamples).toFixed(2),
          'status join, 10,000 versions (ms, median)': status.toFixed(2),
          [`full scan with at most ${OPEN_FILES_LIMIT} open files`]: `ok, ${worker.files} files`,
          'peak memory above baseline (MB)': peakMb.toFixed(1),
        },
        targets: [
          { what: 'full scan (read, catalog, lint)', value: full, atMost: 150, unit: 'ms' },
          {
            what: `full scan, scaled to a ${REFERENCE_BARE_READ_MS} ms bare read`,
            value: fullRatio * REFERENCE_BARE_READ_MS,
            atMost: 150,
            unit: 'ms',
          },
          { what: 'names only (list, catalog)', value: namesOnly, atMost: 30, unit: 'ms' },
          {
            what: `names only, scaled to a ${REFERENCE_BARE_READ_MS} ms bare read`,
            value: namesOnlyRatio * REFERENCE_BARE_READ_MS,
            atMost: 30,
            unit: 'ms',
          },
          { what: 'one-file update', value: median(updateSamples), atMost: 5, unit: 'ms' },
          { what: 'peak memory above baseline', value: peakMb, atMost: 50, unit: 'MB' },
        ],
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },
};
