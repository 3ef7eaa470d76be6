/**
 * A `migration-lens` command line a user can paste into a terminal: the migrations folder and the database URL as
 * the project writes them, never a password; or the environment of migration-lens.json the editor works with.
 */

/** What the command line is made of. */
export interface CliCommandLineParts {
  /** `migration-lens`, or `migrate` where the command line answers to that name. */
  readonly program: string;
  /** The migrations folder, relative to where the command runs (or absolute). */
  readonly migrationsPath: string;
  /** The `-database` argument as one shell word, e.g. `"$DATABASE_URL"` or `'mysql://app@tcp(db:3306)/app'`. */
  readonly database: string;
  /** The command and its arguments, e.g. `up` or `down 1`. */
  readonly command: string;
  /** The password the URL connects with: if the project writes it out literally, it is masked. */
  readonly password: string;
}

export function cliCommandLine(parts: CliCommandLineParts): string {
  const line = `${parts.program} -path ${shellWord(parts.migrationsPath)} -database ${parts.database} ${parts.command}`;
  return parts.password === ''
    ? line
    : line.replaceAll(parts.password, '****').replaceAll(encodeURIComponent(parts.password), '****');
}

/** What the command line of an environment of migration-lens.json is made of. */
export interface EnvironmentCommandLineParts {
  readonly program: string;
  readonly environment: string;
  /** The migrations folder, given only when the environment names none. */
  readonly migrationsPath?: string;
  readonly command: string;
}

/**
 * `-env NAME` stands for the environment's database, or its fleet, and its folder when it names one; a protected
 * environment's `-confirm-env` is left for the user to type, as the command line asks.
 */
export function environmentCommandLine(parts: EnvironmentCommandLineParts): string {
  const folder = parts.migrationsPath === undefined ? '' : ` -path ${shellWord(parts.migrationsPath)}`;
  return `${parts.program} -env ${shellWord(parts.environment)}${folder} ${parts.command}`;
}

/** `text` as one POSIX shell word: bare when nothing in it is special to the shell, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
