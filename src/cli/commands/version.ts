import { UsageError } from '../flags';
import type { CliCommand } from './command';

export const versionCommand: CliCommand = {
  name: 'version',
  synopsis: '',
  summary: 'Print current migration version',
  async run(args, context) {
    if (args.length > 0) throw new UsageError('version takes no arguments');
    const version = await context.withWritingSession('version', (session) => session.version(context.runOptions()));
    context.print(version.dirty ? `${version.version} (dirty)` : `${version.version}`);
    return 0;
  },
};
