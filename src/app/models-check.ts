/**
 * Models against the schema, for both faces: read the GORM models of a Go tree, the live database's schema at its
 * version (read only: SHOW FULL TABLES and SHOW CREATE TABLE), and the schema after every pending migration, replayed
 * on a scratch database that is always dropped and cached by the checksums of the up files, then compare.
 */
import { createHash } from 'node:crypto';
import { gormModels, type GormModel } from '../core/gorm-models';
import { type DatabaseVersion, NIL_VERSION } from '../core/model';
import { compareModel, type ModelFinding, type PendingSchema } from '../core/models-compare';
import { findSchemaNames } from '../core/verify-schema-names';
import { describeFailure } from '../core/verify-verdict';
import type { TableSnapshot } from '../core/verify-snapshot';
import type { VerifyMigration } from '../core/verify-run';
import { GoSourceIndex, loadGoReader } from '../adapters/go-source';
import { MysqlSession } from '../adapters/mysql/connection';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import { readSchemaSnapshot } from '../adapters/mysql/schema-snapshot';
import { readVerifyMigrations } from '../adapters/verify-migrations';
import { readRealDatabase, withScratchDatabase } from '../adapters/verify-scratch-database';
import { lookAtDatabase } from './open-session';
import { errorMessage } from '../core/errors';

/** The live database: its version and tables, as read in one check. */
export interface LiveSchema {
  readonly version: DatabaseVersion;
  readonly tables: ReadonlyMap<string, TableSnapshot>;
}

/** What the scratch replay gave: the tables after each pending migration, or why it could not run. */
export type PendingSchemas =
  | { readonly kind: 'replayed'; readonly schemas: readonly PendingSchema[] }
  | { readonly kind: 'failed'; readonly reason: string };

export interface ModelsCheck {
  readonly models: readonly GormModel[];
  readonly live: LiveSchema;
  /** The pending versions in order; empty when the database is at the last one. */
  readonly pendingVersions: readonly bigint[];
  readonly pending: PendingSchemas;
  /** The models against the database's version. */
  readonly current: readonly ModelFinding[];
  /** The models against the schema after every pending migration; undefined when the replay failed. */
  readonly afterPending: readonly ModelFinding[] | undefined;
  /** The version after every pending migration. */
  readonly lastVersion: bigint;
}

/** Reads the live database's version and tables; writes nothing and creates nothing. */
export async function readLiveSchema(config: DatabaseConfig): Promise<LiveSchema> {
  const version = (await lookAtDatabase(config)).version ?? { version: NIL_VERSION, dirty: false };
  const session = await MysqlSession.open(config);
  try {
    const snapshot = await readSchemaSnapshot(session, await session.databaseName(config.database));
    return { version, tables: snapshot.tables };
  } finally {
    await session.close();
  }
}

/** The versions golang-migrate's `up` would apply, in order: those above the database's version. */
export function pendingVersionsOf(migrations: readonly VerifyMigration[], version: bigint): bigint[] {
  return migrations.filter((migration) => migration.version > version).map((migration) => migration.version);
}

/**
 * Replays a folder's ups on scratch databases, keeping the last replay per database: the same up files (by checksum)
 * and the same database version give the same tables without replaying. A replay runs only when there is something
 * pending.
 */
export class PendingSchemaCache {
  private last: { readonly key: string; readonly result: Promise<PendingSchemas> } | undefined;

  async pendingSchemas(
    migrations: readonly VerifyMigration[],
    version: bigint,
    database: DatabaseConfig,
    options: { readonly scratchServer?: DatabaseConfig; readonly signal?: AbortSignal } = {},
  ): Promise<PendingSchemas> {
    if (pendingVersionsOf(migrations, version).length === 0) return { kind: 'replayed', schemas: [] };
    const key = replayKey(migrations, version, database, options.scratchServer);
    if (this.last?.key !== key) {
      const result = replayPending(migrations, version, database, options).catch((error: unknown): PendingSchemas => ({
        kind: 'failed',
        reason: errorMessage(error),
      }));
      this.last = { key, result };
    }
    return this.last.result;
  }
}

function replayKey(
  migrations: readonly VerifyMigration[],
  version: bigint,
  database: DatabaseConfig,
  scratchServer: DatabaseConfig | undefined,
): string {
  const hash = createHash('sha256');
  for (const server of [database, scratchServer]) {
    hash.update(
      JSON.stringify(server ? { endpoint: server.endpoint, user: server.user, database: server.database } : null),
    );
  }
  hash.update(`\n${version}\n`);
  for (const migration of migrations) {
    hash.update(`${migration.version}\n${migration.up?.fileName ?? ''}\n${migration.up?.sql.length ?? -1}\n`);
    hash.update(migration.up?.sql ?? '');
  }
  return hash.digest('hex');
}

/**
 * Runs every up in order on a scratch database and takes the tables after each pending one. A migration that names a
 * database of the server (`app.users`) would change that database, not the scratch one: the replay stops before it.
 */
async function replayPending(
  migrations: readonly VerifyMigration[],
  version: bigint,
  database: DatabaseConfig,
  options: { readonly scratchServer?: DatabaseConfig; readonly signal?: AbortSignal },
): Promise<PendingSchemas> {
  const real = await readRealDatabase(database);
  return withScratchDatabase(options.scratchServer ?? database, real, options.signal, async (scratch) => {
    const known = [real.name, ...real.serverDatabases].filter((name) => name !== scratch.name);
    const schemas: PendingSchema[] = [];
    for (const migration of migrations) {
      if (!migration.up) continue;
      const named = findSchemaNames(migration.up.sql, known)[0];
      if (named) {
        return {
          kind: 'failed',
          reason: `${migration.up.fileName} names the database ${named.schema} (${named.text}, line ${named.line}), so it cannot be replayed on a scratch database`,
        };
      }
      const failure = await scratch.run(migration.version, 'up', migration.up);
      if (failure) return { kind: 'failed', reason: `replaying the migrations failed: ${describeFailure(failure)}` };
      if (migration.version > version) {
        const { tables } = await scratch.snapshot();
        schemas.push({ version: migration.version, name: migration.up.fileName.replace(/\.up\.[^.]*$/, ''), tables });
      }
    }
    return { kind: 'replayed', schemas };
  });
}

/** A model's findings against one live schema and replay. */
interface Compared {
  readonly live: LiveSchema;
  readonly pending: PendingSchemas;
  readonly current: readonly ModelFinding[];
  readonly afterPending: readonly ModelFinding[] | undefined;
}

/** Findings kept per model object between checks against the same live schema and replay. */
export type ModelComparisons = WeakMap<GormModel, Compared>;

/**
 * The models of a Go tree with what to compare them against, all read: the pure part of a check. A model object
 * compared with the same live schema and replay before (the editor's re-check after a save) keeps its findings.
 */
export function checkModels(
  models: readonly GormModel[],
  live: LiveSchema,
  pendingVersions: readonly bigint[],
  pending: PendingSchemas,
  compared: ModelComparisons = new WeakMap(),
): ModelsCheck {
  const version = live.version.version;
  const schemas = pending.kind === 'replayed' ? pending.schemas : [];
  const lastVersion = pendingVersions.at(-1) ?? version;
  const last = schemas.at(-1);
  const current: ModelFinding[] = [];
  let afterPending: ModelFinding[] | undefined = [];
  for (const model of models) {
    let known = compared.get(model);
    if (known?.live !== live || known.pending !== pending) {
      known = {
        live,
        pending,
        current: compareModel(model, { kind: 'current', version, tables: live.tables }, schemas),
        afterPending:
          pendingVersions.length === 0
            ? compareModel(model, { kind: 'after-pending', version, tables: live.tables })
            : last && pending.kind === 'replayed'
              ? compareModel(model, { kind: 'after-pending', version: last.version, tables: last.tables })
              : undefined,
      };
      compared.set(model, known);
    }
    current.push(...known.current);
    if (known.afterPending === undefined) afterPending = undefined;
    else afterPending?.push(...known.afterPending);
  }
  return { models, live, pendingVersions, pending, current, afterPending, lastVersion };
}

export interface ModelsCheckRequest {
  /** The root of the Go files to read. */
  readonly modelsFolder: string;
  readonly migrationsFolder: string;
  readonly database: DatabaseConfig;
  readonly scratchServer?: DatabaseConfig;
  readonly signal?: AbortSignal;
  /** Parses kept between checks (the editor's); a fresh one otherwise. */
  readonly goFiles?: GoSourceIndex;
  readonly cache?: PendingSchemaCache;
}

/** The whole check: Go files, migrations folder, live database and scratch replay. */
export async function runModelsCheck(request: ModelsCheckRequest): Promise<ModelsCheck> {
  const goFiles = request.goFiles ?? new GoSourceIndex(request.modelsFolder, await loadGoReader());
  const [files, migrations, live] = await Promise.all([
    goFiles.refresh(),
    readVerifyMigrations(request.migrationsFolder),
    readLiveSchema(request.database),
  ]);
  const pending = await (request.cache ?? new PendingSchemaCache()).pendingSchemas(
    migrations,
    live.version.version,
    request.database,
    {
      ...(request.scratchServer && { scratchServer: request.scratchServer }),
      ...(request.signal && { signal: request.signal }),
    },
  );
  return checkModels(gormModels(files), live, pendingVersionsOf(migrations, live.version.version), pending);
}
