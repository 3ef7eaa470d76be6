import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../src/adapters/mysql/dsn';
import { preflight, type PreflightResult } from '../src/app/preflight';
import { buildCatalog } from '../src/core/catalog';
import { planMigrations } from '../src/core/plan';
import { readPreflightScript } from '../src/core/preflight-statements';
import { predictedBehaviour, realBehaviour } from '../test/db/preflight-real';
import { createTestDatabase } from '../test/db/support';
import { type Benchmark, median, nowMs, timed } from './harness';

/** The applied history: a shop with a table of events that grew to a million rows. */
const APPLIED: readonly string[] = [
  'CREATE TABLE customers (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100) NULL, created_at DATETIME NOT NULL) DEFAULT CHARSET=utf8mb4',
  'CREATE TABLE products (id INT NOT NULL PRIMARY KEY, sku VARCHAR(40) NOT NULL, title VARCHAR(200) NOT NULL, price DECIMAL(10,2) NOT NULL) DEFAULT CHARSET=utf8mb4',
  'CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, status VARCHAR(20) NULL, KEY k_customer (customer_id)) DEFAULT CHARSET=utf8mb4',
  'CREATE TABLE events (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(40) NULL, payload VARCHAR(255) NULL, created_at DATETIME NOT NULL) DEFAULT CHARSET=utf8mb4',
  'CREATE TABLE order_items (id INT NOT NULL PRIMARY KEY, order_id INT NOT NULL, product_id INT NOT NULL, qty INT NOT NULL) DEFAULT CHARSET=utf8mb4',
];

const EVENT_ROWS = 1 << 20;

/** Rows for the small tables from MariaDB's sequence engine, clean: no pending migration fails on them. */
const SMALL_DATA = [
  "INSERT INTO customers SELECT seq, CONCAT('c', seq, '@example.com'), CONCAT('customer ', seq), NOW() FROM seq_1_to_10000",
  "INSERT INTO products SELECT seq, CONCAT('SKU-', seq), CONCAT('product ', seq), seq % 100 FROM seq_1_to_2000",
  "INSERT INTO orders SELECT seq, 1 + seq % 10000, seq % 500, 'paid' FROM seq_1_to_20000",
  'INSERT INTO order_items SELECT seq, 1 + seq % 20000, 1 + seq % 2000, 1 + seq % 5 FROM seq_1_to_40000',
];

/**
 * Fifty pending migrations of the kinds a project writes: columns added, renamed, widened, indexes and unique keys,
 * checks, a table created and filled; five of them on the million-row table, three of which count its rows (NULLs,
 * lengths, orphans).
 */
function pendingMigrations(): string[] {
  const events = [
    'ALTER TABLE events ADD COLUMN source VARCHAR(20) NULL',
    'ALTER TABLE events ADD INDEX k_kind (kind)',
    'ALTER TABLE events MODIFY kind VARCHAR(40) NOT NULL',
    'ALTER TABLE events MODIFY payload VARCHAR(200) NULL',
    'ALTER TABLE events ADD CONSTRAINT fk_events_customer FOREIGN KEY (customer_id) REFERENCES customers (id)',
  ];
  const round = (table: string, r: number) => [
    `ALTER TABLE ${table} ADD COLUMN note_${r} VARCHAR(50) NULL`,
    `ALTER TABLE ${table} ADD INDEX k_note_${r} (note_${r})`,
    `ALTER TABLE ${table} MODIFY note_${r} VARCHAR(60) NULL`,
    `ALTER TABLE ${table} RENAME COLUMN note_${r} TO remark_${r}`,
    `ALTER TABLE ${table} MODIFY remark_${r} VARCHAR(120) NULL`,
    `ALTER TABLE ${table} ADD CONSTRAINT ck_${table}_${r} CHECK (id > 0)`,
    `CREATE UNIQUE INDEX u_${table}_${r} ON ${table} (id, remark_${r})`,
    `DROP INDEX k_note_${r} ON ${table}`,
    `CREATE TABLE archive_${table}_${r} (id INT NOT NULL PRIMARY KEY, origin VARCHAR(40) NOT NULL);\n` +
      `INSERT INTO archive_${table}_${r} SELECT id, '${table}' FROM ${table} WHERE id <= 10`,
  ];
  const small = ['customers', 'products', 'orders', 'order_items', 'customers'].flatMap((table, index) =>
    round(table, index + 1),
  );
  const migrations: string[] = [];
  small.forEach((statement, index) => {
    // One statement on the big table every ten migrations.
    if (index % 9 === 4) migrations.push(events[Math.floor(index / 9)]);
    migrations.push(statement);
  });
  return migrations;
}

/** The folder's files by name: the applied ups first, then the pending ones. */
function folderFiles(): Map<string, string> {
  const files = new Map<string, string>();
  APPLIED.forEach((sql, index) => files.set(`${String(index + 1).padStart(4, '0')}_applied.up.sql`, `${sql};\n`));
  pendingMigrations().forEach((sql, index) =>
    files.set(`${String(APPLIED.length + index + 1).padStart(4, '0')}_pending.up.sql`, `${sql};\n`),
  );
  return files;
}

const ROUNDS = 3;
/** Rows of each table in the copy the verdicts are checked on. */
const COPY_ROWS = 20_000;

export const benchmark: Benchmark = {
  name: 'preflight: 50 pending migrations against a database holding a 1,000,000-row table',
  async run() {
    const db = await createTestDatabase('bench_preflight');
    const copy = await createTestDatabase('bench_preflight_copy');
    try {
      const buildStarted = nowMs();
      for (const sql of APPLIED) await db.sql.query(sql);
      for (const sql of SMALL_DATA) await db.sql.query(sql);
      await db.sql.query(
        "INSERT INTO events (customer_id, kind, payload, created_at) VALUES (1, 'signup', 'first', NOW())",
      );
      // Doubling: each pass copies every row, so twenty passes make 2^20.
      while ((await countRows(db.sql, 'events')) < EVENT_ROWS) {
        await db.sql.query(
          "INSERT INTO events (customer_id, kind, payload, created_at) SELECT 1 + (id * 7) % 10000, ELT(1 + id % 4, 'view', 'click', 'buy', 'leave'), CONCAT('payload ', id), created_at FROM events",
        );
      }
      await db.sql.query('ANALYZE TABLE customers, products, orders, events, order_items');
      const buildMs = nowMs() - buildStarted;

      const texts = folderFiles();
      const catalog = buildCatalog([...texts.keys()].map((name) => ({ name })));
      const current = { version: BigInt(APPLIED.length), dirty: false };
      const plan = planMigrations(catalog, current, { kind: 'up' });
      if (plan.steps.length !== 50) throw new Error(`expected 50 pending migrations, planned ${plan.steps.length}`);
      let result: PreflightResult | undefined;
      const samples: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        samples.push(
          await timed(async () => {
            result = await preflight({ plan, catalog, current, texts, database: parseDatabaseUrl(db.url) });
          }),
        );
      }
      const findings = result!.findings;
      const failing = findings.filter((finding) => finding.severity === 'error');
      if (failing.length > 0)
        throw new Error(`unexpected errors: ${failing.map((finding) => finding.message).join('; ')}`);

      // The same statements run for real, in order, on a copy holding COPY_ROWS rows of each table.
      for (const sql of APPLIED) await copy.sql.query(sql);
      for (const table of ['customers', 'products', 'orders', 'events', 'order_items']) {
        await copy.sql.query(
          `INSERT INTO \`${table}\` SELECT * FROM \`${db.name}\`.\`${table}\` ORDER BY id LIMIT ${COPY_ROWS}`,
        );
      }
      const verdicts = new Map(
        findings.filter((finding) => finding.execution !== undefined).map((finding) => [finding.fileName, finding]),
      );
      let matching = 0;
      const mismatches: string[] = [];
      for (const step of plan.steps) {
        const text = texts.get(step.file!.fileName)!;
        for (const statement of readPreflightScript(text).statements) {
          const verdict = statement.probe && verdicts.get(step.file!.fileName);
          if (!verdict || !statement.probe) {
            await copy.sql.query(statement.text);
            continue;
          }
          const real = await realBehaviour(copy.sql, copy.name, statement.probe.table, statement.text);
          const predicted = predictedBehaviour(verdict.execution!);
          if (real === predicted) matching++;
          else mismatches.push(`${step.file!.fileName}: predicted ${predicted}, the server did ${real}`);
        }
      }
      if (mismatches.length > 0) throw new Error(`verdicts unlike the real run: ${mismatches.join('; ')}`);
      const counts = (code: string) => findings.filter((finding) => finding.code === code).length;
      return {
        name: this.name,
        figures: {
          'events rows, built by doubling (s)': `${EVENT_ROWS.toLocaleString('en-US')} (${(buildMs / 1000).toFixed(1)} s)`,
          'preflight of 50 migrations (ms, per round)': samples.map((sample) => sample.toFixed(0)).join(' / '),
          'statements probed / counts of rows made': `${result!.probed} / ${result!.counted}`,
          'blocking verdicts (copies / blocks writes)': `${counts('preflight-copies-table')} / ${counts('preflight-blocks-writes')}`,
          [`verdicts matching the real run on ${COPY_ROWS.toLocaleString('en-US')} rows`]: `${matching} of ${verdicts.size}`,
        },
        targets: [
          { what: 'preflight of 50 migrations, median (ms)', value: median(samples), atMost: 5000, unit: 'ms' },
        ],
      };
    } finally {
      await copy.drop();
      await db.drop();
    }
  },
};

async function countRows(sql: mysql.Connection, table: string): Promise<number> {
  const [rows] = await sql.query(`SELECT COUNT(*) AS count FROM \`${table}\``);
  return Number((rows as { count: number | string }[])[0].count);
}
