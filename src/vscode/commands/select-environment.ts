import * as vscode from 'vscode';
import { commandOptions, toUri } from '../command-arguments';
import type { Container } from '../container';
import { treeNode } from '../database-run';
import type { FolderModel } from '../folder-model';
import type { CommandFactory } from './index';

interface EnvironmentItem extends vscode.QuickPickItem {
  /** '' for none: the settings and `.env` again. */
  readonly environment: string;
}

/**
 * Chooses the active environment of migration-lens.json, from the status bar, an Environments row in the tree, or
 * `{ environment }` (`''` for none): its database and folder become the ones every command, the tree and the status
 * bar use. Returns the name chosen (`''` for none); undefined when nothing was chosen.
 */
export const selectEnvironment: CommandFactory =
  (container) =>
  async (...args): Promise<string | undefined> => {
    const node = treeNode(args);
    const options = commandOptions(args);
    const model = node?.model ?? (await environmentFolder(container, options.folder));
    if (!model) return undefined;
    const name = node?.kind === 'environment' ? node.name : (options.environment ?? (await pickEnvironment(model)));
    if (name === undefined) return undefined;
    if (name !== '' && !model.environments.list.some((environment) => environment.name === name)) {
      const message = `No environment "${name}" in ${model.folder.name}'s migration-lens.json.`;
      void vscode.window.showErrorMessage(message);
      container.output.warn(message);
      return undefined;
    }
    await model.chooseEnvironment(name === '' ? undefined : name);
    container.output.info(
      `${model.folder.name}: ${name === '' ? 'no environment: the settings and .env' : `environment ${name}`}`,
    );
    return name;
  };

/** The folder named, the only one whose migration-lens.json names environments, or the user's pick. */
async function environmentFolder(
  container: Container,
  folder: string | vscode.Uri | undefined,
): Promise<FolderModel | undefined> {
  await container.model.ready;
  if (folder !== undefined) return container.model.folderFor(toUri(folder));
  const candidates = container.model.folders.filter((model) => model.environments.list.length > 0);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      'No environments: add migration-lens.json with an "environments" section at the root of the workspace folder.',
    );
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((model) => ({ label: model.folder.name, model })),
    { placeHolder: 'Which workspace folder?', ignoreFocusOut: true },
  );
  return picked?.model;
}

async function pickEnvironment(model: FolderModel): Promise<string | undefined> {
  const active = model.activeEnvironment?.name;
  const items: EnvironmentItem[] = model.environments.list.map((environment) => ({
    label: `${environment.name === active ? '$(check) ' : ''}${environment.name}`,
    description: [
      environment.protected ? 'protected' : undefined,
      environment.fleet?.kind === 'list' ? `fleet of ${environment.fleet.databases.length}` : undefined,
      environment.fleet?.kind === 'discover' ? `fleet: ${environment.fleet.pattern}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' · '),
    // A refused URL may hold a password: only the reason is shown then.
    detail: environment.refusal ? `refused: ${environment.refusal.message}` : environment.url,
    environment: environment.name,
  }));
  items.push({
    label: `${active === undefined ? '$(check) ' : ''}No environment`,
    description: 'the settings and .env',
    environment: '',
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Migration Lens: environment of ${model.folder.name}`,
    placeHolder: 'Which environment do the commands, the tree and the status bar work with?',
    ignoreFocusOut: true,
  });
  return picked?.environment;
}
