import { commandOptions } from '../command-arguments';
import { treeNode } from '../database-run';
import { force, forceVersion } from './force';
import type { CommandFactory } from './index';

/** Tree action: force the clicked version (after the same confirmation as Force version). */
export const forceTo: CommandFactory =
  (container) =>
  async (...args) => {
    const node = treeNode(args);
    if (node?.kind !== 'version') return force(container)(...args);
    return forceVersion(container, node.model, node.status.version, commandOptions(args));
  };
