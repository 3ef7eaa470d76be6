import { parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';

export const forceCommand: CliCommand = {
  name: 'force',
  synopsis: 'V',
  summary: "Set version V but don't run migration (ignores dirty state); -1 means no version",
  async run(args, context) {
    if (args.length > 1) throw new UsageError('too many arguments for force: force V');
    const version = parseVersion(args[0], true);
    await context.withSession((session) => session.force(version, context.runOptions()));
    return 0;
  },
};
