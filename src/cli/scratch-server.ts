import { type DatabaseConfig, parseDatabaseUrl } from '../adapters/mysql/dsn';
import { type FlagSpecs, type ParsedFlags, stringFlag } from './flags';

/** `--scratch-database URL` of verify and preflight: the server their scratch database is made on. */
export const SCRATCH_DATABASE_FLAG: FlagSpecs = {
  'scratch-database': {
    kind: 'string',
    description: 'Create the scratch database on this server (mysql://...) instead of the real one',
  },
};

export function scratchServerOption(flags: ParsedFlags): { scratchServer?: DatabaseConfig } {
  const url = stringFlag(flags, 'scratch-database');
  return url === undefined ? {} : { scratchServer: parseDatabaseUrl(url) };
}
