import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GoSourceIndex, loadGoReader } from '../src/adapters/go-source';
import { parseDatabaseUrl } from '../src/adapters/mysql/dsn';
import { readVerifyMigrations } from '../src/adapters/verify-migrations';
import {
  checkModels,
  PendingSchemaCache,
  pendingVersionsOf,
  type LiveSchema,
  type ModelComparisons,
  type PendingSchemas,
} from '../src/app/models-check';
import { GormModelIndex, gormModels } from '../src/core/gorm-models';
import { parseCreateTable } from '../src/core/verify-create-table';
import { createTestDatabase, runCli } from '../test/db/support';
import { Language, Parser } from 'web-tree-sitter';
import { type Benchmark, median, nowMs, samples, timed } from './harness';

const FILES = 2_000;
const PACKAGES = 40;
const SANDBOX_MIGRATIONS = path.resolve(__dirname, '..', '..', 'sandbox', 'db', 'migrations');

/** One file of a generated service: a GORM model with a dozen fields, its TableName, and a repository using it. */
function modelFile(packageName: string, index: number): string {
  return `// Code generated for the models bench.
package ${packageName}

import (
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Entity${index} is a row of entity${index}s.
type Entity${index} struct {
	gorm.Model
	Name        string         \`gorm:"size:255;not null"\`
	Email       string         \`gorm:"size:255;uniqueIndex"\`
	Code        string         \`gorm:"index"\`
	Age         uint8
	Active      bool           \`gorm:"default:true"\`
	Balance     float64        \`gorm:"precision:10;scale:2"\`
	Birthday    *time.Time
	Nickname    sql.NullString
	OwnerID     uint
	Description string
	Tags        []string       \`gorm:"serializer:json"\`
}

type entity${index}Repository struct {
	db *gorm.DB
}

func (r entity${index}Repository) Find(id uint) (Entity${index}, error) {
	var row Entity${index}
	err := r.db.First(&row, id).Error
	return row, err
}

func (r entity${index}Repository) All() ([]Entity${index}, error) {
	var rows []Entity${index}
	err := r.db.Where("active = ?", true).Find(&rows).Error
	return rows, err
}
`;
}

/** MariaDB's SHOW CREATE TABLE of the table a generated model maps to, as the live schema would read it. */
function createTable(index: number): string {
  return [
    `CREATE TABLE \`entity${index}s\` (`,
    '  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,',
    '  `created_at` datetime(3) DEFAULT NULL,',
    '  `updated_at` datetime(3) DEFAULT NULL,',
    '  `deleted_at` datetime(3) DEFAULT NULL,',
    '  `name` varchar(255) NOT NULL,',
    '  `email` varchar(255) DEFAULT NULL,',
    '  `code` varchar(191) DEFAULT NULL,',
    '  `age` tinyint(3) unsigned DEFAULT NULL,',
    '  `active` tinyint(1) DEFAULT 1,',
    '  `balance` decimal(10,2) DEFAULT NULL,',
    '  `birthday` datetime(3) DEFAULT NULL,',
    '  `nickname` longtext DEFAULT NULL,',
    '  `owner_id` bigint(20) unsigned DEFAULT NULL,',
    '  `description` longtext DEFAULT NULL,',
    '  `tags` longtext DEFAULT NULL,',
    '  PRIMARY KEY (`id`),',
    `  UNIQUE KEY \`idx_entity${index}s_email\` (\`email\`),`,
    `  KEY \`idx_entity${index}s_code\` (\`code\`),`,
    `  KEY \`idx_entity${index}s_deleted_at\` (\`deleted_at\`)`,
    ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  ].join('\n');
}

/**
 * The models check's costs: reading and indexing the Go files of a generated 2,000-file service, the re-check after
 * one model file is saved (that file parsed again, all models compared with the schemas already read), and the
 * scratch replay of pending migrations, first and cached.
 */
export const benchmark: Benchmark = {
  name: 'models: GORM structs against the schema',
  async run() {
    const root = await mkdtemp(path.join(tmpdir(), 'ml-models-bench-'));
    const db = await createTestDatabase('models_bench');
    try {
      const paths: string[] = [];
      for (let index = 0; index < FILES; index++) {
        const folder = path.join(root, 'internal', `package${index % PACKAGES}`);
        await mkdir(folder, { recursive: true });
        const file = path.join(folder, `entity${index}.go`);
        await writeFile(file, modelFile(`package${index % PACKAGES}`, index));
        paths.push(file);
      }
      const loadStarted = nowMs();
      const reader = await loadGoReader();
      const loadMs = nowMs() - loadStarted;

      // The floor: tree-sitter alone parsing the same texts, timed in the same rounds (this machine's speed drifts).
      const texts = paths.map((file) => readFileSync(file, 'utf8'));
      const parser = new Parser();
      parser.setLanguage(await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm')));
      const bareParse: number[] = [];
      let modelCount = 0;
      const index = new GoSourceIndex(root, reader);
      const modelIndex = new GormModelIndex();
      const compared: ModelComparisons = new WeakMap();
      const fullRead: number[] = [];
      for (let round = 0; round < 5; round++) {
        bareParse.push(await timed(() => texts.forEach((text) => parser.parse(text)?.delete())));
        fullRead.push(
          await timed(async () => {
            modelCount = gormModels(await new GoSourceIndex(root, reader).refresh()).length;
          }),
        );
      }
      const live0 = await index.refresh();

      const nothingPending: PendingSchemas = { kind: 'replayed', schemas: [] };
      const live: LiveSchema = {
        version: { version: 1n, dirty: false },
        tables: new Map(
          Array.from({ length: FILES }, (_, at) => parseCreateTable(createTable(at))).map((table) => [
            table.name,
            table,
          ]),
        ),
      };
      checkModels(modelIndex.models(live0), live, [], nothingPending, compared);
      const saved = paths[FILES / 2];

      // The editor saves the file, then the check reads it again: only the reading and checking is timed.
      const recheck: number[] = [];
      for (let round = 0; round < 20; round++) {
        await writeFile(saved, `${modelFile(`package${(FILES / 2) % PACKAGES}`, FILES / 2)}\n// saved ${round}\n`);
        recheck.push(
          await timed(() => {
            const models = modelIndex.models(index.update(saved));
            checkModels(models, live, [], nothingPending, compared);
          }),
        );
      }

      if ((await runCli(['-path', SANDBOX_MIGRATIONS, '-database', db.url, 'up', '1'])).status !== 0) {
        throw new Error('could not apply the first sandbox migration');
      }
      const database = parseDatabaseUrl(db.url);
      const cache = new PendingSchemaCache();
      const pendingOnce = async () => {
        const migrations = await readVerifyMigrations(SANDBOX_MIGRATIONS);
        const pending = await cache.pendingSchemas(migrations, 1n, database);
        if (pending.kind !== 'replayed' || pendingVersionsOf(migrations, 1n).length !== 1) {
          throw new Error(`the replay failed: ${JSON.stringify(pending)}`);
        }
      };
      const firstReplay = await timed(pendingOnce);
      const cachedReplay = median(await samples(10, pendingOnce));

      const fullMs = median(fullRead);
      const bareMs = median(bareParse);
      const recheckMs = median(recheck);
      return {
        name: this.name,
        figures: {
          'Go files read (models found)': `${FILES} (${modelCount})`,
          'load the WebAssembly Go reader, once (ms)': loadMs.toFixed(0),
          'tree-sitter alone parsing the same files (ms)': bareMs.toFixed(0),
          'parse and index 2,000 files, models built (ms)': `${fullMs.toFixed(0)} (${(fullMs / bareMs).toFixed(2)}× the bare parse)`,
          're-check after saving one model file (ms)': recheckMs.toFixed(1),
          'pending replayed on a scratch database, first call (ms)': firstReplay.toFixed(0),
          'pending replay, second call, cached (ms)': cachedReplay.toFixed(1),
        },
        targets: [
          { what: 'parse and index 2,000 Go files', value: fullMs / 1000, atMost: 1, unit: 's' },
          { what: 're-check after saving one model file', value: recheckMs, atMost: 20, unit: 'ms' },
          { what: 'after-pending replay, second call (cached)', value: cachedReplay, atMost: 50, unit: 'ms' },
        ],
      };
    } finally {
      await db.drop();
      await rm(root, { recursive: true, force: true });
    }
  },
};
