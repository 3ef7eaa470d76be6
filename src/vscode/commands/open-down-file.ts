import { openVersionFile } from './open-up-file';

/** Tree action: open the version's down file. */
export const openDownFile = openVersionFile('down');
