import * as vscode from 'vscode';
import { readProjectDatabase } from '../adapters/project-database';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  parseDatabaseUrl,
  redactDatabaseUrl,
  type DatabaseConfig,
} from '../adapters/mysql/dsn';
import { shellWord } from '../core/cli-command-line';
import type { EditorSettings } from '../core/editor-settings';
import { optionalText } from '../core/setting-values';
import { SETTINGS_SECTION } from './config';
import type { ProjectDatabaseKind } from '../core/project-database';
import type { DatabaseSecrets } from './secrets';

/** Where a folder's database URL came from: a setting, the project's `.env` or Makefile, or migration-lens.json. */
export type DatabaseOrigin = 'setting' | 'environment' | ProjectDatabaseKind;

/** The database a workspace folder uses, without its password: what the tree and the status bar show. */
export interface DatabaseTarget {
  readonly origin: DatabaseOrigin;
  /** The URL as written, password included when the project file has one: never display it. */
  readonly url: string;
  /** The URL with the password replaced by `****`, safe to display; also the secret storage key. */
  readonly redactedUrl: string;
  /** Where it came from, for tooltips: `setting migrationLens.databaseUrl`, `.env DATABASE_URL`, `Makefile line 12`. */
  readonly description: string;
  /** The URL as the project writes it, as a shell word (for a command line to copy): see ProjectDatabase.written. */
  readonly written: string;
}

/** A database a command can connect to: the parsed configuration with the password in place. */
export interface ResolvedDatabase {
  readonly target: DatabaseTarget;
  readonly config: DatabaseConfig;
  /**
   * The setting's URL has no password and none is stored: the configuration holds an empty one, as a local server is
   * usually set up (`mysql://root@tcp(127.0.0.1:3306)/app`). Only a refused login makes a command ask for one.
   */
  readonly passwordUnknown: boolean;
}

/** Why a folder has no usable database; the message says what to do and is safe to show. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';

  constructor(
    readonly reason: 'untrusted' | 'virtual' | 'not-configured' | 'no-password' | 'invalid-url' | 'fleet',
    message: string,
  ) {
    super(message);
  }
}

/** The setting's URL, else the one the project's `.env` or Makefile sets up; undefined when there is none. */
export async function findDatabaseTarget(
  folder: vscode.WorkspaceFolder,
  settings: EditorSettings,
): Promise<DatabaseTarget | undefined> {
  if (settings.databaseUrl !== undefined) {
    const url = settings.databaseUrl;
    return {
      origin: 'setting',
      url,
      redactedUrl: redactDatabaseUrl(url),
      description: 'setting migrationLens.databaseUrl',
      written: shellWord(url),
    };
  }
  if (folder.uri.scheme !== 'file') return undefined;
  const found = await readProjectDatabase(folder.uri.fsPath);
  if (!found) return undefined;
  return {
    origin: found.kind,
    url: found.url,
    redactedUrl: redactDatabaseUrl(found.url),
    description: found.origin,
    written: found.written,
  };
}

/**
 * The connection configuration of `target`. A URL from the setting holds no password: it comes from the secret
 * storage, or is empty while none is stored (`passwordUnknown`). Never asks: see FolderModel.resolveDatabaseForCommand.
 */
export async function resolveDatabase(
  target: DatabaseTarget,
  settings: EditorSettings,
  secrets: DatabaseSecrets,
): Promise<ResolvedDatabase> {
  let config: DatabaseConfig;
  try {
    config = parseDatabaseUrl(target.url);
  } catch (error) {
    throw new DatabaseUnavailableError('invalid-url', `${target.description}: ${(error as Error).message}`);
  }
  // A `timeout` in the URL is the user's explicit choice for that database; the setting covers the rest.
  if (config.connectTimeoutMs === DEFAULT_CONNECT_TIMEOUT_MS) {
    config = { ...config, connectTimeoutMs: settings.connectTimeoutSeconds * 1000 };
  }
  // A setting's URL holds no password, nor does an environment's that no variable gives one.
  const fromSecrets = target.origin === 'setting' || target.origin === 'environment';
  if (!fromSecrets || config.password !== '') return { target, config, passwordUnknown: false };
  const password = await secrets.get(target.redactedUrl);
  if (password === undefined) return { target, config, passwordUnknown: true };
  return { target, config: { ...config, password }, passwordUnknown: false };
}

/**
 * The server of `migrationLens.scratchDatabaseUrl`, if set, where Verify and Preflight create their scratch database.
 * A URL without a password for the real database's user borrows that user's password, so the secret is kept in one
 * place.
 */
export function scratchServerFor(folder: vscode.WorkspaceFolder, real: DatabaseConfig): DatabaseConfig | undefined {
  const url = optionalText(vscode.workspace.getConfiguration(SETTINGS_SECTION, folder).get('scratchDatabaseUrl'));
  if (url === undefined) return undefined;
  const config = parseDatabaseUrl(url);
  return config.password === '' && config.user === real.user ? { ...config, password: real.password } : config;
}
