import type { CliContext } from '../context';

/** One command of the command line; `run` returns the exit status. */
export interface CliCommand {
  readonly name: string;
  /** Arguments as the usage text shows them, e.g. `[N]`. */
  readonly synopsis: string;
  readonly summary: string;
  run(args: readonly string[], context: CliContext): Promise<number>;
}
