/**
 * Whether the cost of a migration stays flat as the folder grows: `up` over a folder of 1,000 versions, then over one
 * of 10,000, each migration also run by the floor (its SQL alone, on a database of its own) in the same turn, so the
 * server's share of any growth (10,000 tables in one database) is told apart from the engine's.
 */
import { rm } from 'node:fs/promises';
import { createTestDatabase, type TestDatabase } from '../test/db/support';
import { engineSession, floorRunner, history, migrationsFolder } from './engine-apply.bench';
import { type Benchmark, nowMs } from './harness';

const SMALL = 1_000;
const LARGE = 10_000;

interface Tally {
  ms: number;
  roundTrips: number;
}

/** `up` over a folder of `count` versions, engine and floor side by side; milliseconds per migration of each. */
async function upAll(count: number): Promise<{ engine: number; floor: number }> {
  const migrations = history(count);
  const folder = await migrationsFolder(migrations);
  const databases: TestDatabase[] = await Promise.all(
    [`scale_engine_${count}`, `scale_floor_${count}`].map((label) => createTestDatabase(label)),
  );
  const [engineDatabase, floorDatabase] = databases;
  const floor: Tally = { ms: 0, roundTrips: 0 };
  const runFloor = floorRunner(floorDatabase, floor);
  const byVersion = new Map(migrations.map((migration) => [BigInt(migration.version), migration]));
  const { session } = engineSession(folder, engineDatabase.url);
  try {
    let floorMs = 0;
    const started = nowMs();
    const result = await session.run(
      { kind: 'up' },
      {
        onProgress: async (event) => {
          if (event.kind !== 'done') return;
          const before = nowMs();
          await runFloor(byVersion.get(event.step.version)!, 'up');
          floorMs += nowMs() - before;
        },
      },
    );
    const engineMs = nowMs() - started - floorMs;
    if (result.steps.length !== count) throw new Error(`up over ${count}: ${result.steps.length} steps ran`);
    return { engine: engineMs / count, floor: floorMs / count };
  } finally {
    await session.close();
    await Promise.all(databases.map((database) => database.drop()));
    await rm(folder, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'engine: the cost of a migration as the folder grows (up over 1,000, then 10,000 versions)',
  async run() {
    const small = await upAll(SMALL);
    const large = await upAll(LARGE);
    const overhead = (run: { engine: number; floor: number }) => run.engine - run.floor;
    return {
      name: this.name,
      figures: {
        'engine at 1,000 / 10,000 versions (ms per migration)': `${small.engine.toFixed(2)} / ${large.engine.toFixed(2)}`,
        'floor at 1,000 / 10,000 versions (ms per migration)': `${small.floor.toFixed(2)} / ${large.floor.toFixed(2)}`,
        'engine less floor at 1,000 / 10,000 (ms per migration)': `${overhead(small).toFixed(2)} / ${overhead(large).toFixed(2)}`,
        'floor at 10,000 / at 1,000': (large.floor / small.floor).toFixed(2),
      },
      targets: [
        { what: 'engine at 10,000 / at 1,000 versions', value: large.engine / small.engine, atMost: 1.2, unit: 'x' },
      ],
    };
  },
};
