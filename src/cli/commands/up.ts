import { printDryRun, DRY_RUN_FLAG } from '../dry-run';
import { booleanFlag, parseCount, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';
import { reportRun } from './report';

export const upCommand: CliCommand = {
  name: 'up',
  synopsis: '[--dry-run] [N]',
  summary: 'Apply all or N up migrations',
  async run(argv, context) {
    const flags = parseFlags(argv, DRY_RUN_FLAG, 'up');
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for up: up [N]');
    const limit = args[0] === undefined ? undefined : parseCount(args[0], 'limit argument N');
    const request = { kind: 'up', ...(limit !== undefined && { limit }) } as const;
    if (booleanFlag(flags, 'dry-run')) return printDryRun(request, context);
    const result = await context.migrate(request);
    return reportRun(result, context);
  },
};
