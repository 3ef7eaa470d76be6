/**
 * The environments of `migration-lens.json` made usable: `${VAR}` expanded from the project's `.env` and the process
 * environment, the URL parsed, the migrations folder made absolute, and a fleet's databases listed or found on its
 * server with a read-only `SHOW DATABASES LIKE`.
 */
import path from 'node:path';
import {
  expandEnvironmentUrl,
  findEnvironment,
  passwordVariable,
  type EnvironmentSpec,
  type FleetSpec,
} from '../core/environments';
import { describeProjectFileProblem, type ProjectFileReading } from '../core/project-file';
import { MysqlSession } from './mysql/connection';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseConfig } from './mysql/dsn';
import { showDatabasesLike } from './mysql/sql';
import { readProjectFile } from './project-file';
import { readProjectFiles } from './project-database';

/** An environment that cannot be used; the message names it and never holds a password. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** The project file that applies to a folder, where the project's root is, and what the file says. */
export interface ProjectEnvironments extends ProjectFileReading {
  /** The folder holding `migration-lens.json`; undefined when there is none. */
  readonly root?: string;
}

/** Finds `migration-lens.json` from `folder` up (see `readProjectFile`). */
export async function readProjectEnvironments(folder: string): Promise<ProjectEnvironments> {
  const reading = await readProjectFile(folder);
  return { ...reading, ...(reading.file !== undefined && { root: path.dirname(reading.file) }) };
}

/** What `${VAR}` reads: the project's `.env`, overridden by the process environment (as dotenv leaves it). */
export async function environmentVariables(
  root: string,
  processEnvironment: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Record<string, string | undefined>> {
  const { env } = await readProjectFiles(root);
  return { ...env, ...processEnvironment };
}

export interface ResolvedEnvironment {
  readonly spec: EnvironmentSpec;
  /** The environment's migrations folder, absolute, when it names one. */
  readonly folder?: string;
  /** The database; for a fleet the server, with no database name (each member sets its own). */
  readonly config: DatabaseConfig;
  /** The expanded URL with its password redacted: for messages, and the secret storage's key. */
  readonly redactedUrl: string;
  /** The expanded URL, password included: never show it. */
  readonly url: string;
  /**
   * The variable in the password's place had no value and `passwordFallback` allowed going on without it: the
   * password is empty, for the editor's secret storage to fill.
   */
  readonly passwordUnset?: string;
}

/**
 * The environment ready to connect to. Refuses (`EnvironmentError`) an environment the file refused (a password
 * written in it), a variable with no value, a URL that does not parse, and a fleet whose URL names a database.
 */
export function resolveEnvironment(
  spec: EnvironmentSpec,
  root: string,
  variables: Readonly<Record<string, string | undefined>>,
  { passwordFallback = false } = {},
): ResolvedEnvironment {
  if (spec.refusal) throw new EnvironmentError(describeProjectFileProblem(spec.refusal));
  let expanded = expandEnvironmentUrl(spec.url, variables);
  const password = passwordVariable(spec.url);
  let passwordUnset: string | undefined;
  if ('missing' in expanded && passwordFallback && expanded.missing.length === 1 && expanded.missing[0] === password) {
    passwordUnset = password;
    expanded = expandEnvironmentUrl(spec.url, { ...variables, [password]: '' });
  }
  if ('missing' in expanded) {
    const names = expanded.missing.map((name) => `\${${name}}`).join(', ');
    throw new EnvironmentError(
      `environment ${spec.name}: ${names} ${expanded.missing.length === 1 ? 'has' : 'have'} no value ` +
        '(set it in the environment or in .env beside migration-lens.json)',
    );
  }
  let config: DatabaseConfig;
  try {
    config = parseDatabaseUrl(expanded.url);
  } catch (error) {
    throw new EnvironmentError(`environment ${spec.name}: ${(error as Error).message}`);
  }
  if (spec.fleet && config.database !== '') {
    throw new EnvironmentError(
      `environment ${spec.name} is a fleet: its url names the server only (mysql://user@tcp(host:3306)/), ` +
        `not the database "${config.database}"`,
    );
  }
  return {
    spec,
    ...(spec.path !== undefined && { folder: path.resolve(root, spec.path) }),
    config,
    redactedUrl: redactDatabaseUrl(expanded.url),
    url: expanded.url,
    ...(passwordUnset !== undefined && { passwordUnset }),
  };
}

/** `resolveEnvironment` of the environment named `name`, with the file's own problems first when it has none. */
export function resolveNamedEnvironment(
  project: ProjectEnvironments,
  name: string,
  variables: Readonly<Record<string, string | undefined>>,
  options: { passwordFallback?: boolean } = {},
): ResolvedEnvironment {
  if (project.root === undefined) {
    throw new EnvironmentError(`no environment "${name}": no migration-lens.json found (looked up to the .git folder)`);
  }
  const found = findEnvironment(project.config.environments, name);
  if ('problem' in found) throw new EnvironmentError(found.problem);
  return resolveEnvironment(found.environment, project.root, variables, options);
}

/** A fleet's databases in name order: its list, or what its pattern finds on the server (one short session). */
export async function fleetDatabases(fleet: FleetSpec, server: DatabaseConfig): Promise<string[]> {
  if (fleet.kind === 'list') return [...fleet.databases].sort();
  const session = await MysqlSession.open(server);
  try {
    const rows = await session.rows<Record<string, string>>(showDatabasesLike(fleet.pattern));
    return rows.map((row) => String(Object.values(row)[0])).sort();
  } finally {
    await session.close();
  }
}

/** One database of a fleet: the server's configuration with its name. */
export function memberDatabase(server: DatabaseConfig, database: string): DatabaseConfig {
  return { ...server, database };
}
