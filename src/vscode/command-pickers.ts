import * as vscode from 'vscode';
import { NIL_VERSION } from '../core/model';
import type { MigrationStatus } from '../core/status';
import { parseVersionArgument, type CommandOptions } from './command-arguments';
import type { FolderModel } from './folder-model';

interface VersionItem extends vscode.QuickPickItem {
  readonly version: bigint;
}

/**
 * The version a command targets: `{ version }` when given, else a quick pick of the folder's versions with their
 * states (read from the database first, so the states are current). `withNil` adds -1 ("no version") for force.
 */
export async function pickVersion(
  model: FolderModel,
  options: CommandOptions,
  title: string,
  withNil: boolean,
): Promise<bigint | undefined> {
  if (options.version !== undefined) {
    const version = parseVersionArgument(options.version);
    if (version === undefined) throw new Error(`"${String(options.version)}" is not a version number`);
    return version;
  }
  await model.wantDatabase();
  const items: VersionItem[] = model.status.rows.map((row) => ({
    label: `${row.version}`,
    description: [row.identifier, stateText(row)].filter(Boolean).join(' · '),
    version: row.version,
  }));
  if (withNil) {
    items.unshift({
      label: `${NIL_VERSION}`,
      description: 'no version: empties the version table',
      version: NIL_VERSION,
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Pick a version (type to filter by number or name)',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.version;
}

/** Asks how many migrations Up N / Down N should run, unless `{ count }` says. */
export async function pickCount(
  options: CommandOptions,
  direction: 'apply' | 'roll back',
): Promise<number | undefined> {
  if (options.count !== undefined) {
    if (!Number.isSafeInteger(options.count) || options.count < 1) {
      throw new Error(`count must be a positive integer, got ${options.count}`);
    }
    return options.count;
  }
  const typed = await vscode.window.showInputBox({
    title: `Migration Lens: how many migrations to ${direction}?`,
    value: '1',
    ignoreFocusOut: true,
    validateInput: (value) => (/^[1-9][0-9]*$/.test(value.trim()) ? undefined : 'A positive whole number'),
  });
  return typed === undefined ? undefined : Number(typed.trim());
}

function stateText(row: MigrationStatus): string {
  const extras = [row.upOnly && 'up only', row.downOnly && 'down only', row.duplicate && 'duplicate'].filter(Boolean);
  return [row.state === 'unknown' ? undefined : row.state.replace(/-/g, ' '), ...extras].filter(Boolean).join(', ');
}
