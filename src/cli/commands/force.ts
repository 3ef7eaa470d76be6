import { migrate } from '../../adapters/migrator';
import { parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';

export const forceCommand: CliCommand = {
  name: 'force',
  synopsis: 'V',
  summary: "Set version V but don't run migration (ignores dirty state); -1 means no version",
  async run(args, context) {
    if (args.length > 1) throw new UsageError('too many arguments for force: force V');
    const version = parseVersion(args[0], true);
    await migrate({ kind: 'force', version }, context.migratorOptions());
    return 0;
  },
};
