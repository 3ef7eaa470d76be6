import { gotoOneWay } from './goto-one-way';

/** Tree action on a pending version: `goto` it, refusing if that would roll anything back. */
export const applyUpTo = gotoOneWay('Migration Lens: apply up to version', 'up');
