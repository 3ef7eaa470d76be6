/**
 * One dedicated mysql2 connection for one run. Never a pool: golang-migrate's named lock belongs to the session that
 * took it. Multiple statements are always on (a migration file is sent whole), and big integers come back as strings
 * so bigint versions keep every digit.
 */
import { readFileSync } from 'node:fs';
import type { Connection, ConnectionOptions, SslOptions } from 'mysql2';
import type { DatabaseConfig, TlsMode } from './dsn';
import { killQuery, SELECT_CURRENT_DATABASE, setSessionVariables, type Statement } from './sql';

let driver: Promise<typeof import('mysql2')> | undefined;

/**
 * mysql2, evaluated at the first connection rather than when the extension loads: it is most of the bundle, and
 * evaluating it at load more than doubled the extension's activation time (see the packaged host test's figures).
 */
function mysqlDriver(): Promise<typeof import('mysql2')> {
  driver ??= import('mysql2').catch((error: unknown) => {
    driver = undefined;
    throw error;
  });
  return driver;
}

/** Connecting failed; the message is one line, names the server and never the password. */
export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';

  /** `loginRefused`: the server refused the user and password (MySQL error 1045), so another password may do. */
  constructor(
    message: string,
    readonly loginRefused = false,
  ) {
    super(message);
  }
}

/** What the server said when a query failed. */
export interface ServerError {
  readonly code?: string;
  readonly errno?: number;
  readonly sqlMessage?: string;
  readonly message: string;
}

/** A multi-statement script failed: `completedStatements` result sets arrived before the error. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';

  constructor(
    readonly completedStatements: number,
    readonly serverError: ServerError,
    readonly timedOutAfterMs?: number,
  ) {
    super(serverError.message, { cause: serverError });
  }
}

/** The server's status flag set while a transaction is open (in every OK and EOF packet). */
const SERVER_STATUS_IN_TRANS = 0x0001;

export class MysqlSession {
  /** Sessions opened by this process: a run opens one, and tests hold it to that. */
  static opened = 0;
  /** Queries sent to the server since the connection opened (each is one round trip). */
  roundTrips = 0;

  private constructor(
    private readonly connection: Connection,
    private readonly options: ConnectionOptions,
  ) {}

  /** Opens the connection and applies the URL's session settings. */
  static async open(config: DatabaseConfig): Promise<MysqlSession> {
    const options = connectionOptions(config);
    const { createConnection } = await mysqlDriver();
    const connection = createConnection(options);
    // A dropped connection must surface as a query error, not crash the process as an unhandled 'error' event.
    connection.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      connection.connect((error) => (error ? reject(describeConnectError(error, config)) : resolve()));
    });
    MysqlSession.opened++;
    const session = new MysqlSession(connection, options);
    if (config.sessionSettings.length > 0) {
      try {
        await session.execute(setSessionVariables(config.sessionSettings));
      } catch (error) {
        // Left open, the connection would keep the process (a command line run) alive after the error.
        await session.close();
        const names = config.sessionSettings.map((setting) => setting.name).join(', ');
        const reason = oneLine((error as ServerError).sqlMessage ?? (error as Error).message);
        throw new DatabaseConnectionError(
          `the server refused the session settings from the database URL (${names}): ${reason}`,
        );
      }
    }
    return session;
  }

  get connectionId(): number {
    return this.connection.threadId ?? 0;
  }

  /**
   * A string as a quoted SQL literal with backslash escapes (mysql2's). Right under the default SQL mode, not under
   * NO_BACKSLASH_ESCAPES: a dump that uses it sets its own SQL mode first.
   */
  quoteString(value: string): string {
    return this.connection.escape(value);
  }

  /** The database this session works in: `named` (the URL's), else the server's current one; '' when there is none. */
  async databaseName(named: string): Promise<string> {
    if (named !== '') return named;
    const [row] = await this.rows<{ name: string | null }>(SELECT_CURRENT_DATABASE);
    return row?.name ?? '';
  }

  /** Rows of a single SELECT (or SHOW). */
  async rows<Row>(statement: Statement): Promise<Row[]> {
    const result = await this.query(statement);
    return result as Row[];
  }

  async execute(statement: Statement): Promise<void> {
    await this.query(statement);
  }

  /**
   * Sends a whole script as one query, with no splitting and no transaction around it, and tells whether it ended
   * inside a transaction. When it fails, the error tells how many statements completed before the failing one.
   * `timeoutMs` stops the running statement with KILL QUERY from a second connection, so this session stays usable.
   */
  async runScript(sql: string, timeoutMs?: number): Promise<{ transactionOpen: boolean }> {
    this.roundTrips++;
    let kill: Promise<void> | undefined;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            kill = this.killRunningStatement();
          }, timeoutMs);
    let status: number | undefined;
    try {
      status = await new Promise<number | undefined>((resolve, reject) => {
        const query = this.connection.query(sql, (error, result) => {
          if (error)
            reject(new ScriptError(finishedResultSets(query), error, kill === undefined ? undefined : timeoutMs));
          else resolve(lastServerStatus(result, finishedResultSets(query)));
        });
      });
    } finally {
      clearTimeout(timer);
      await kill;
    }
    // A script ending with rows ends with an EOF packet whose flags mysql2 keeps to itself: ask with a no-op.
    status ??= await this.serverStatusNow();
    return { transactionOpen: (status & SERVER_STATUS_IN_TRANS) !== 0 };
  }

  /** The server's status flags, from the OK packet of a statement that does nothing. */
  private async serverStatusNow(): Promise<number> {
    const result = await this.query({ sql: 'DO 0' });
    return lastServerStatus(result, 0) ?? 0;
  }

  /** Ends the connection at once without waiting for the server (a wait for the lock is abandoned this way). */
  destroy(): void {
    this.connection.destroy();
  }

  /**
   * Rows of a SELECT as arrays of the server's text for each value (null for NULL), streamed: the connection pauses
   * while the consumer is behind, so a table of any size is read in constant memory.
   */
  streamTextRows(statement: Statement, highWaterMark = 256): AsyncIterable<(string | null)[]> {
    this.roundTrips++;
    return this.connection
      .query({
        sql: statement.sql,
        values: [...(statement.values ?? [])],
        rowsAsArray: true,
        typeCast: (field) => field.string(),
      })
      .stream({ highWaterMark }) as AsyncIterable<(string | null)[]>;
  }

  /** Ends the connection; never throws, also when it was lost or destroyed before. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      try {
        this.connection.end(() => resolve());
      } catch {
        // Already closed (destroyed on cancel, or lost): nothing left to end.
        resolve();
      }
    });
  }

  private async query(statement: Statement): Promise<unknown> {
    this.roundTrips++;
    return new Promise((resolve, reject) => {
      this.connection.query(statement.sql, [...(statement.values ?? [])], (error, result) => {
        if (error) reject(error);
        else resolve(result);
      });
    });
  }

  /** Stops the statement this session is running, from a second connection (the session itself is busy). */
  async killRunningStatement(): Promise<void> {
    const { createConnection } = await mysqlDriver();
    const killer = createConnection({ ...this.options, database: undefined, multipleStatements: false });
    killer.on('error', () => undefined);
    const kill = killQuery(this.connectionId);
    await new Promise<void>((resolve) => {
      killer.query(kill.sql, [...(kill.values ?? [])], () => resolve());
    });
    await new Promise<void>((resolve) => killer.end(() => resolve()));
  }
}

/**
 * How many statements of a multi-statement query finished before the error. mysql2 keeps this count as the index of
 * the current result set and moves it only when the server says more results follow; it has no public accessor, and
 * its public events cannot tell a row set that finished from one that failed part way.
 */
function finishedResultSets(query: object): number {
  const index = (query as { _resultIndex?: unknown })._resultIndex;
  if (typeof index !== 'number') throw new Error('mysql2 no longer exposes the result set index of a query');
  return index;
}

/**
 * The status flags of a query's last result when it was an OK packet; undefined when it was a row set. `resultIndex`
 * is the index of that last result (0 for a single statement, whose result mysql2 does not wrap in an array).
 */
function lastServerStatus(result: unknown, resultIndex: number): number | undefined {
  const last: unknown = resultIndex === 0 ? result : (result as unknown[])[resultIndex];
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return undefined;
  const status = (last as { serverStatus?: unknown }).serverStatus;
  return typeof status === 'number' ? status : undefined;
}

function connectionOptions(config: DatabaseConfig): ConnectionOptions {
  const endpoint =
    config.endpoint.kind === 'unix'
      ? { socketPath: config.endpoint.socketPath }
      : { host: config.endpoint.host, port: config.endpoint.port };
  const ssl = sslOptions(config.tls);
  return {
    ...endpoint,
    user: config.user,
    password: config.password,
    ...(config.database !== '' && { database: config.database }),
    ...(config.charset !== undefined && { charset: config.charset }),
    ...(ssl !== undefined && { ssl }),
    connectTimeout: config.connectTimeoutMs,
    multipleStatements: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

function sslOptions(tls: TlsMode): SslOptions | undefined {
  switch (tls.kind) {
    case 'off':
    case 'preferred':
      return undefined;
    case 'verify':
      return { rejectUnauthorized: true };
    case 'skip-verify':
      return { rejectUnauthorized: false };
    case 'custom':
      return {
        ca: readTlsFile(tls.caFile, 'x-tls-ca'),
        ...(tls.certFile !== undefined && { cert: readTlsFile(tls.certFile, 'x-tls-cert') }),
        ...(tls.keyFile !== undefined && { key: readTlsFile(tls.keyFile, 'x-tls-key') }),
        rejectUnauthorized: !tls.insecureSkipVerify,
      };
  }
}

function readTlsFile(file: string, param: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatabaseConnectionError(`cannot read ${param} file ${file}: ${(error as Error).message}`);
  }
}

function describeEndpoint(config: DatabaseConfig): string {
  return config.endpoint.kind === 'unix'
    ? `socket ${config.endpoint.socketPath}`
    : `${config.endpoint.host}:${config.endpoint.port}`;
}

function describeConnectError(error: ServerError, config: DatabaseConfig): DatabaseConnectionError {
  const where = describeEndpoint(config);
  // Not scrubbed of the password's text: no server message holds it, and a scrub would mark where a common word is the
  // password ("Unknown database 'shop'" becomes "Unknown database '****'" for the password "shop").
  const reason = oneLine(error.sqlMessage ?? error.message);
  switch (error.code) {
    case 'ECONNREFUSED':
      return new DatabaseConnectionError(
        `cannot connect to ${where}: connection refused. Is the server running there?`,
      );
    case 'ETIMEDOUT':
      return new DatabaseConnectionError(
        `cannot connect to ${where}: no answer within ${config.connectTimeoutMs} ms. Check the host, port and firewall.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseConnectionError(
        `cannot connect to ${where}: unknown host. Check the host in the database URL.`,
      );
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return new DatabaseConnectionError(
        `${reason} at ${where}. Check the user and password in the database URL (percent-encode @ : / in them).`,
        error.code === 'ER_ACCESS_DENIED_ERROR',
      );
    case 'ER_BAD_DB_ERROR':
      return new DatabaseConnectionError(
        `${reason} at ${where}. Create it first, or fix the name in the database URL.`,
      );
    default:
      return new DatabaseConnectionError(`cannot connect to ${where}: ${reason}`);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Whether the server refuses this login: a session opened and closed; any other failure to connect is thrown. */
export async function loginRefused(config: DatabaseConfig): Promise<boolean> {
  try {
    await (await MysqlSession.open(config)).close();
    return false;
  } catch (error) {
    if (error instanceof DatabaseConnectionError && error.loginRefused) return true;
    throw error;
  }
}
