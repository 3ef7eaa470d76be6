import { DRY_RUN_FLAG } from '../dry-run';
import { booleanFlag, parseFlags, parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';
import { migrateOrPrintPlan } from './report';

export const gotoCommand: CliCommand = {
  name: 'goto',
  synopsis: 'V [--dry-run]',
  summary: 'Migrate to version V',
  run(argv, context) {
    const flags = parseFlags(argv, DRY_RUN_FLAG, 'goto', { interspersed: true });
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for goto: goto V');
    const version = parseVersion(args[0], false);
    return migrateOrPrintPlan({ kind: 'goto', version }, booleanFlag(flags, 'dry-run'), context);
  },
};
