import { DRY_RUN_FLAG } from '../dry-run';
import { booleanFlag, parseCount, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';
import { migrateOrPrintPlan } from './report';

export const upCommand: CliCommand = {
  name: 'up',
  synopsis: '[N] [--dry-run]',
  summary: 'Apply all or N up migrations',
  run(argv, context) {
    const flags = parseFlags(argv, DRY_RUN_FLAG, 'up', { interspersed: true });
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for up: up [N]');
    const limit = args[0] === undefined ? undefined : parseCount(args[0], 'limit argument N');
    return migrateOrPrintPlan(
      { kind: 'up', ...(limit !== undefined && { limit }) },
      booleanFlag(flags, 'dry-run'),
      context,
    );
  },
};
