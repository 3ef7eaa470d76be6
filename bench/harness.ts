/** One benchmark's outcome: named figures, and ratios against a target where the issue sets one. */
export interface BenchResult {
  readonly name: string;
  readonly figures: Readonly<Record<string, number | string>>;
  readonly targets?: readonly BenchTarget[];
}

/** A measured value against its ceiling, e.g. "apply / floor" 1.4 against 1.6. */
export interface BenchTarget {
  readonly what: string;
  readonly value: number;
  readonly atMost: number;
  readonly unit: string;
}

/** A benchmark module under bench/ exports `benchmark` with this shape. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<BenchResult>;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The middle sample (the upper one of the two middle samples for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Collects garbage when the bench runs with --expose-gc (`npm run bench` does). Called before each timed sample, so
 * that no sample pays for collecting the garbage the ones before it left.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * One timed run of `action` (awaited when it returns a promise, so a synchronous one is timed without a turn of the
 * event loop), after collecting the garbage of what ran before.
 */
export async function timed(action: () => unknown): Promise<number> {
  collectGarbage();
  const started = nowMs();
  const result = action();
  if (result instanceof Promise) await result;
  return nowMs() - started;
}

/** `count` timed runs of `action` (given the run's index), one after another: see `timed`. */
export async function samples(count: number, action: (index: number) => unknown): Promise<number[]> {
  const taken: number[] = [];
  for (let index = 0; index < count; index++) taken.push(await timed(() => action(index)));
  return taken;
}
