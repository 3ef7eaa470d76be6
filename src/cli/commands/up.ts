import { migrate } from '../../adapters/migrator';
import { parseCount, UsageError } from '../flags';
import type { CliCommand } from './command';
import { reportRun } from './report';

export const upCommand: CliCommand = {
  name: 'up',
  synopsis: '[N]',
  summary: 'Apply all or N up migrations',
  async run(args, context) {
    if (args.length > 1) throw new UsageError('too many arguments for up: up [N]');
    const limit = args[0] === undefined ? undefined : parseCount(args[0], 'limit argument N');
    const result = await migrate({ kind: 'up', ...(limit !== undefined && { limit }) }, context.migratorOptions());
    return reportRun(result, context);
  },
};
