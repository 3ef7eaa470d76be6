import type { CommandOptions } from './command-arguments';
import { confirmByTyping } from './confirm';
import type { Container } from './container';
import type { FolderModel } from './folder-model';

/**
 * Before anything writes to a protected environment (production): the user types the environment's name, for this
 * one action; `{ confirmEnvironment: NAME }` answers for scripts and tests, as `-confirm-env NAME` does on the
 * command line. True to go ahead; unprotected environments and folders without one never ask.
 */
export async function unlockProtected(
  container: Container,
  model: FolderModel,
  action: string,
  options: CommandOptions,
): Promise<boolean> {
  const environment = model.activeEnvironment;
  if (!environment?.protected) return true;
  const { name } = environment;
  const unlocked =
    options.confirmEnvironment !== undefined
      ? options.confirmEnvironment === name
      : await confirmByTyping(`${action} on the protected environment ${name}?`, name);
  if (!unlocked) container.output.info(`${model.folder.name}: ${name} is protected and was not unlocked: nothing ran`);
  return unlocked;
}
