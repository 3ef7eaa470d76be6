import * as vscode from 'vscode';
import type { EnvironmentStatus } from '../../app/environments';
import { environmentColor, type EnvironmentSpec } from '../../core/environments';
import {
  type DatabaseStanding,
  exceptionWords,
  type FleetException,
  fleetCounts,
  fleetCountsWords,
  fleetExceptions,
  standingOf,
  standingWords,
} from '../../core/fleet-status';
import type { FolderModel } from '../folder-model';
import { escapeMarkdown } from './database-text';

/**
 * The Environments section of the Migrations view: every environment of migration-lens.json with where it stands
 * (version, dirty, pending, edited files, lock holder), and for a fleet its counts by standing and version with the
 * exceptions listed by name.
 */

/** The section itself, shown when migration-lens.json names environments. */
export interface EnvironmentsNode {
  readonly kind: 'environments';
  readonly model: FolderModel;
}

/** One environment. Select Environment receives this node. */
export interface EnvironmentNode {
  readonly kind: 'environment';
  readonly model: FolderModel;
  readonly name: string;
}

/** A fleet's databases in one state (`3 dirty`), or its counts by version. */
export interface EnvironmentGroupNode {
  readonly kind: 'environment-group';
  readonly model: FolderModel;
  readonly name: string;
  readonly group: FleetException['kind'] | 'versions';
}

/** One database of a fleet's group. */
export interface EnvironmentDatabaseNode {
  readonly kind: 'environment-database';
  readonly model: FolderModel;
  readonly name: string;
  readonly group: FleetException['kind'];
  readonly standing: DatabaseStanding;
}

export type EnvironmentTreeNode = EnvironmentsNode | EnvironmentNode | EnvironmentGroupNode | EnvironmentDatabaseNode;

export function environmentChildren(node: EnvironmentTreeNode): EnvironmentTreeNode[] {
  const { model } = node;
  switch (node.kind) {
    case 'environments':
      return model.environments.list.map((environment) => ({ kind: 'environment', model, name: environment.name }));
    case 'environment': {
      const status = model.environments.statuses.get(node.name);
      if (!status || !status.spec.fleet || status.problem !== undefined) return [];
      return [
        { kind: 'environment-group', model, name: node.name, group: 'versions' },
        ...fleetExceptions(status.standings).map((exception): EnvironmentGroupNode => ({
          kind: 'environment-group',
          model,
          name: node.name,
          group: exception.kind,
        })),
      ];
    }
    case 'environment-group': {
      const group = node.group;
      if (group === 'versions') return [];
      const exception = exceptionOf(model, node.name, group);
      return (exception?.databases ?? []).map((standing) => ({
        kind: 'environment-database',
        model,
        name: node.name,
        group,
        standing,
      }));
    }
    case 'environment-database':
      return [];
  }
}

export function environmentParent(node: EnvironmentTreeNode): EnvironmentTreeNode | undefined {
  const { model } = node;
  switch (node.kind) {
    case 'environments':
      return undefined;
    case 'environment':
      return { kind: 'environments', model };
    case 'environment-group':
      return { kind: 'environment', model, name: node.name };
    case 'environment-database':
      return { kind: 'environment-group', model, name: node.name, group: node.group };
  }
}

export function environmentItem(node: EnvironmentTreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'environments':
      return sectionItem(node);
    case 'environment':
      return oneEnvironmentItem(node);
    case 'environment-group':
      return groupItem(node);
    case 'environment-database':
      return databaseItem(node);
  }
}

function sectionItem(node: EnvironmentsNode): vscode.TreeItem {
  const { environments } = node.model;
  const item = new vscode.TreeItem('Environments', vscode.TreeItemCollapsibleState.Expanded);
  item.id = `environments:${node.model.folder.uri.toString()}`;
  item.iconPath = new vscode.ThemeIcon('server-environment');
  item.description = environments.reading ? 'reading…' : `${environments.list.length} in migration-lens.json`;
  item.tooltip = 'The environments of migration-lens.json, read when the view is shown and on Refresh.';
  item.contextValue = 'migrationEnvironments';
  return item;
}

function oneEnvironmentItem(node: EnvironmentNode): vscode.TreeItem {
  const { model, name } = node;
  const spec = model.environments.list.find((environment) => environment.name === name)!;
  const status = model.environments.statuses.get(name);
  const active = model.activeEnvironment?.name === name;
  const fleetShown = spec.fleet !== undefined && status !== undefined && status.problem === undefined;
  const item = new vscode.TreeItem(
    name,
    fleetShown ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `environment:${model.folder.uri.toString()}:${name}`;
  const standing = active && !spec.fleet ? liveStanding(model, status) : status?.standings[0];
  const state =
    status?.problem !== undefined
      ? 'cannot be read'
      : spec.fleet
        ? status && fleetCountsWords(fleetCounts(status.standings))
        : standing && standingWords(standing);
  const reading = state === undefined ? (model.environments.reading ? 'reading…' : 'not read yet') : state;
  item.description = [active ? 'active' : undefined, spec.protected ? 'protected' : undefined, reading]
    .filter((part) => part !== undefined)
    .join(' · ');
  item.iconPath = new vscode.ThemeIcon(
    spec.protected ? 'lock' : spec.fleet ? 'layers' : 'database',
    new vscode.ThemeColor(spec.protected ? 'charts.red' : `charts.${environmentColor(spec)}`),
  );
  item.tooltip = new vscode.MarkdownString(environmentTooltip(spec, status, standing, active));
  item.contextValue = `migrationEnvironment${active ? ' active' : ''}${spec.protected ? ' protected' : ''}`;
  return item;
}

/** The active one-database environment as the model reads it now (it changes with every command). */
function liveStanding(model: FolderModel, status: EnvironmentStatus | undefined): DatabaseStanding | undefined {
  const state = model.database;
  if (state.kind !== 'connected') return status?.standings[0];
  const database = status?.standings[0]?.database ?? model.databaseTarget?.redactedUrl ?? '';
  return standingOf(database, model.status, state.lockHolder, status?.standings[0]?.edited ?? 0);
}

function environmentTooltip(
  spec: EnvironmentSpec,
  status: EnvironmentStatus | undefined,
  standing: DatabaseStanding | undefined,
  active: boolean,
): string {
  const lines = [`**${spec.name}**${spec.fleet ? ' (fleet)' : ''}${active ? ', the active environment' : ''}`];
  if (spec.protected) lines.push('', 'Protected: a command that writes asks you to type its name first.');
  // A refused URL may hold a password: only the place in the file is shown then.
  if (!spec.refusal) lines.push('', `\`${spec.url.replaceAll('`', "'")}\``);
  if (spec.path !== undefined) lines.push('', `Migrations: \`${spec.path.replaceAll('`', "'")}\``);
  if (spec.fleet) {
    lines.push(
      '',
      spec.fleet.kind === 'list'
        ? `${spec.fleet.databases.length} databases listed.`
        : `The databases matching \`${spec.fleet.pattern}\`, found again on Refresh.`,
    );
  }
  if (status?.problem !== undefined) lines.push('', `Cannot be read: ${escapeMarkdown(status.problem)}`);
  else if (spec.fleet && status) {
    lines.push('', escapeMarkdown(fleetCountsWords(fleetCounts(status.standings))));
  } else if (standing)
    lines.push('', escapeMarkdown(`${standing.database}: ${standingWords(standing)} (${standing.standing})`));
  return lines.join('\n');
}

const GROUP_ICONS: Readonly<Record<EnvironmentGroupNode['group'], readonly [string, string | undefined]>> = {
  versions: ['versions', undefined],
  behind: ['arrow-circle-up', 'charts.blue'],
  dirty: ['error', 'testing.iconFailed'],
  locked: ['sync~spin', 'charts.blue'],
  'unknown-version': ['question', 'problemsWarningIcon.foreground'],
  unreachable: ['debug-disconnect', 'problemsWarningIcon.foreground'],
  edited: ['edit', 'problemsWarningIcon.foreground'],
};

function groupItem(node: EnvironmentGroupNode): vscode.TreeItem {
  const { model, name, group } = node;
  const status = model.environments.statuses.get(name);
  const [icon, color] = GROUP_ICONS[group];
  let item: vscode.TreeItem;
  if (group === 'versions') {
    const counts = fleetCounts(status?.standings ?? []);
    item = new vscode.TreeItem('By version', vscode.TreeItemCollapsibleState.None);
    item.description = counts.byVersion.map(([version, count]) => `${version}: ${count}`).join(' · ');
    item.tooltip = 'How many databases are at each version (unreachable ones are not counted).';
  } else {
    const exception = exceptionOf(model, name, group);
    const words = exception ? exceptionWords(exception) : '';
    item = new vscode.TreeItem(words.slice(0, words.indexOf(':')), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = words.slice(words.indexOf(':') + 2);
    item.tooltip = words;
  }
  item.id = `environment-group:${model.folder.uri.toString()}:${name}:${group}`;
  item.iconPath = new vscode.ThemeIcon(icon, color === undefined ? undefined : new vscode.ThemeColor(color));
  item.contextValue = `migrationEnvironmentGroup group=${group}`;
  return item;
}

function databaseItem(node: EnvironmentDatabaseNode): vscode.TreeItem {
  const { standing } = node;
  const item = new vscode.TreeItem(standing.database, vscode.TreeItemCollapsibleState.None);
  item.id = `environment-database:${node.model.folder.uri.toString()}:${node.name}:${node.group}:${standing.database}`;
  item.description = standingWords(standing);
  item.tooltip = `${standing.database}: ${standingWords(standing)} (${standing.standing})`;
  item.contextValue = `migrationEnvironmentDatabase standing=${standing.standing}`;
  return item;
}

function exceptionOf(model: FolderModel, name: string, group: FleetException['kind']): FleetException | undefined {
  const status = model.environments.statuses.get(name);
  return status && fleetExceptions(status.standings).find((exception) => exception.kind === group);
}
