import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../src/app/open-session';
import { parseDatabaseUrl } from '../src/adapters/mysql/dsn';
import { verifyFolder, type VerifyResult } from '../src/adapters/verify-migrations';
import { countOutcomes } from '../src/core/verify-report';
import { createTestDatabase } from '../test/db/support';
import { type Benchmark, median, timed } from './harness';

const VERSIONS = 100;

interface Pair {
  readonly name: string;
  readonly up: string;
  readonly down: string;
}

/**
 * A hundred migrations shaped like a real project's history: tables with foreign keys and indexes, columns added,
 * indexes and constraints changed, a few views, triggers and procedures, and seed data; every down correct.
 */
function realisticHistory(): Pair[] {
  const pairs: Pair[] = [];
  const tables: string[] = [];
  for (let step = 0; pairs.length < VERSIONS; step++) {
    const kind = step % 10;
    const last = tables[tables.length - 1];
    if (kind === 0 || kind === 5 || last === undefined) {
      const table = `entity_${tables.length + 1}`;
      const parent = tables[tables.length - 1];
      const reference = parent
        ? `,\n  ${parent}_id int NULL,\n  KEY idx_${table}_${parent} (${parent}_id),\n  CONSTRAINT fk_${table}_${parent} FOREIGN KEY (${parent}_id) REFERENCES ${parent} (id) ON DELETE SET NULL`
        : '';
      pairs.push({
        name: `create_${table}`,
        up: `CREATE TABLE ${table} (\n  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  name varchar(120) NOT NULL,\n  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP${reference}\n) ENGINE=InnoDB;\n`,
        down: `DROP TABLE ${table};\n`,
      });
      tables.push(table);
    } else if (kind === 1 || kind === 6) {
      pairs.push({
        name: `add_${last}_status`,
        up: `ALTER TABLE ${last} ADD COLUMN status varchar(20) NOT NULL DEFAULT 'active', ADD COLUMN note text NULL;\n`,
        down: `ALTER TABLE ${last} DROP COLUMN note, DROP COLUMN status;\n`,
      });
    } else if (kind === 2 || kind === 7) {
      pairs.push({
        name: `index_${last}_status`,
        up: `CREATE INDEX idx_${last}_status_created ON ${last} (status, created_at);\n`,
        down: `DROP INDEX idx_${last}_status_created ON ${last};\n`,
      });
    } else if (kind === 3) {
      pairs.push({
        name: `seed_${last}`,
        up: `INSERT INTO ${last} (name) VALUES ('first'), ('second'), ('third');\n`,
        down: `DELETE FROM ${last} WHERE name IN ('first', 'second', 'third');\n`,
      });
    } else if (kind === 4) {
      pairs.push({
        name: `unique_${last}_name`,
        up: `ALTER TABLE ${last} ADD CONSTRAINT uq_${last}_name UNIQUE (name), ADD CONSTRAINT chk_${last}_name CHECK (name <> '');\n`,
        down: `ALTER TABLE ${last} DROP CONSTRAINT chk_${last}_name, DROP INDEX uq_${last}_name;\n`,
      });
    } else if (kind === 8) {
      pairs.push({
        name: `view_active_${last}`,
        up: `CREATE VIEW active_${last} AS SELECT id, name FROM ${last} WHERE status = 'active';\n`,
        down: `DROP VIEW active_${last};\n`,
      });
    } else if (step % 20 === 9) {
      pairs.push({
        name: `trigger_${last}_name`,
        up: `CREATE TRIGGER trg_${last}_name BEFORE INSERT ON ${last} FOR EACH ROW SET NEW.name = TRIM(NEW.name);\n`,
        down: `DROP TRIGGER trg_${last}_name;\n`,
      });
    } else {
      pairs.push({
        name: `procedure_archive_${last}`,
        up: `CREATE PROCEDURE archive_${last}(IN p_days int)\nBEGIN\n  DELETE FROM ${last} WHERE created_at < NOW() - INTERVAL p_days DAY;\nEND;\n`,
        down: `DROP PROCEDURE archive_${last};\n`,
      });
    }
  }
  return pairs;
}

const ROUNDS = 3;

interface Round {
  readonly applyMs: number;
  readonly verifyMs: number;
  readonly verified: number;
}

/**
 * Applies the folder on a fresh database, verifies it against another, applies it again on a third. The two applies
 * are averaged, so a change in the machine's load during the round weighs on both sides of the ratio.
 */
async function round(folder: string): Promise<Round> {
  const databases = await Promise.all(
    ['bench_verify_apply_a', 'bench_verify_real', 'bench_verify_apply_b'].map((label) => createTestDatabase(label)),
  );
  const [firstApply, verified, secondApply] = databases;
  try {
    const apply = (url: string) => migrate({ kind: 'up' }, { folder, database: parseDatabaseUrl(url) });
    const applyBeforeMs = await timed(() => apply(firstApply.url));
    let result: VerifyResult | undefined;
    const verifyMs = await timed(async () => {
      result = await verifyFolder(folder, parseDatabaseUrl(verified.url));
    });
    const applyAfterMs = await timed(() => apply(secondApply.url));
    return { applyMs: (applyBeforeMs + applyAfterMs) / 2, verifyMs, verified: countOutcomes(result!).verified };
  } finally {
    for (const database of databases) await database.drop();
  }
}

/** Verifying 100 realistic versions against applying them once with the migrator, on the same server. */
export const benchmark: Benchmark = {
  name: 'verify: 100 realistic versions on a scratch database',
  async run() {
    const folder = await mkdtemp(path.join(tmpdir(), 'ml-verify-bench-'));
    try {
      for (const [index, pair] of realisticHistory().entries()) {
        const prefix = `${String(index + 1).padStart(6, '0')}_${pair.name}`;
        await writeFile(path.join(folder, `${prefix}.up.sql`), pair.up);
        await writeFile(path.join(folder, `${prefix}.down.sql`), pair.down);
      }
      const rounds: Round[] = [];
      for (let index = 0; index < ROUNDS; index++) rounds.push(await round(folder));
      const unverified = rounds.find((each) => each.verified !== VERSIONS);
      if (unverified) throw new Error(`expected every version verified, got ${unverified.verified}`);
      const ratios = rounds.map((each) => each.verifyMs / each.applyMs);
      return {
        name: this.name,
        figures: {
          'apply 100 versions once (ms, per round)': rounds.map((each) => each.applyMs.toFixed(0)).join(' / '),
          'verify 100 versions (ms, per round)': rounds.map((each) => each.verifyMs.toFixed(0)).join(' / '),
          'verify / apply (per round)': ratios.map((ratio) => ratio.toFixed(2)).join(' / '),
          'verify per version (ms, median)': (median(rounds.map((each) => each.verifyMs)) / VERSIONS).toFixed(1),
        },
        targets: [{ what: 'verify / apply once (median of rounds)', value: median(ratios), atMost: 4, unit: 'x' }],
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  },
};
