import { migrate } from '../../adapters/migrator';
import { parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';
import { reportRun } from './report';

export const gotoCommand: CliCommand = {
  name: 'goto',
  synopsis: 'V',
  summary: 'Migrate to version V',
  async run(args, context) {
    if (args.length > 1) throw new UsageError('too many arguments for goto: goto V');
    const version = parseVersion(args[0], false);
    const result = await migrate({ kind: 'goto', version }, context.migratorOptions());
    return reportRun(result, context);
  },
};
