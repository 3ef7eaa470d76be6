import type { CommandFactory } from './index';

/** Re-reads every folder's settings, migration files, database target and version from scratch. */
export const refresh: CommandFactory = (container) => async () => {
  await container.model.reload();
  await container.model.wantDatabase();
};
