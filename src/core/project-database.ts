/**
 * Where a golang-migrate project keeps its database URL when the user configured nothing: a `.env` file with
 * `DATABASE_URL` or `DB_USER`/`DB_PASS`/`DB_HOST`/`DB_PORT`/`DB_NAME`, or a Makefile target running
 * `migrate -path=... -database "mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}" up`.
 * Pure: the adapter reads the files (and parses `.env` with dotenv) and passes their contents here.
 */

export type ProjectDatabaseKind = 'env-url' | 'env-parts' | 'makefile';

/** A database URL found in the project, with where it came from (for tooltips: "Makefile line 12"). */
export interface ProjectDatabase {
  readonly kind: ProjectDatabaseKind;
  /** The full URL, password included: never display it, redact it first. */
  readonly url: string;
  /** Where it came from, e.g. `.env DATABASE_URL` or `Makefile line 12`. */
  readonly origin: string;
  /**
   * The URL as the project writes it, as a shell word: `"$DATABASE_URL"`, or the `.env` parts or the Makefile's
   * `-database` with its variables unexpanded, `"mysql://${DB_USER}:${DB_PASS}@tcp(${DB_HOST}:${DB_PORT})/${DB_NAME}"`.
   */
  readonly written: string;
}

/** What the project holds: `.env` values (already parsed) and the Makefile's text, each absent when missing. */
export interface ProjectFiles {
  readonly env?: Readonly<Record<string, string>>;
  readonly makefile?: string;
  /** The Makefile's name as found (`Makefile`, `makefile`, `GNUmakefile`), for the origin text. */
  readonly makefileName?: string;
}

/** A `migrate` invocation found in a Makefile: its `-database` and `-path`/`-source` values, unexpanded. */
export interface MigrateInvocation {
  readonly line: number;
  readonly database: string;
  readonly path: string | undefined;
}

const MYSQL_SCHEME = /^mysql:\/\//i;

/**
 * The project's database, in the order a user expects: `.env` DATABASE_URL, `.env` DB_* parts, then the Makefile's
 * `migrate -database` (expanded with the Makefile's own assignments and the `.env` values). Only MySQL URLs count.
 */
export function findProjectDatabase(files: ProjectFiles): ProjectDatabase | undefined {
  const env = files.env ?? {};
  const fromEnv = env.DATABASE_URL?.trim();
  if (fromEnv && MYSQL_SCHEME.test(fromEnv)) {
    return { kind: 'env-url', url: fromEnv, origin: '.env DATABASE_URL', written: '"$DATABASE_URL"' };
  }
  const fromParts = urlFromEnvParts(env);
  if (fromParts) {
    const origin = '.env DB_USER, DB_HOST, DB_NAME, ...';
    return { kind: 'env-parts', url: fromParts, origin, written: `"${urlFromEnvParts(env, variableReference)}"` };
  }
  if (files.makefile === undefined) return undefined;
  const variables = { ...makefileAssignments(files.makefile), ...env };
  for (const invocation of findMigrateInvocations(files.makefile)) {
    const url = expandVariables(invocation.database, variables);
    if (url !== undefined && MYSQL_SCHEME.test(url)) {
      return {
        kind: 'makefile',
        url,
        origin: `${files.makefileName ?? 'Makefile'} line ${invocation.line}`,
        written: `"${shellVariables(invocation.database)}"`,
      };
    }
  }
  return undefined;
}

/**
 * A golang-migrate URL from `DB_USER`, `DB_PASS` (or `DB_PASSWORD`), `DB_HOST`, `DB_PORT`, `DB_NAME`; undefined without
 * `DB_NAME` (golang-migrate would fail with "no database name"). User and password are percent-encoded.
 */
export function urlFromEnvParts(
  env: Readonly<Record<string, string>>,
  /** How each value goes into the URL: by default itself, user and password percent-encoded; or `${DB_USER}`. */
  part: (name: string, value: string) => string = encodeCredentials,
): string | undefined {
  const host = env.DB_HOST?.trim();
  const name = env.DB_NAME?.trim();
  if (!name) return undefined;
  const user = env.DB_USER ?? '';
  const passwordName = env.DB_PASS === undefined && env.DB_PASSWORD !== undefined ? 'DB_PASSWORD' : 'DB_PASS';
  const password = env[passwordName] ?? '';
  const port = env.DB_PORT?.trim();
  const credentials =
    user === '' && password === ''
      ? ''
      : `${part('DB_USER', user)}${password === '' ? '' : `:${part(passwordName, password)}`}@`;
  const endpoint = `${host ? part('DB_HOST', host) : '127.0.0.1'}:${port ? part('DB_PORT', port) : '3306'}`;
  return `mysql://${credentials}tcp(${endpoint})/${part('DB_NAME', name)}`;
}

function encodeCredentials(name: string, value: string): string {
  return name === 'DB_USER' || name.startsWith('DB_PASS') ? encodeURIComponent(value) : value;
}

/** `${NAME}`: a value as the shell reads it from the environment. */
function variableReference(name: string): string {
  return `\${${name}}`;
}

/** A Makefile's text as a shell reads it: Make's `$(VAR)` is the shell's `${VAR}`, and `$$` a single `$`. */
function shellVariables(text: string): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_all, name: string | undefined) =>
    name === undefined ? '$' : variableReference(name),
  );
}

/**
 * `${VAR}` and `$(VAR)` replaced by their values (and Make's `$$` by `$`); undefined when a variable has no value,
 * because a half-expanded URL would connect somewhere unintended.
 */
export function expandVariables(
  text: string,
  variables: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const expansion = expandOrNameMissing(text, variables);
  return 'text' in expansion ? expansion.text : undefined;
}

/** The text with its variables expanded, or the names of those without a value, each once, in order. */
export function expandOrNameMissing(
  text: string,
  variables: Readonly<Record<string, string | undefined>>,
): { readonly text: string } | { readonly missing: readonly string[] } {
  const missing = new Set<string>();
  const expanded = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, a, b) => {
    if (all === '$$') return '$';
    const name = (a ?? b) as string;
    const value = variables[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  return missing.size > 0 ? { missing: [...missing] } : { text: expanded };
}

/** Simple Makefile assignments (`VAR = v`, `VAR := v`, `VAR ?= v`, `export VAR = v`), later ones winning. */
export function makefileAssignments(makefile: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of makefile.split(/\r?\n/)) {
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}=|\?=|=)\s*(.*?)\s*$/.exec(line);
    if (match) variables[match[1]] = match[2]!;
  }
  return variables;
}

/** Every `migrate ... -database VALUE` command in a Makefile (continued lines joined), in file order. */
export function findMigrateInvocations(makefile: string): MigrateInvocation[] {
  const invocations: MigrateInvocation[] = [];
  const lines = makefile.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const first = index;
    let command = lines[index];
    while (command.endsWith('\\') && index + 1 < lines.length) command = command.slice(0, -1) + ' ' + lines[++index];
    if (!/(^|[\s/@;&|])migrate(\s|$)/.test(command)) continue;
    const database = flagValue(command, 'database');
    if (database === undefined) continue;
    invocations.push({ line: first + 1, database, path: flagValue(command, 'path') ?? flagValue(command, 'source') });
  }
  return invocations;
}

/** The value of `-name VALUE`, `-name=VALUE` or `--name ...`, quoted with ' or " or bare. */
function flagValue(command: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)--?${name}(?:=|\\s+)(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(command);
  if (!match) return undefined;
  return match[1] ?? match[2] ?? match[3];
}
