import { parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';

export const forceCommand: CliCommand = {
  name: 'force',
  synopsis: 'V',
  summary: "Set version V but don't run migration (ignores dirty state); -1 (or -- -1) means no version",
  async run(args, context) {
    // `force -- -1` is golang-migrate's documented spelling (Go reads a bare -1 as a flag); force has no flags, so a
    // bare -1 is taken as the version too.
    const operands = args[0] === '--' ? args.slice(1) : args;
    if (operands.length > 1) throw new UsageError('too many arguments for force: force V');
    const version = parseVersion(operands[0], true);
    await context.withWritingSession('force', (session) => session.force(version, context.runOptions()));
    return 0;
  },
};
