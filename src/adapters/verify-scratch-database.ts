/**
 * The scratch database Verify runs migrations on: created next to the real database (or on the server of
 * `migrationLens.scratchDatabaseUrl`) with the real database's character set and collation, and always dropped. The
 * real database is only read: its character set, collation and the server's database names.
 *
 * The migration files run as a temporary account, `ml_verify_<random>` with a random password, whose privileges cover
 * the scratch database and nothing else; it is created before the database and dropped with it, on success, failure
 * and cancel. So a file that reaches for any other database (by a name in the SQL, a name assembled for
 * PREPARE/EXECUTE, a guard reading information_schema, which shows that account nothing else) is refused by the
 * server itself, not by a check of its text. The account is created for the host the server sees this client at (the
 * host part of `USER()`), not `'%'`: an anonymous account for that host (MariaDB's `''@'localhost'`) would take the
 * login of a `'%'` account. The login is checked to have matched the temporary account. Privileges the server gives
 * every account (MariaDB's PUBLIC) apply to it as to any other.
 *
 * An account that cannot create users (no CREATE USER, or no GRANT OPTION) gets no sandbox, so Verify refuses
 * before creating anything, unless that account cannot see the real database at all: then the files run as that
 * account, whose own privileges keep them out of the real database. That is the case of a separate scratch server
 * (`migrationLens.scratchDatabaseUrl`, `--scratch-database`), where the real database is not, and of an account given
 * rights on scratch databases only.
 */
import { randomBytes } from 'node:crypto';
import { isAccessDenied, type MigrationFailure, serverErrorText } from '../core/errors';
import type { Direction } from '../core/model';
import { statementAt } from '../core/statements';
import type { MigrationText, ScratchDatabase } from '../core/verify-run';
import { SCRATCH_RANDOM_LENGTH, scratchAccountName, scratchDatabaseName } from '../core/verify-scratch-name';
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
import { MysqlSession, ScriptError, type ServerError } from './mysql/connection';
import type { DatabaseConfig } from './mysql/dsn';
import {
  type AccountName,
  createAccount,
  createDatabase,
  dropAccount,
  dropScratch,
  grantDatabase,
  readSchemaSnapshot,
  recreateDatabase,
  SELECT_DATABASE_NAMES,
  SELECT_SERVER_CHARSET,
  SELECT_SESSION_ACCOUNT,
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

/**
 * The account of the scratch server cannot create Verify's temporary account and can see the real database: running
 * the migrations as it could write there, so Verify refuses. The message is one line and holds no password.
 */
export class ScratchAccountRefusedError extends Error {
  override readonly name = 'ScratchAccountRefusedError';
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
    /** The scratch server's account (the URL's): creates and drops the database and the temporary account. */
    private readonly admin: MysqlSession,
    /** Runs the files and reads the snapshots: the temporary account's session, or `admin` when there is none. */
    private readonly session: MysqlSession,
    private readonly server: DatabaseConfig,
    readonly name: string,
    private readonly temporaryAccount: AccountName | undefined,
    private readonly charset: Charset,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort);
  }

  /**
   * Creates `ml_verify_<real>_<random>` on `server` (a config whose database is ignored) with the real database's
   * character set and collation, and the temporary account the files run as (see the module's comment). A cancel
   * through `signal` stops the statement running on it. Refuses with ScratchAccountRefusedError, having created
   * nothing, when the files could only run as an account that can see the real database.
   */
  static async create(
    server: DatabaseConfig,
    real: RealDatabaseFacts,
    signal?: AbortSignal,
  ): Promise<MysqlScratchDatabase> {
    const serverOnly = { ...server, database: '' };
    const name = scratchDatabaseName(real.name, randomBytes(SCRATCH_RANDOM_LENGTH / 2).toString('hex'));
    const admin = await MysqlSession.open(serverOnly);
    let account: TemporaryAccount | undefined;
    let created = false;
    let session: MysqlSession | undefined;
    try {
      account = await createTemporaryAccount(admin, serverOnly, name, real);
      await admin.execute(createDatabase(name, real.characterSet, real.collation));
      created = true;
      if (account) {
        session = await openAccountSession(serverOnly, name, account);
      } else {
        await admin.execute(useDatabase(name));
        session = admin;
      }
    } catch (error) {
      if (session !== admin) await session?.close();
      if (created) await admin.execute(dropScratch(name, account)).catch(() => undefined);
      else if (account) await admin.execute(dropAccount(account)).catch(() => undefined);
      await admin.close();
      throw error;
    }
    const accountName = account && { name: account.name, host: account.host };
    return new MysqlScratchDatabase(admin, session, serverOnly, name, accountName, real, signal);
  }

  /** The temporary account the files run as, `'ml_verify_…'@'host'`; undefined when they run as the server's own. */
  get account(): string | undefined {
    return this.temporaryAccount && accountText(this.temporaryAccount);
  }

  /** The names of the databases on the scratch server: a migration must not name them either. */
  async serverDatabases(): Promise<string[]> {
    const rows = await this.admin.rows<{ name: string }>(SELECT_DATABASE_NAMES);
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

  /**
   * Drops the scratch database and the temporary account and closes the connections; safe to call twice, never
   * throws. The account's session closes first, so no statement of its holds the database open.
   */
  async drop(): Promise<void> {
    if (this.dropped) return;
    this.dropped = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.session !== this.admin) await this.session.close().catch(() => undefined);
    const drop = dropScratch(this.name, this.temporaryAccount);
    try {
      await this.admin.execute(drop);
    } catch {
      // The session may have been lost (a killed connection, a server restart): drop through a fresh one.
      await this.withServerSession((session) => session.execute(drop));
    } finally {
      await this.admin.close().catch(() => undefined);
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

interface TemporaryAccount extends AccountName {
  readonly password: string;
}

/**
 * Creates the temporary account with every privilege on `database` only, for the host the server sees this client
 * at. Undefined when `admin` may not create users or grant, and cannot see the real database either: the files then
 * run as `admin`. The password is in no error: mysql2 keeps a failed statement's text on its error, so a failure is
 * told in the server's words only.
 */
async function createTemporaryAccount(
  admin: MysqlSession,
  server: DatabaseConfig,
  database: string,
  real: RealDatabaseFacts,
): Promise<TemporaryAccount | undefined> {
  const [{ client }] = await admin.rows<{ client: string }>(SELECT_SESSION_ACCOUNT);
  const account: TemporaryAccount = {
    name: scratchAccountName(database),
    host: client.slice(client.lastIndexOf('@') + 1),
    // Random, plus a lower case letter, an upper case one, a digit and a sign for servers that enforce a policy.
    password: `${randomBytes(24).toString('base64url')}aA1-`,
  };
  let created = false;
  try {
    await admin.execute(createAccount(account, account.password));
    created = true;
    await admin.execute(grantDatabase(database, account));
    return account;
  } catch (error) {
    if (created) await admin.execute(dropAccount(account)).catch(() => undefined);
    const failure = error as ServerError;
    const words = serverErrorText(failure.errno, failure.sqlMessage ?? failure.message).replaceAll(
      account.password,
      '****',
    );
    if (!isAccessDenied(failure.errno)) throw new Error(`Verify could not create its temporary account: ${words}`);
    const databases = await admin.rows<{ name: string }>(SELECT_DATABASE_NAMES);
    if (!databases.some((row) => row.name.toLowerCase() === real.name.toLowerCase())) return undefined;
    throw new ScratchAccountRefusedError(
      `Verify runs migrations as a temporary account allowed only its scratch database, and ${server.user} cannot ` +
        `create one (${words}), while it can reach ${real.name}: use an account with CREATE USER and GRANT OPTION, ` +
        'or point migrationLens.scratchDatabaseUrl (--scratch-database on the command line) at a separate server.',
    );
  }
}

/** Logs in as the temporary account, in the scratch database, and checks that the server took the login as its. */
async function openAccountSession(
  server: DatabaseConfig,
  database: string,
  account: TemporaryAccount,
): Promise<MysqlSession> {
  const session = await MysqlSession.open({
    ...server,
    user: account.name,
    password: account.password,
    database,
  }).catch((error: unknown) => {
    throw new Error(
      `Verify could not log in as its temporary account ${accountText(account)}: ${(error as Error).message}`,
    );
  });
  try {
    const [{ account: matched }] = await session.rows<{ account: string }>(SELECT_SESSION_ACCOUNT);
    if (matched !== `${account.name}@${account.host}`) {
      throw new Error(`Verify's temporary account ${accountText(account)} logged in as ${matched}, so it is not used`);
    }
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

function accountText(account: AccountName): string {
  return `'${account.name}'@'${account.host}'`;
}
