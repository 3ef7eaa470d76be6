import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Benchmark, BenchResult } from './harness';

/** Runs every `*.bench.js` next to this file (or those named on the command line), prints a table, writes JSON. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const modules = readdirSync(__dirname)
    .filter((name) => name.endsWith('.bench.js'))
    .filter((name) => wanted.length === 0 || wanted.some((word) => name.includes(word)))
    .sort();
  const results: BenchResult[] = [];
  let missed = 0;
  for (const file of modules) {
    const { benchmark } = (await import(path.join(__dirname, file))) as { benchmark: Benchmark };
    process.stderr.write(`running ${benchmark.name}...\n`);
    const result = await benchmark.run();
    results.push(result);
    console.log(`\n${result.name}`);
    for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key.padEnd(48)} ${value}`);
    for (const target of result.targets ?? []) {
      const met = target.value <= target.atMost;
      if (!met) missed += 1;
      console.log(
        `  ${met ? 'met ' : 'MISS'} ${target.what.padEnd(43)} ${target.value.toFixed(2)} ${target.unit} (target <= ${target.atMost})`,
      );
    }
  }
  const outputFolder = path.resolve(__dirname, '..', '..', 'bench-results');
  mkdirSync(outputFolder, { recursive: true });
  const outputFile = path.join(outputFolder, 'results.json');
  writeFileSync(outputFile, JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
  console.log(
    `\n${results.length} benchmarks, ${missed} targets missed; JSON in ${path.relative(process.cwd(), outputFile)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
