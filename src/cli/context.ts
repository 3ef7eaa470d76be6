/**
 * What every command gets: the global options (golang-migrate's `-path`/`-source`, `-database`, `-lock-timeout`,
 * `-verbose`, and our ledger and backup options), the streams, and the run session commands share. Results go to
 * stdout, logs to stderr.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  environmentVariables,
  readProjectEnvironments,
  resolveNamedEnvironment,
  type ProjectEnvironments,
  type ResolvedEnvironment,
} from '../adapters/environments';
import type { LedgerSettings } from '../adapters/ledger-store';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseConfig } from '../adapters/mysql/dsn';
import type { EnvironmentRunSettings } from '../app/environments';
import { withRunSession, type RunTarget } from '../app/open-session';
import type { BackupPolicy, RunOptions, RunSession } from '../app/run-session';
import { describeLockHolder } from '../core/errors';
import { describeProjectFileProblem, type ProjectConfig } from '../core/project-file';
import { DEFAULT_BACKUP_FOLDER } from '../core/safety-backup';
import { UsageError } from './flags';

/**
 * `down` without N or `drop` without `-f` when no one can answer the question; a command that writes to a protected
 * environment without `-confirm-env NAME`.
 */
class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequiredError';
}

export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/**
 * `-backup`: before going down or dropping, back up the tables that would lose data. `ask` (the default, as the
 * editor's setting) asks on a terminal and backs up when there is no terminal to ask.
 */
export type CliBackupMode = 'always' | 'ask' | 'never';

export interface GlobalOptions {
  /** The migrations folder, absolute, from `-path` or `-source file://`. */
  readonly folder?: string;
  readonly databaseUrl?: string;
  readonly lockTimeoutSeconds?: number;
  readonly verbose: boolean;
  /** The ledger beside the version table that up, down and goto record their steps in. */
  readonly ledger?: LedgerSettings;
  readonly backup: CliBackupMode;
  /** Where backups go, absolute; `.migration-lens/backups` under the current folder by default. */
  readonly backupFolder?: string;
  /** `-env NAME`: an environment of migration-lens.json gives the database (and the folder, if it names one). */
  readonly environment?: string;
  /** `-confirm-env NAME`: lets commands that write run against the protected environment NAME. */
  readonly confirmEnvironment?: string;
}

export class CliContext {
  private environmentRead: Promise<ResolvedEnvironment | undefined> | undefined;
  private projectFileRead: Promise<ProjectEnvironments> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly streams: CliStreams,
    readonly cwd: string,
    /** Aborted on Ctrl+C: a wait for the lock ends at once, a run stops after the running migration. */
    readonly signal: AbortSignal,
  ) {}

  /** A result line on stdout. */
  print(line: string): void {
    this.streams.stdout.write(`${line}\n`);
  }

  /** A log line on stderr, as golang-migrate logs. */
  log(line: string): void {
    this.streams.stderr.write(`${line}\n`);
  }

  /** The migrations folder: `-path` (or `-source`), else the one the `-env` environment names. */
  async requireFolder(): Promise<string> {
    const folder = this.options.folder ?? (await this.environment())?.folder;
    if (folder === undefined) {
      throw new UsageError('no migrations folder: pass -path DIR or -source file://DIR');
    }
    return folder;
  }

  /** The database of `-database`, or of the `-env` environment when that is one database (not a fleet). */
  async requireDatabase(): Promise<DatabaseConfig> {
    const environment = await this.environment();
    if (environment?.spec.fleet) {
      throw new UsageError(
        `environment ${environment.spec.name} is a fleet: this command works on one database ` +
          '(up, goto and status work across a fleet)',
      );
    }
    if (environment) return environment.config;
    if (this.options.databaseUrl === undefined || this.options.databaseUrl === '') {
      throw new UsageError('no database: pass -database mysql://user:password@tcp(host:3306)/dbname');
    }
    return parseDatabaseUrl(this.options.databaseUrl);
  }

  /** The database as messages show it: the URL with its password redacted. */
  async databaseLabel(): Promise<string> {
    return (await this.environment())?.redactedUrl ?? redactDatabaseUrl(this.options.databaseUrl ?? '');
  }

  /**
   * The environment `-env` names, read once: `${VAR}` from the process environment and the project root's `.env`.
   * Undefined without `-env`.
   */
  environment(): Promise<ResolvedEnvironment | undefined> {
    const name = this.options.environment;
    if (name === undefined) return Promise.resolve(undefined);
    this.environmentRead ??= this.projectFile().then(async (project) =>
      resolveNamedEnvironment(project, name, await environmentVariables(project.root ?? this.cwd)),
    );
    return this.environmentRead;
  }

  /**
   * migration-lens.json for this command line, read once: found from the migrations folder (or the current one) up
   * to the project's root; what is wrong in it is logged once, as warnings.
   */
  projectFile(): Promise<ProjectEnvironments> {
    this.projectFileRead ??= readProjectEnvironments(this.options.folder ?? this.cwd).then((project) => {
      for (const problem of project.problems) this.log(`warning: ${describeProjectFileProblem(problem)}`);
      return project;
    });
    return this.projectFileRead;
  }

  /** The project's settings from migration-lens.json (rules, preflight's limits, environments). */
  async projectConfig(): Promise<ProjectConfig> {
    return (await this.projectFile()).config;
  }

  /** What a run of an environment needs from this command line besides the environment. */
  environmentRunSettings(): EnvironmentRunSettings {
    return {
      ...(this.options.folder !== undefined && { folder: this.options.folder }),
      ...(this.options.ledger && { ledger: this.options.ledger }),
      ...(this.options.lockTimeoutSeconds !== undefined && { lockTimeoutSeconds: this.options.lockTimeoutSeconds }),
    };
  }

  /** The folder and database of this command line. */
  async runTarget(): Promise<RunTarget> {
    return {
      ...this.environmentRunSettings(),
      folder: await this.requireFolder(),
      database: await this.requireDatabase(),
    };
  }

  /** Runs `work` in one run session, closed afterwards. */
  async withSession<T>(work: (session: RunSession) => Promise<T>): Promise<T> {
    return withRunSession(await this.runTarget(), work);
  }

  /** `withSession` for a command that writes: refused on a protected environment without `-confirm-env`. */
  async withWritingSession<T>(command: string, work: (session: RunSession) => Promise<T>): Promise<T> {
    await this.confirmWrite(command);
    return this.withSession(work);
  }

  /**
   * Refuses `command` against a protected environment unless `-confirm-env` names it; dry runs and status never ask.
   * Nothing has connected yet when it refuses.
   */
  async confirmWrite(command: string): Promise<void> {
    const environment = await this.environment();
    const confirmed = this.options.confirmEnvironment;
    if (confirmed !== undefined && confirmed !== environment?.spec.name) {
      throw new UsageError(
        environment === undefined
          ? '-confirm-env confirms the environment named with -env'
          : `-confirm-env ${confirmed} does not name the environment ${environment.spec.name}`,
      );
    }
    if (!environment?.spec.protected || confirmed !== undefined) return;
    const name = environment.spec.name;
    throw new ConfirmationRequiredError(
      `refusing to run ${command} on the protected environment ${name}: pass -confirm-env ${name} to go ahead ` +
        '(--dry-run and status need no confirmation)',
    );
  }

  /** Cancellation, a log line per step as golang-migrate logs, the lock holder while waiting, and the backup policy. */
  runOptions(): RunOptions {
    let toldWaiting = false;
    return {
      signal: this.signal,
      onProgress: (event) => {
        if (event.kind === 'done') this.log(event.logLine);
        else if (event.kind === 'start' && this.options.verbose && event.step.fileName !== undefined) {
          this.log(`Read and execute ${event.step.fileName}`);
        }
      },
      onLockWait: (holder) => {
        if (toldWaiting) return;
        toldWaiting = true;
        this.log(`Waiting for the lock, held by ${holder ? describeLockHolder(holder) : 'another session'} ...`);
      },
      backup: this.backupPolicy(),
      onLedgerProblem: (error) => this.log(`warning: not recorded in the ledger: ${(error as Error).message}`),
    };
  }

  backupPolicy(): BackupPolicy {
    const mode = this.options.backup;
    return {
      mode,
      folder: this.options.backupFolder ?? path.resolve(this.cwd, DEFAULT_BACKUP_FOLDER),
      ask: async (scope) => {
        // Without a terminal there is no one to ask: back up, which loses nothing.
        if (!this.streams.stdin.isTTY) return 'back-up';
        const what = scope === 'all' ? 'every table' : scope.join(', ');
        const answer = await this.ask(`Back up ${what} before going down? [Y/n/c(ancel)]`);
        return answer === 'c' ? 'cancel' : answer === 'n' ? 'skip' : 'back-up';
      },
      onResult: (result, scope) => {
        if (result) this.log(`Backed up ${result.tables.join(', ')} with ${result.tool} to ${result.file}`);
        else if (scope !== 'all' && scope.length === 0) this.log('No backup needed: the down files lose no data');
        else this.log('No backup needed: none of those tables exists yet');
      },
    };
  }

  /**
   * Asks a yes/no question on a terminal, golang-migrate style (`[y/N]`, only "y" accepts). Without a terminal it
   * never waits: it refuses, naming the flag that skips the question.
   */
  async confirm(question: string, flagToSkip: string): Promise<boolean> {
    if (!this.streams.stdin.isTTY) {
      throw new ConfirmationRequiredError(
        `refusing to ask "${question}" without a terminal on stdin: pass ${flagToSkip} to go ahead`,
      );
    }
    return (await this.ask(`${question} [y/N]`)) === 'y';
  }

  /** The first line typed after `question`, trimmed and lower case ('' when stdin closes). */
  private async ask(question: string): Promise<string> {
    this.log(question);
    const reader = createInterface({ input: this.streams.stdin });
    try {
      const answer = await new Promise<string>((resolve) => {
        reader.once('line', resolve);
        reader.once('close', () => resolve(''));
      });
      return answer.trim().toLowerCase();
    } finally {
      reader.close();
    }
  }
}

/** golang-migrate's `-source` is a URL; only the file source exists here. `file://rel` is relative to `cwd`. */
export function folderFromSource(source: string, cwd: string): string {
  const match = /^file:\/\/(.*)$/.exec(source);
  if (!match) {
    throw new UsageError(`unsupported source "${source}": use -path DIR or -source file://DIR`);
  }
  const location = decodeURIComponent(match[1]);
  if (location === '') throw new UsageError('empty source path: use -source file://DIR');
  return path.resolve(cwd, location);
}
