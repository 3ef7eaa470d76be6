/**
 * The `environments` section of `migration-lens.json`: the databases a migrations folder is applied to (dev,
 * staging, prod, ...), each a golang-migrate URL where `${VAR}` comes from the environment or the project's `.env`,
 * and fleets: one environment with many databases on a server, listed or found by a `LIKE` pattern.
 *
 *     "environments": {
 *       "prod":    { "url": "mysql://deploy:${PROD_PASSWORD}@tcp(db:3306)/app", "protected": true },
 *       "tenants": { "url": "mysql://deploy:${TENANT_PASSWORD}@tcp(tenants:3306)/", "discover": "tenant\\_%" }
 *     }
 *
 * A password is never written in the file: only a whole `${VAR}` may stand in the URL's password place.
 */
import { expandOrNameMissing } from './project-database';
import { isObject, type ProjectFileProblem } from './project-file';

/** The colours an environment can be shown in (the editor's `charts.*` theme colours). */
export const ENVIRONMENT_COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;
export type EnvironmentColor = (typeof ENVIRONMENT_COLORS)[number];

/** Which databases a fleet holds: a list, or the server's databases whose names match a `LIKE` pattern. */
export type FleetSpec =
  | { readonly kind: 'list'; readonly databases: readonly string[] }
  | { readonly kind: 'discover'; readonly pattern: string };

export interface EnvironmentSpec {
  readonly name: string;
  /** The URL as written, `${VAR}` unexpanded. For a fleet it names the server; each database replaces its name. */
  readonly url: string;
  /** The migrations folder, relative to the project's root, when it is not the usual one. */
  readonly path?: string;
  /** Commands that write need the environment's name typed (editor) or `-confirm-env NAME` (command line). */
  readonly protected: boolean;
  readonly color?: EnvironmentColor;
  readonly fleet?: FleetSpec;
  /** Why it cannot be used (a password in the URL, ...): using it fails with this, naming the place in the file. */
  readonly refusal?: ProjectFileProblem;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** The keys of an environment, as `schemas/migration-lens.schema.json` lists them. */
export const ENVIRONMENT_KEYS = ['url', 'path', 'protected', 'color', 'databases', 'discover'];
/** A database name as the server allows it: 1 to 64 characters without NUL, `/`, `\` or `.`, no trailing space. */
const DATABASE_NAME = /^[^\0/\\.]{1,64}(?<! )$/u;
/** What a `LIKE` pattern of database names may hold: name characters, `%` and `_` wildcards, `\` escapes. */
const LIKE_PATTERN = /^[\p{L}\p{N}_$%\\-]{1,200}$/u;
/** The discovery statement as the issue writes it, `SHOW DATABASES LIKE 'tenant\_%'`, whose pattern is taken. */
const SHOW_DATABASES_LIKE = /^\s*SHOW\s+DATABASES\s+LIKE\s+'([^']*)'\s*;?\s*$/i;

/** Reads the section; an environment with a problem in its URL is kept with its `refusal`, others are left out. */
export function readEnvironments(value: unknown, problems: ProjectFileProblem[]): EnvironmentSpec[] {
  if (!isObject(value)) {
    problems.push({ path: 'environments', message: 'must be an object of environment names to their settings' });
    return [];
  }
  const environments: EnvironmentSpec[] = [];
  for (const [name, settings] of Object.entries(value)) {
    const at = `environments.${name}`;
    if (!NAME.test(name)) {
      problems.push({ path: at, message: 'a name is letters, digits, ".", "_" and "-" (up to 64), such as prod' });
      continue;
    }
    const environment = readEnvironment(name, settings, at, problems);
    if (environment) environments.push(environment);
  }
  return environments;
}

function readEnvironment(
  name: string,
  settings: unknown,
  at: string,
  problems: ProjectFileProblem[],
): EnvironmentSpec | undefined {
  if (!isObject(settings)) {
    problems.push({ path: at, message: 'must be an object with at least "url"' });
    return undefined;
  }
  for (const key of Object.keys(settings)) {
    if (!ENVIRONMENT_KEYS.includes(key))
      problems.push({ path: `${at}.${key}`, message: `unknown key (known: ${ENVIRONMENT_KEYS.join(', ')})` });
  }
  const { url, path, color, databases, discover } = settings;
  if (typeof url !== 'string' || url.trim() === '') {
    problems.push({ path: `${at}.url`, message: 'must be a database URL, such as mysql://user@tcp(host:3306)/app' });
    return undefined;
  }
  const isProtected = settings.protected ?? false;
  if (typeof isProtected !== 'boolean') problems.push({ path: `${at}.protected`, message: 'must be true or false' });
  if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) {
    problems.push({ path: `${at}.path`, message: 'must be a folder, relative to the project root' });
  }
  if (color !== undefined && !ENVIRONMENT_COLORS.includes(color as EnvironmentColor)) {
    problems.push({ path: `${at}.color`, message: `must be one of ${ENVIRONMENT_COLORS.join(', ')}` });
  }
  const fleet = readFleet(databases, discover, at, problems);
  const refusal = urlProblem(url, `${at}.url`);
  if (refusal) problems.push(refusal);
  return {
    name,
    url: url.trim(),
    ...(typeof path === 'string' && path.trim() !== '' && { path: path.trim() }),
    // A value that is not a boolean protects: a typo must not unprotect production.
    protected: isProtected !== false,
    ...(ENVIRONMENT_COLORS.includes(color as EnvironmentColor) && { color: color as EnvironmentColor }),
    ...(fleet && { fleet }),
    ...(refusal && { refusal }),
  };
}

function readFleet(
  databases: unknown,
  discover: unknown,
  at: string,
  problems: ProjectFileProblem[],
): FleetSpec | undefined {
  if (databases !== undefined && discover !== undefined) {
    problems.push({ path: at, message: 'a fleet has "databases" or "discover", not both: "databases" is used' });
  }
  if (databases !== undefined) {
    const names = Array.isArray(databases) ? databases : [];
    const valid = names.filter((entry): entry is string => typeof entry === 'string' && DATABASE_NAME.test(entry));
    if (!Array.isArray(databases) || valid.length !== names.length || names.length === 0) {
      problems.push({ path: `${at}.databases`, message: 'must be a list of database names (1 to 64 characters)' });
    }
    const unique = [...new Set(valid)];
    if (unique.length < valid.length) problems.push({ path: `${at}.databases`, message: 'lists a database twice' });
    return unique.length > 0 ? { kind: 'list', databases: unique } : undefined;
  }
  if (discover === undefined) return undefined;
  const pattern = typeof discover === 'string' ? discoveryPattern(discover) : undefined;
  if (pattern === undefined) {
    problems.push({
      path: `${at}.discover`,
      message:
        'must be a LIKE pattern of database names such as tenant\\_% (letters, digits, _ $ -, the wildcards % and _, ' +
        "\\ to escape), or SHOW DATABASES LIKE '<pattern>'",
    });
    return undefined;
  }
  return { kind: 'discover', pattern };
}

/** The `LIKE` pattern of a `discover` value: the pattern itself, or taken from `SHOW DATABASES LIKE '...'`. */
export function discoveryPattern(text: string): string | undefined {
  const pattern = SHOW_DATABASES_LIKE.exec(text)?.[1] ?? text.trim();
  return LIKE_PATTERN.test(pattern) ? pattern : undefined;
}

/**
 * A URL that writes a password (anything but one whole `${VAR}` after `user:`) is refused, never used: the message
 * says where, and never quotes the password.
 */
function urlProblem(url: string, at: string): ProjectFileProblem | undefined {
  if (!/^mysql:\/\//i.test(url.trim())) return { path: at, message: 'must start with mysql://' };
  const password = passwordPlace(url.trim());
  if (password === undefined || password === '' || WHOLE_VARIABLE.test(password)) return undefined;
  return {
    path: at,
    message:
      'holds a password: put ${VARIABLE} in its place (set in the environment or .env) or leave it out ' +
      '(the editor asks once and keeps it in its secret storage); the file is never a place for a password',
  };
}

const WHOLE_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The variable standing in the URL's password place (`PROD_PASSWORD` in `deploy:${PROD_PASSWORD}@`), if any. */
export function passwordVariable(url: string): string | undefined {
  return WHOLE_VARIABLE.exec(passwordPlace(url.trim()) ?? '')?.[1];
}

/**
 * The text in the password's place of a `mysql://user:password@...` URL: after the first `:` of what comes before
 * the last `@` ahead of the parameters. Wider than go-sql-driver's split on purpose: it finds a password wherever the
 * driver could.
 */
function passwordPlace(url: string): string | undefined {
  const rest = url.slice(url.indexOf('://') + 3);
  const head = rest.split('?')[0];
  const at = head.lastIndexOf('@');
  if (at < 0) return undefined;
  const userInfo = head.slice(0, at);
  const colon = userInfo.indexOf(':');
  return colon < 0 ? undefined : userInfo.slice(colon + 1);
}

/** The URL with `${VAR}` replaced from `variables`, or the names that have no value (nothing half-expanded). */
export function expandEnvironmentUrl(
  url: string,
  variables: Readonly<Record<string, string | undefined>>,
): { readonly url: string } | { readonly missing: readonly string[] } {
  const expansion = expandOrNameMissing(url, variables);
  return 'text' in expansion ? { url: expansion.text } : expansion;
}

/** The environment named `name`, or why there is none (listing the known names). */
export function findEnvironment(
  environments: readonly EnvironmentSpec[],
  name: string,
): { readonly environment: EnvironmentSpec } | { readonly problem: string } {
  const environment = environments.find((candidate) => candidate.name === name);
  if (environment) return { environment };
  const known = environments.map((candidate) => candidate.name);
  return {
    problem:
      known.length === 0
        ? `no environment "${name}": migration-lens.json names none`
        : `no environment "${name}" (known: ${known.join(', ')})`,
  };
}

/** The colour an environment is shown in: its own, else one picked from its name, the same every time. */
export function environmentColor(environment: EnvironmentSpec): EnvironmentColor {
  if (environment.color) return environment.color;
  // Red stays for protected environments, which are shown in the error colour anyway.
  const choices = ENVIRONMENT_COLORS.filter((color) => color !== 'red');
  let sum = 0;
  for (const character of environment.name) sum = (sum * 31 + character.charCodeAt(0)) >>> 0;
  return choices[sum % choices.length];
}
