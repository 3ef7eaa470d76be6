/**
 * Run by folder-scan.bench.ts in a fresh process (so peak memory belongs to the scan alone), often under a low limit
 * of open files: scans the folder given as the argument the way the editor does and prints what it measured as JSON.
 */
import { contentsOf, readMigrationFolder } from '../src/adapters/file-source';
import { buildCatalog } from '../src/core/catalog';
import { lintMigrations } from '../src/core/lint';

async function main(): Promise<void> {
  const folder = process.argv[2];
  const baselineRss = process.memoryUsage().rss;
  const listing = await readMigrationFolder(folder);
  const catalog = buildCatalog(listing.files);
  const contents = contentsOf(listing);
  const problems = lintMigrations({ catalog, contents });
  // maxRSS is in kilobytes.
  const peakRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({ files: listing.files.length, problems: problems.length, baselineRss, peakRss }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
