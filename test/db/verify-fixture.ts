import type { Verdict } from '../../src/core/verify-verdict';

/**
 * What Verify must conclude for each version of test/fixtures/verify/verdicts (one of each verdict), in the engine and
 * in the editor alike.
 */
export const FIXTURE_VERDICTS: readonly (readonly [bigint, Verdict['kind']])[] = [
  [1n, 'verified'],
  [2n, 'verified'],
  [3n, 'verified'],
  [4n, 'down-differs'],
  [5n, 'down-differs'],
  [6n, 'down-failed'],
  [7n, 'down-differs'],
  [8n, 'up-not-repeatable'],
  [9n, 'down-differs'],
  [10n, 'no-down'],
  [11n, 'up-failed'],
  [12n, 'not-verified'],
];
