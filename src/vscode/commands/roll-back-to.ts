import { gotoOneWay } from './goto-one-way';

/** Tree action on an applied version: `goto` it downward (after confirming), refusing if that would apply anything. */
export const rollBackTo = gotoOneWay('Migration Lens: roll back to version', 'down');
