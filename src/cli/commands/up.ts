import { DRY_RUN_FLAG } from '../dry-run';
import { FLEET_FLAGS } from '../fleet';
import { booleanFlag, parseCount, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';
import { migrateOrPrintPlan } from './report';

export const upCommand: CliCommand = {
  name: 'up',
  synopsis: '[N] [--dry-run] [-parallel N] [-canary K] [-continue] [-shard i/N]',
  summary: 'Apply all or N up migrations (across a fleet with -env: -parallel, -canary, -continue, -shard)',
  run(argv, context) {
    const flags = parseFlags(argv, { ...DRY_RUN_FLAG, ...FLEET_FLAGS }, 'up', { interspersed: true });
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for up: up [N]');
    const limit = args[0] === undefined ? undefined : parseCount(args[0], 'limit argument N');
    return migrateOrPrintPlan(
      { kind: 'up', ...(limit !== undefined && { limit }) },
      booleanFlag(flags, 'dry-run'),
      context,
      flags,
    );
  },
};
