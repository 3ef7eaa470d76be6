import { DRY_RUN_FLAG } from '../dry-run';
import { booleanFlag, parseCount, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';
import { migrateOrPrintPlan, reportRun } from './report';

export const downCommand: CliCommand = {
  name: 'down',
  synopsis: '[N] [--dry-run] | -all',
  summary: 'Apply all (-all, or after confirming) or N down migrations',
  async run(args, context) {
    const flags = parseFlags(
      args,
      { all: { kind: 'boolean', description: 'Apply all down migrations' }, ...DRY_RUN_FLAG },
      'down',
      { interspersed: true },
    );
    const all = booleanFlag(flags, 'all');
    if (flags.rest.length > 1) throw new UsageError('too many arguments for down: down [N] or down -all');
    if (all && flags.rest.length > 0) throw new UsageError('-all cannot be used with other arguments');
    const limit = flags.rest[0] === undefined ? undefined : parseCount(flags.rest[0], 'limit argument N');
    const request = { kind: 'down', ...(limit !== undefined && { limit }) } as const;
    const dryRun = booleanFlag(flags, 'dry-run');
    if (limit !== undefined || all || dryRun) return migrateOrPrintPlan(request, dryRun, context);
    return context.withWritingSession('down', async (session) => {
      // golang-migrate opens the source before it asks: a broken folder fails first.
      await session.readSource();
      if (!(await context.confirm('Are you sure you want to apply all down migrations?', '-all'))) {
        context.log('Not applying all down migrations');
        return 1;
      }
      context.log('Applying all down migrations');
      return reportRun(await session.run(request, context.runOptions()), context);
    });
  },
};
