/**
 * What every command gets: the global options (golang-migrate's `-path`/`-source`, `-database`, `-lock-timeout`,
 * `-verbose`), the streams, and helpers for the parts commands share. Results go to stdout, logs to stderr.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseDatabaseUrl, type DatabaseConfig } from '../adapters/mysql/dsn';
import { migrateWithLedger } from '../adapters/ledger-hooks';
import type { LedgerSettings } from '../adapters/ledger-store';
import type { MigrateRequest, MigrateResult, MigratorOptions, ProgressEvent } from '../adapters/migrator';
import { UsageError } from './flags';

/** `down` without N or `drop` without `-f` when no one can answer the question. */
class ConfirmationRequiredError extends Error {
  override readonly name = 'ConfirmationRequiredError';
}

export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export interface GlobalOptions {
  /** The migrations folder, absolute, from `-path` or `-source file://`. */
  readonly folder?: string;
  readonly databaseUrl?: string;
  readonly lockTimeoutSeconds?: number;
  readonly verbose: boolean;
  /** The ledger beside the version table that up, down and goto record their steps in. */
  readonly ledger?: LedgerSettings;
}

export class CliContext {
  constructor(
    readonly options: GlobalOptions,
    readonly streams: CliStreams,
    readonly cwd: string,
    /** Aborted on Ctrl+C: the migrator stops after the running migration. */
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

  requireFolder(): string {
    if (this.options.folder === undefined) {
      throw new UsageError('no migrations folder: pass -path DIR or -source file://DIR');
    }
    return this.options.folder;
  }

  requireDatabase(): DatabaseConfig {
    if (this.options.databaseUrl === undefined || this.options.databaseUrl === '') {
      throw new UsageError('no database: pass -database mysql://user:password@tcp(host:3306)/dbname');
    }
    return parseDatabaseUrl(this.options.databaseUrl);
  }

  /** The migrator's options for this run: folder, database, lock wait, cancellation, and a log line per step. */
  migratorOptions(): MigratorOptions {
    return {
      folder: this.requireFolder(),
      database: this.requireDatabase(),
      signal: this.signal,
      ...(this.options.lockTimeoutSeconds !== undefined && { lockTimeoutSeconds: this.options.lockTimeoutSeconds }),
      onProgress: (event: ProgressEvent) => {
        if (event.kind === 'done') this.log(event.logLine);
        else if (event.kind === 'start' && this.options.verbose && event.step.fileName !== undefined) {
          this.log(`Read and execute ${event.step.fileName}`);
        }
      },
    };
  }

  /** Runs a command that moves the version, recording each step in the ledger; a ledger failure is only a warning. */
  migrate(request: MigrateRequest, options: MigratorOptions = this.migratorOptions()): Promise<MigrateResult> {
    return migrateWithLedger(request, options, {
      ...this.options.ledger,
      onError: (error) => this.log(`warning: not recorded in the ledger: ${(error as Error).message}`),
    });
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
    this.log(`${question} [y/N]`);
    const reader = createInterface({ input: this.streams.stdin });
    try {
      const answer = await new Promise<string>((resolve) => {
        reader.once('line', resolve);
        reader.once('close', () => resolve(''));
      });
      return answer.trim().toLowerCase() === 'y';
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
