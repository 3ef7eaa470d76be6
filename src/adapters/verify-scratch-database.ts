/**
 * The scratch database Verify runs migrations on: created next to the real database (or on the server of
 * `migrationLens.scratchDatabaseUrl`) with the real database's character set and collation, and always dropped. The
 * real database is only read: its character set, collation and the server's database names.
 */
import { randomBytes } from 'node:crypto';
import type { MigrationFailure } from '../core/errors';
import type { Direction } from '../core/model';
import { statementAt } from '../core/statements';
import type { MigrationText, ScratchDatabase } from '../core/verify-run';
import { SCRATCH_RANDOM_LENGTH, scratchDatabaseName } from '../core/verify-scratch-name';
import {
  EMPTY_SNAPSHOT,
  eitherKinds,
  eitherTables,
  kindsChangedBy,
  tableListChangedBy,
  tablesChangedBy,
  type ChangedTables,
  NO_OBJECT_KINDS,
  type ObjectKinds,
  type SchemaObjects,
  type SchemaSnapshot,
  type TableSnapshot,
} from '../core/verify-snapshot';
import { MysqlSession, ScriptError } from './mysql/connection';
import type { DatabaseConfig } from './mysql/dsn';
import {
  createDatabase,
  dropDatabase,
  readSchemaSnapshot,
  recreateDatabase,
  SELECT_DATABASE_NAMES,
  SELECT_SERVER_CHARSET,
  selectDatabaseCharset,
  useDatabase,
} from './mysql/schema-snapshot';

/** What Verify reads from the real database before it starts. */
export interface RealDatabaseFacts {
  readonly name: string;
  readonly characterSet: string;
  readonly collation: string;
  /** Every database name on the real server, the real one included: qualifiers to look for in migrations. */
  readonly serverDatabases: readonly string[];
}

/** Reads the real database's name, character set and collation, and the server's database names; writes nothing. */
export async function readRealDatabase(config: DatabaseConfig): Promise<RealDatabaseFacts> {
  const session = await MysqlSession.open(config);
  try {
    const name = await session.databaseName(config.database);
    const [own] = name === '' ? [] : await session.rows<Charset>(selectDatabaseCharset(name));
    const [server] = await session.rows<Charset>(SELECT_SERVER_CHARSET);
    const charset = own ?? server;
    const databases = await session.rows<{ name: string }>(SELECT_DATABASE_NAMES);
    return {
      name,
      characterSet: charset.characterSet,
      collation: charset.collation,
      serverDatabases: databases.map((row) => row.name),
    };
  } finally {
    await session.close();
  }
}

interface Charset {
  readonly characterSet: string;
  readonly collation: string;
}

export class MysqlScratchDatabase implements ScratchDatabase {
  private dropped = false;
  /** Tables, views, triggers and routines as the last snapshot saw them; a new database has none. */
  private objects: SchemaObjects = EMPTY_SNAPSHOT;
  /** What the files run since the last snapshot may have changed: kinds of object, and tables. */
  private changed: ObjectKinds = NO_OBJECT_KINDS;
  private changedTables: ChangedTables = new Set();
  /** Whether the list of tables and views may differ from the last snapshot's; the first snapshot reads it. */
  private listChanged = true;
  /** Each `SHOW CREATE TABLE` text seen, parsed once. */
  private readonly parsedTables = new Map<string, TableSnapshot>();
  private readonly onAbort = (): void => void this.interrupt();

  private constructor(
    private readonly session: MysqlSession,
    private readonly server: DatabaseConfig,
    readonly name: string,
    private readonly charset: Charset,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort);
  }

  /**
   * Creates `ml_verify_<real>_<random>` on `server` (a config whose database is ignored) with the real database's
   * character set and collation. A cancel through `signal` stops the statement running on it.
   */
  static async create(
    server: DatabaseConfig,
    real: RealDatabaseFacts,
    signal?: AbortSignal,
  ): Promise<MysqlScratchDatabase> {
    const serverOnly = { ...server, database: '' };
    const name = scratchDatabaseName(real.name, randomBytes(SCRATCH_RANDOM_LENGTH / 2).toString('hex'));
    const session = await MysqlSession.open(serverOnly);
    try {
      await session.execute(createDatabase(name, real.characterSet, real.collation));
    } catch (error) {
      await session.close();
      throw error;
    }
    const scratch = new MysqlScratchDatabase(session, serverOnly, name, real, signal);
    try {
      await session.execute(useDatabase(name));
    } catch (error) {
      await scratch.drop();
      throw error;
    }
    return scratch;
  }

  /** The names of the databases on the scratch server: a migration must not name them either. */
  async serverDatabases(): Promise<string[]> {
    const rows = await this.session.rows<{ name: string }>(SELECT_DATABASE_NAMES);
    return rows.map((row) => row.name);
  }

  async snapshot(): Promise<SchemaSnapshot> {
    const { objects, changed } = this;
    const snapshot = await readSchemaSnapshot(
      this.session,
      this.name,
      {
        tables: objects.tables,
        ...(!changed.views && { views: objects.views }),
        ...(!changed.triggers && { triggers: objects.triggers }),
        ...(!changed.routines && { routines: objects.routines }),
      },
      this.changedTables,
      this.parsedTables,
      this.listChanged ? undefined : { tables: [...objects.tables.keys()], views: [...objects.views.keys()] },
    );
    this.objects = snapshot;
    this.changed = NO_OBJECT_KINDS;
    this.changedTables = new Set();
    this.listChanged = false;
    return snapshot;
  }

  async run(version: bigint, direction: Direction, file: MigrationText): Promise<MigrationFailure | undefined> {
    this.changed = eitherKinds(this.changed, kindsChangedBy(file.sql, this.objects.triggers.size > 0));
    this.changedTables = eitherTables(this.changedTables, tablesChangedBy(file.sql, this.objects.tables));
    this.listChanged ||= tableListChangedBy(file.sql);
    try {
      await this.session.runScript(file.sql, this.server.statementTimeoutMs);
      return undefined;
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      return {
        version,
        direction,
        fileName: file.fileName,
        targetVersion: version,
        statementIndex: error.completedStatements + 1,
        line: statementAt(file.sql, error.completedStatements + 1)?.line,
        ...(error.serverError.errno !== undefined && { serverCode: error.serverError.errno }),
        serverMessage: error.serverError.sqlMessage ?? error.serverError.message,
        cause: error,
      };
    }
  }

  async reset(): Promise<void> {
    await this.session.execute(recreateDatabase(this.name, this.charset.characterSet, this.charset.collation));
    this.objects = EMPTY_SNAPSHOT;
    this.changed = NO_OBJECT_KINDS;
    this.changedTables = new Set();
    this.listChanged = true;
  }

  /** Drops the scratch database and closes its connection; safe to call twice, never throws. */
  async drop(): Promise<void> {
    if (this.dropped) return;
    this.dropped = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    try {
      await this.session.execute(dropDatabase(this.name));
    } catch {
      // The session may have been lost (a killed connection, a server restart): drop through a fresh one.
      await this.withServerSession((session) => session.execute(dropDatabase(this.name)));
    } finally {
      await this.session.close().catch(() => undefined);
    }
  }

  /** Stops the statement the scratch session is running, so a cancel does not wait for a long migration. */
  private async interrupt(): Promise<void> {
    await this.session.killRunningStatement().catch(() => undefined);
  }

  private async withServerSession(work: (session: MysqlSession) => Promise<void>): Promise<void> {
    const session = await MysqlSession.open(this.server);
    try {
      await work(session);
    } finally {
      await session.close();
    }
  }
}

/** Creates a scratch database, hands it to `work`, and drops it afterwards: on success, failure and cancel alike. */
export async function withScratchDatabase<T>(
  server: DatabaseConfig,
  real: RealDatabaseFacts,
  signal: AbortSignal | undefined,
  work: (scratch: MysqlScratchDatabase) => Promise<T>,
): Promise<T> {
  const scratch = await MysqlScratchDatabase.create(server, real, signal);
  try {
    return await work(scratch);
  } finally {
    await scratch.drop();
  }
}
