import { DRY_RUN_FLAG } from '../dry-run';
import { FLEET_FLAGS } from '../fleet';
import { booleanFlag, parseFlags, parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';
import { migrateOrPrintPlan } from './report';

export const gotoCommand: CliCommand = {
  name: 'goto',
  synopsis: 'V [--dry-run] [-parallel N] [-canary K] [-continue] [-shard i/N]',
  summary: 'Migrate to version V (across a fleet with -env: -parallel, -canary, -continue, -shard)',
  run(argv, context) {
    const flags = parseFlags(argv, { ...DRY_RUN_FLAG, ...FLEET_FLAGS }, 'goto', { interspersed: true });
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for goto: goto V');
    const version = parseVersion(args[0], false);
    return migrateOrPrintPlan({ kind: 'goto', version }, booleanFlag(flags, 'dry-run'), context, flags);
  },
};
