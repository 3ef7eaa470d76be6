/**
 * The golang-migrate MySQL database URL: `mysql://` followed by a go-sql-driver DSN
 * `[user[:password]@][net[(addr)]]/dbname[?param=value&...]`, plus the plain `mysql://user:pass@host:port/db` form.
 * Parsing is pure so the editor can validate a URL as the user types it.
 */
const DEFAULT_MIGRATIONS_TABLE = 'schema_migrations';
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_PORT = 3306;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_SOCKET = '/tmp/mysql.sock';
const REDACTED = '****';
/**
 * The longest delay a Node timer waits: a longer one fires after 1 ms. A timeout beyond it (24.8 days) is no practical
 * limit, as golang-migrate treats it.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** How the connection uses TLS; `custom` is go-sql-driver's "any other name", configured by the `x-tls-*` params. */
export type TlsMode =
  | { readonly kind: 'off' }
  | { readonly kind: 'verify' }
  | { readonly kind: 'skip-verify' }
  | { readonly kind: 'preferred' }
  | {
      readonly kind: 'custom';
      readonly name: string;
      readonly caFile: string;
      readonly certFile?: string;
      readonly keyFile?: string;
      readonly insecureSkipVerify: boolean;
    };

export type Endpoint =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly socketPath: string };

/** A system variable the connection sets right after connecting, as go-sql-driver does with unknown params. */
export interface SessionSetting {
  readonly name: string;
  /** A number, a word or a quoted string, verbatim as the user wrote it after percent-decoding (e.g. `'+00:00'`). */
  readonly value: string;
}

export interface DatabaseConfig {
  readonly user: string;
  readonly password: string;
  readonly endpoint: Endpoint;
  /** Empty when the URL names no database: the server's current database is used then. */
  readonly database: string;
  readonly migrationsTable: string;
  readonly noLock: boolean;
  /** Applies to running a migration file; undefined means no limit (also for one longer than a timer can wait). */
  readonly statementTimeoutMs: number | undefined;
  readonly connectTimeoutMs: number;
  readonly tls: TlsMode;
  /** The mysql2 `charset` option: a character set or collation name. */
  readonly charset: string | undefined;
  readonly sessionSettings: readonly SessionSetting[];
}

/** A database URL that cannot be used; the message is one line and never contains the password. */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/**
 * go-sql-driver parameters that configure the client rather than the session. The ones we do not act on have no
 * effect on what a migration does to the database (time parsing, read/write deadlines, authentication plugins).
 */
const DRIVER_PARAMS = new Set([
  'allowAllFiles',
  'allowCleartextPasswords',
  'allowFallbackToPlaintext',
  'allowNativePasswords',
  'allowOldPasswords',
  'charset',
  'checkConnLiveness',
  'clientFoundRows',
  'collation',
  'columnsWithAlias',
  'connectionAttributes',
  'interpolateParams',
  'loc',
  'maxAllowedPacket',
  'multiStatements',
  'parseTime',
  'readTimeout',
  'rejectReadOnly',
  'serverPubKey',
  'timeTruncate',
  'timeout',
  'tls',
  'writeTimeout',
]);

const SESSION_VARIABLE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/**
 * The session values sent as SQL text: a number, a word (`ON`, `DEFAULT`, `TRADITIONAL`) or a string quoted with ' or "
 * that holds no backslash and no quote of its own. Such a value reads the same under every SQL mode, so no earlier
 * setting (NO_BACKSLASH_ESCAPES, ANSI_QUOTES) can make a later one end its string early and run what follows.
 */
const SESSION_VALUE = /^(?:[+-]?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|'[^'\\]*'|"[^"\\]*")$/;

export function parseDatabaseUrl(url: string): DatabaseConfig {
  const scheme = /^mysql:\/\//i.exec(url.trim());
  if (!scheme) {
    throw new DatabaseUrlError('the database URL must start with mysql://');
  }
  const parts = splitDsn(url.trim().slice(scheme[0].length));
  const params = parseParams(parts.query);
  const xParams = new Map([...params].filter(([key]) => key.startsWith('x-')));
  const driverParams = new Map([...params].filter(([key]) => !key.startsWith('x-')));

  return {
    user: queryUnescape(parts.user, 'user name'),
    password: queryUnescape(parts.password, 'password'),
    endpoint: parseEndpoint(parts.net, parts.address),
    database: pathUnescape(parts.database),
    migrationsTable: xParams.get('x-migrations-table') || DEFAULT_MIGRATIONS_TABLE,
    noLock: parseBoolean(xParams.get('x-no-lock'), 'x-no-lock') ?? false,
    statementTimeoutMs: parseStatementTimeout(xParams.get('x-statement-timeout')),
    connectTimeoutMs: parseConnectTimeout(driverParams.get('timeout')),
    tls: parseTls(driverParams.get('tls'), xParams),
    charset: parseCharset(driverParams.get('charset'), driverParams.get('collation')),
    sessionSettings: parseSessionSettings(driverParams),
  };
}

/** The password a URL connects with (decoded); undefined when the URL does not parse. */
export function passwordOfUrl(url: string): string | undefined {
  try {
    return parseDatabaseUrl(url).password;
  } catch {
    return undefined;
  }
}

/** The URL with its password replaced by `****`, for messages and logs; works on URLs that do not parse too. */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url);
  const prefix = scheme ? scheme[0] : '';
  const rest = url.slice(prefix.length);
  const located = locateUserInfo(rest).userInfoEnd;
  const userInfoEnd = located >= 0 ? located : rest.lastIndexOf('@');
  if (userInfoEnd < 0) return url;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > userInfoEnd) return url;
  return `${prefix}${rest.slice(0, colon + 1)}${REDACTED}${rest.slice(userInfoEnd)}`;
}

/**
 * Every `mysql://` URL in a text with its password redacted by position (`redactDatabaseUrl`), for a message that may
 * quote one. A URL runs to the next white space.
 */
export function redactDatabaseUrlsIn(text: string): string {
  return text.replace(/mysql:\/\/\S*/gi, (url) => redactDatabaseUrl(url));
}

interface DsnParts {
  readonly user: string;
  readonly password: string;
  readonly net: string;
  readonly address: string;
  readonly database: string;
  readonly query: string;
}

/**
 * Where the `user:password` part ends (the `@`), found as go-sql-driver does: the last `@` before the slash that
 * starts the database name. Unlike go-sql-driver we also accept unescaped `/` in parameter values.
 */
function locateUserInfo(rest: string): { userInfoEnd: number; slash: number; queryStart: number } {
  const firstQuestion = rest.indexOf('?');
  const head = firstQuestion < 0 ? rest : rest.slice(0, firstQuestion);
  const headHasSlash = head.includes('/');
  const restHasAt = rest.includes('@');
  let slash: number;
  if (headHasSlash && (!restHasAt || head.includes('@'))) {
    slash = head.lastIndexOf('/');
  } else {
    slash = rest.lastIndexOf('/');
  }
  if (slash < 0) return { userInfoEnd: -1, slash: -1, queryStart: -1 };
  const questionAfterSlash = rest.indexOf('?', slash + 1);
  return { userInfoEnd: rest.lastIndexOf('@', slash), slash, queryStart: questionAfterSlash };
}

function splitDsn(rest: string): DsnParts {
  const { userInfoEnd, slash, queryStart } = locateUserInfo(rest);
  if (slash < 0) {
    throw new DatabaseUrlError(
      'the database URL has no "/" before the database name (mysql://user:password@tcp(host:port)/dbname)',
    );
  }
  let user = '';
  let password = '';
  if (userInfoEnd >= 0) {
    const userInfo = rest.slice(0, userInfoEnd);
    const colon = userInfo.indexOf(':');
    user = colon < 0 ? userInfo : userInfo.slice(0, colon);
    password = colon < 0 ? '' : userInfo.slice(colon + 1);
  }
  const location = rest.slice(userInfoEnd + 1, slash);
  let net = location;
  let address = '';
  const open = location.indexOf('(');
  if (open >= 0) {
    if (!location.endsWith(')')) {
      throw new DatabaseUrlError('the address in the database URL is not closed by ")" (tcp(host:port))');
    }
    net = location.slice(0, open);
    address = location.slice(open + 1, -1);
  }
  if (userInfoEnd < 0 && net.includes(':')) {
    // `user:password` with its "@" forgotten reads as `host:port`: what follows the ":" may be the password, so it
    // must not become the port every later message names.
    throw new DatabaseUrlError(
      'the database URL has a ":" but no "@" before the address (mysql://user:password@tcp(host:port)/dbname)',
    );
  }
  const database = queryStart < 0 ? rest.slice(slash + 1) : rest.slice(slash + 1, queryStart);
  const query = queryStart < 0 ? '' : rest.slice(queryStart + 1);
  return { user, password, net, address, database, query };
}

function parseEndpoint(net: string, address: string): Endpoint {
  if (net === 'unix') {
    return { kind: 'unix', socketPath: address || DEFAULT_SOCKET };
  }
  if (net === '' || net === 'tcp' || net === 'tcp4' || net === 'tcp6') {
    return address === '' ? { kind: 'tcp', host: DEFAULT_HOST, port: DEFAULT_PORT } : parseHostPort(address);
  }
  if (address === '') {
    // The plain URL form: mysql://user:pass@host:port/db
    return parseHostPort(net);
  }
  // Not quoted: when the "@" is missing or mistyped, this part may hold the password.
  throw new DatabaseUrlError('unknown network in the database URL (use tcp(host:port) or unix(/path/to/socket))');
}

function parseHostPort(address: string): Endpoint {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(address);
  let host: string;
  let port: string | undefined;
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2];
  } else {
    const colon = address.lastIndexOf(':');
    host = colon < 0 ? address : address.slice(0, colon);
    port = colon < 0 ? undefined : address.slice(colon + 1);
    if (host.includes(':')) {
      throw new DatabaseUrlError('an IPv6 address in the database URL must be written in brackets: tcp([::1]:3306)');
    }
  }
  if (port === undefined || port === '') {
    return { kind: 'tcp', host: host || DEFAULT_HOST, port: DEFAULT_PORT };
  }
  const portNumber = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(portNumber > 0 && portNumber < 65536)) {
    throw new DatabaseUrlError('invalid port in the database URL (a number from 1 to 65535)');
  }
  return { kind: 'tcp', host: host || DEFAULT_HOST, port: portNumber };
}

/** Go's url.ParseQuery rules as go-sql-driver applies them: `&`-separated, pairs without `=` skipped, values decoded. */
function parseParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    const key = pair.slice(0, equals);
    params.set(key, queryUnescape(pair.slice(equals + 1), `value of parameter "${key}"`));
  }
  return params;
}

/** Go's url.QueryUnescape: `+` is a space, `%XX` a byte of UTF-8. */
function queryUnescape(text: string, what: string): string {
  return percentDecode(text.replace(/\+/g, ' '), what);
}

/** Go's url.PathUnescape: like QueryUnescape but `+` stays `+`. */
function pathUnescape(text: string): string {
  return percentDecode(text, 'database name');
}

function percentDecode(text: string, what: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) {
    throw new DatabaseUrlError(`invalid percent-encoding in the ${what} of the database URL`);
  }
  try {
    return decodeURIComponent(text);
  } catch {
    throw new DatabaseUrlError(`the ${what} of the database URL is not valid UTF-8 once percent-decoded`);
  }
}

/** Go's strconv.ParseBool. */
function parseBoolean(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new DatabaseUrlError(`could not parse ${name} as bool: "${value}"`);
}

function parseStatementTimeout(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) {
    throw new DatabaseUrlError(`x-statement-timeout must be a whole number of milliseconds, got "${value}"`);
  }
  const milliseconds = Number(value);
  return milliseconds === 0 || milliseconds > LONGEST_TIMER_MS ? undefined : milliseconds;
}

const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** go-sql-driver's `timeout` is a Go duration such as `5s`, `500ms` or `1m30s`; mysql2 always arms a timer with it. */
function parseConnectTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_CONNECT_TIMEOUT_MS;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(pattern)) {
    total += Number(match[1]) * GO_DURATION_UNITS[match[2]];
    consumed += match[0].length;
  }
  if (consumed === 0 || consumed !== value.length) {
    throw new DatabaseUrlError(`invalid timeout "${value}" in the database URL (a duration such as 5s or 500ms)`);
  }
  return Math.min(LONGEST_TIMER_MS, Math.max(1, Math.round(total)));
}

function parseTls(value: string | undefined, xParams: ReadonlyMap<string, string>): TlsMode {
  if (value === undefined || value === '') return { kind: 'off' };
  if (['1', 'true', 'TRUE', 'True'].includes(value)) return { kind: 'verify' };
  if (['0', 'false', 'FALSE', 'False'].includes(value)) return { kind: 'off' };
  if (value.toLowerCase() === 'skip-verify') return { kind: 'skip-verify' };
  if (value.toLowerCase() === 'preferred') return { kind: 'preferred' };
  const caFile = xParams.get('x-tls-ca') ?? '';
  if (caFile === '') {
    throw new DatabaseUrlError(`tls=${value} needs x-tls-ca (the CA certificate file) in the database URL`);
  }
  const certFile = xParams.get('x-tls-cert') || undefined;
  const keyFile = xParams.get('x-tls-key') || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new DatabaseUrlError('to use TLS client authentication, both x-tls-cert and x-tls-key must be set');
  }
  return {
    kind: 'custom',
    name: value,
    caFile,
    ...(certFile !== undefined && { certFile }),
    ...(keyFile !== undefined && { keyFile }),
    insecureSkipVerify: parseBoolean(xParams.get('x-tls-insecure-skip-verify'), 'x-tls-insecure-skip-verify') ?? false,
  };
}

/** go-sql-driver's `charset` is a comma-separated list of preferences; mysql2 takes one name, so the first wins. */
function parseCharset(charset: string | undefined, collation: string | undefined): string | undefined {
  if (collation) return collation;
  const first = charset?.split(',')[0]?.trim();
  return first || undefined;
}

function parseSessionSettings(driverParams: ReadonlyMap<string, string>): SessionSetting[] {
  const settings: SessionSetting[] = [];
  for (const [name, value] of driverParams) {
    if (DRIVER_PARAMS.has(name)) continue;
    if (!SESSION_VARIABLE.test(name)) {
      throw new DatabaseUrlError(`"${name}" in the database URL is not a valid system variable name`);
    }
    // The value is sent verbatim on a connection that runs several statements per query: one value, never more SQL.
    if (!SESSION_VALUE.test(value)) {
      throw new DatabaseUrlError(
        `the value of "${name}" in the database URL must be a number, a word or a 'quoted string' without \\ or quotes inside`,
      );
    }
    settings.push({ name, value });
  }
  return settings;
}
