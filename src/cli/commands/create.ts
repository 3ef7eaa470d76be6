import path from 'node:path';
import { createMigrationFiles } from '../../adapters/create-migration';
import { booleanFlag, integerFlag, parseFlags, stringFlag, UsageError } from '../flags';
import type { CliCommand } from './command';

const CREATE_FLAGS = {
  ext: { kind: 'string', description: 'File extension (required), e.g. sql' },
  dir: { kind: 'string', description: 'Directory for the files (default: -path, else the current directory)' },
  seq: { kind: 'boolean', description: 'Use sequential numbers instead of timestamps' },
  digits: { kind: 'integer', description: 'The number of digits in sequences (default 6)' },
  format: { kind: 'string', description: 'Go time layout, or unix / unixNano (default 20060102150405)' },
  tz: { kind: 'string', description: 'Time zone of the timestamp (default UTC)' },
} as const;

export const createCommand: CliCommand = {
  name: 'create',
  synopsis: '[-ext E] [-dir D] [-seq] [-digits N] [-format F] [-tz TZ] NAME',
  summary: 'Create an up/down pair of migrations titled NAME (never overwrites)',
  async run(args, context) {
    const flags = parseFlags(args, CREATE_FLAGS, 'create');
    if (flags.rest.length > 1) throw new UsageError('create takes one NAME after its flags');
    const name = flags.rest[0];
    if (name === undefined || name === '') throw new UsageError('please specify name');
    const dir = stringFlag(flags, 'dir');
    const folder = dir === undefined ? (context.options.folder ?? context.cwd) : path.resolve(context.cwd, dir);
    const digits = integerFlag(flags, 'digits');
    const format = stringFlag(flags, 'format');
    const timeZone = stringFlag(flags, 'tz');
    const created = await createMigrationFiles(folder, {
      name,
      ext: stringFlag(flags, 'ext') ?? '',
      nowEpochNanoseconds: BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n,
      options: {
        seq: booleanFlag(flags, 'seq'),
        ...(digits !== undefined && { digits }),
        ...(format !== undefined && { format }),
        ...(timeZone !== undefined && { timeZone }),
      },
    });
    for (const file of [created.upPath, created.downPath]) context.print(path.relative(context.cwd, file) || file);
    return 0;
  },
};
