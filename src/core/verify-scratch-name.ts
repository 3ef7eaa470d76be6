/**
 * Scratch database names: `ml_verify_<real database>_<random>`, and the temporary account that runs the migrations
 * on it: `ml_verify_<random>`, the same random part. The prefix makes a leftover recognisable at a glance (and safe to
 * drop), the random part keeps two runs, two users or two editors from ever sharing one.
 */

export const SCRATCH_DATABASE_PREFIX = 'ml_verify_';

/** MySQL's limit on a database name's length. */
const MAX_NAME_LENGTH = 64;

/** Length of the random part: 8 hex characters. */
export const SCRATCH_RANDOM_LENGTH = 8;

/** `ml_verify_<real>_`: the real name reduced to letters, digits and `_`, shortened so the whole name fits. */
export function scratchDatabasePrefix(realDatabase: string): string {
  const room = MAX_NAME_LENGTH - SCRATCH_DATABASE_PREFIX.length - SCRATCH_RANDOM_LENGTH - 1;
  return `${SCRATCH_DATABASE_PREFIX}${realDatabase.replace(/[^A-Za-z0-9_]/g, '_').slice(0, room)}_`;
}

/** `random` is SCRATCH_RANDOM_LENGTH hex characters. */
export function scratchDatabaseName(realDatabase: string, random: string): string {
  return `${scratchDatabasePrefix(realDatabase)}${random}`;
}

/** `ml_verify_<random>` for the scratch database `ml_verify_<real>_<random>`: 18 characters, within MySQL's 32. */
export function scratchAccountName(scratchDatabase: string): string {
  return `${SCRATCH_DATABASE_PREFIX}${scratchDatabase.slice(-SCRATCH_RANDOM_LENGTH)}`;
}
