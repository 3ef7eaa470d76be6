import { printDryRun, DRY_RUN_FLAG } from '../dry-run';
import { booleanFlag, parseFlags, parseVersion, UsageError } from '../flags';
import type { CliCommand } from './command';
import { reportRun } from './report';

export const gotoCommand: CliCommand = {
  name: 'goto',
  synopsis: '[--dry-run] V',
  summary: 'Migrate to version V',
  async run(argv, context) {
    const flags = parseFlags(argv, DRY_RUN_FLAG, 'goto');
    const args = flags.rest;
    if (args.length > 1) throw new UsageError('too many arguments for goto: goto V');
    const version = parseVersion(args[0], false);
    if (booleanFlag(flags, 'dry-run')) return printDryRun({ kind: 'goto', version }, context);
    const result = await context.migrate({ kind: 'goto', version });
    return reportRun(result, context);
  },
};
