/**
 * `migration-lens`: golang-migrate's command line (`migrate`) for MySQL, with the same flags, commands, table contents
 * and exit statuses (0 success or "no change", 1 error, 2 usage), plus `status` and `lint`. Started under the name
 * `migrate` (a link or a copy), it calls itself `migrate`, so it drops into Makefiles and scripts written for it.
 */
import path from 'node:path';
import { isSea as isSingleExecutable } from 'node:sea';
import { redactDatabaseUrl, redactDatabaseUrlsIn } from '../adapters/mysql/dsn';
import { COMMANDS, findCommand } from './commands';
import { CliContext, type CliStreams, folderFromSource, type GlobalOptions } from './context';
import { booleanFlag, describeFlags, integerFlag, parseFlags, stringFlag, UsageError } from './flags';
import { errorMessage } from '../core/errors';

const GLOBAL_FLAGS = {
  source: { kind: 'string', description: 'Location of the migrations (file://path)' },
  path: { kind: 'string', description: 'Shorthand for -source=file://path' },
  database: { kind: 'string', description: 'Run migrations against this database (mysql://...)' },
  env: {
    kind: 'string',
    description: 'Run against this environment of migration-lens.json (its database or fleet, and its folder)',
  },
  'confirm-env': {
    kind: 'string',
    description: 'Let commands that write run against this protected environment (the name given with -env)',
  },
  prefetch: {
    kind: 'integer',
    description: 'Accepted for compatibility, no effect (each file is read when its step runs)',
  },
  'lock-timeout': { kind: 'integer', description: 'Allow N seconds to acquire the database lock (default 10)' },
  'ledger-table': {
    kind: 'string',
    description: 'Record what runs in this table beside the version table (default <migrations table>_lens)',
  },
  'no-ledger-create': { kind: 'boolean', description: 'Never create the ledger table; record only if it exists' },
  backup: {
    kind: 'string',
    description:
      'Back up what going down or drop would lose first: ask (default: ask on a terminal, else back up), always, never',
  },
  'backup-dir': { kind: 'string', description: 'Where backups go (default .migration-lens/backups)' },
  verbose: { kind: 'boolean', description: 'Print verbose logging' },
  version: { kind: 'boolean', description: 'Print version' },
  help: { kind: 'boolean', description: 'Print usage' },
} as const;

/** The package version, written into the bundle by scripts/build.mjs. */
declare const MIGRATION_LENS_VERSION: string | undefined;

const PROGRAM = 'migration-lens';
const MIGRATE_ALIAS = 'migrate';

/** `migrate` when started under golang-migrate's name, else `migration-lens`: what the usage and messages call it. */
export function programName(invokedAs: string | undefined): string {
  return invokedAs !== undefined && path.basename(invokedAs, path.extname(invokedAs)) === MIGRATE_ALIAS
    ? MIGRATE_ALIAS
    : PROGRAM;
}

export function usage(program = PROGRAM): string {
  const commands = COMMANDS.map((command) => {
    const synopsis = `${command.name} ${command.synopsis}`.trimEnd();
    return synopsis.length < 24
      ? `  ${synopsis.padEnd(24)} ${command.summary}`
      : `  ${synopsis}\n  ${''.padEnd(24)} ${command.summary}`;
  });
  return [
    `Usage: ${program} OPTIONS COMMAND [arg...]`,
    `       ${program} [ -version | -help ]`,
    '',
    'Options:',
    describeFlags(GLOBAL_FLAGS),
    '',
    'Commands:',
    ...commands,
    '',
    'Exit status: 0 on success (also "no change"), 1 on error, 2 on a usage error.',
  ].join('\n');
}

/** Runs the command line and returns the exit status; never calls process.exit, so tests can run it in-process. */
export async function runCli(
  argv: readonly string[],
  streams: CliStreams,
  cwd: string,
  signal: AbortSignal,
  program = PROGRAM,
): Promise<number> {
  let databaseUrl: string | undefined;
  try {
    const flags = parseFlags(argv, GLOBAL_FLAGS, 'options');
    databaseUrl = stringFlag(flags, 'database');
    if (booleanFlag(flags, 'version')) {
      streams.stdout.write(`${typeof MIGRATION_LENS_VERSION === 'string' ? MIGRATION_LENS_VERSION : 'unknown'}\n`);
      return 0;
    }
    if (booleanFlag(flags, 'help')) {
      streams.stdout.write(`${usage(program)}\n`);
      return 0;
    }
    const [name, ...args] = flags.rest;
    if (name === undefined) throw new UsageError('no command given');
    const command = findCommand(name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    const source = stringFlag(flags, 'source');
    const folderFlag = stringFlag(flags, 'path');
    const lockTimeoutSeconds = integerFlag(flags, 'lock-timeout');
    if (lockTimeoutSeconds !== undefined && lockTimeoutSeconds < 0) {
      throw new UsageError('-lock-timeout must be 0 or more seconds');
    }
    const backup = stringFlag(flags, 'backup') ?? 'ask';
    if (backup !== 'ask' && backup !== 'always' && backup !== 'never') {
      throw new UsageError(`-backup takes ask, always or never, not "${backup}"`);
    }
    const backupDir = stringFlag(flags, 'backup-dir');
    const environment = stringFlag(flags, 'env');
    const confirmEnvironment = stringFlag(flags, 'confirm-env');
    if (environment !== undefined && databaseUrl !== undefined) {
      throw new UsageError('-env and -database name the database twice: pass one of them');
    }
    if (environment === '') throw new UsageError('-env needs the name of an environment of migration-lens.json');
    const options: GlobalOptions = {
      ...(source !== undefined && source !== ''
        ? { folder: folderFromSource(source, cwd) }
        : folderFlag !== undefined && folderFlag !== '' && { folder: path.resolve(cwd, folderFlag) }),
      ...(databaseUrl !== undefined && { databaseUrl }),
      ...(lockTimeoutSeconds !== undefined && { lockTimeoutSeconds }),
      verbose: booleanFlag(flags, 'verbose'),
      ledger: { table: stringFlag(flags, 'ledger-table'), create: !booleanFlag(flags, 'no-ledger-create') },
      backup,
      ...(backupDir !== undefined && backupDir !== '' && { backupFolder: path.resolve(cwd, backupDir) }),
      ...(environment !== undefined && { environment }),
      ...(confirmEnvironment !== undefined && { confirmEnvironment }),
    };
    return await command.run(args, new CliContext(options, streams, cwd, signal));
  } catch (error) {
    const message = redactSecrets(errorMessage(error), databaseUrl);
    streams.stderr.write(`error: ${message}\n`);
    if (error instanceof UsageError) {
      streams.stderr.write(`Run ${program} -help for the usage.\n`);
      return 2;
    }
    return 1;
  }
}

/**
 * Our messages never hold the password, nor do the server's; a message that quotes a database URL gets it redacted by
 * position. Never by replacing the password's text wherever it occurs: with the password "1",
 * "Dirty database version 1" would read "Dirty database version ****" and give it away.
 */
function redactSecrets(message: string, databaseUrl: string | undefined): string {
  const redacted =
    databaseUrl === undefined || databaseUrl === ''
      ? message
      : message.replaceAll(databaseUrl, redactDatabaseUrl(databaseUrl));
  return redactDatabaseUrlsIn(redacted);
}

if (require.main === module) {
  // The script's path under node (the npm bin link, or a link to it named migrate); argv[0] as started in the
  // single executable, where argv[1] is the executable itself.
  const program = programName(isSingleExecutable() ? process.argv0 : process.argv[1]);
  // Rewrites the process's argument area, so a password given with -database leaves the OS process list at once.
  process.title = program;
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('Stopping after this running migration ...\n');
    controller.abort();
  });
  void runCli(process.argv.slice(2), process, process.cwd(), controller.signal, program).then((status) => {
    process.exitCode = status;
  });
}
