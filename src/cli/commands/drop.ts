import { booleanFlag, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';

export const dropCommand: CliCommand = {
  name: 'drop',
  synopsis: '[-f]',
  summary: 'Drop everything inside database (-f skips the confirmation)',
  async run(args, context) {
    const flags = parseFlags(args, { f: { kind: 'boolean', description: 'Skip the confirmation' } }, 'drop');
    if (flags.rest.length > 0) throw new UsageError('too many arguments for drop: drop [-f]');
    return context.withWritingSession('drop', async (session) => {
      // golang-migrate opens the source before it asks: a broken folder fails first.
      await session.readSource();
      if (!booleanFlag(flags, 'f')) {
        if (!(await context.confirm('Are you sure you want to drop the entire database schema?', '-f'))) {
          context.log('Aborted dropping the entire database schema');
          return 1;
        }
        context.log('Dropping the entire database schema');
      }
      const result = await session.drop(context.runOptions());
      if (result.outcome.kind === 'declined') {
        context.log('Cancelled before the backup: nothing was dropped');
        return 1;
      }
      context.log(`Dropped ${result.droppedTables?.length ?? 0} table(s)`);
      return 0;
    });
  },
};
