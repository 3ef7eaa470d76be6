import * as vscode from 'vscode';
import type { ModelsCheck } from '../../app/models-check';
import { findingIsAbout, findingsDisagree, type ModelFinding } from '../../core/models-compare';
import { versionWords } from '../../core/safety-recovery';
import type { ModelsState } from '../model-checks';
import type { ModelFindingNode, ModelNode, ModelsNode } from './migrations-tree';

const SEVERITY_ICONS: Readonly<Record<ModelFinding['severity'], { icon: string; color: string }>> = {
  error: { icon: 'error', color: 'problemsErrorIcon.foreground' },
  warning: { icon: 'warning', color: 'problemsWarningIcon.foreground' },
  info: { icon: 'info', color: 'problemsInfoIcon.foreground' },
};

function counted(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "ok", or how many problems (errors and warnings) there are. */
function verdict(findings: readonly ModelFinding[]): string {
  const problems = findings.filter((finding) => finding.severity !== 'info').length;
  return problems === 0 ? 'ok' : counted(problems, 'problem');
}

/** The state after the pending migrations: the same as now without any, unknown when the replay failed. */
function afterPendingWords(check: ModelsCheck, findings: readonly ModelFinding[] | undefined): string {
  if (check.pendingVersions.length === 0) return 'nothing pending';
  if (findings === undefined) return 'after pending: not known';
  return `after pending: ${verdict(findings)}`;
}

export function modelsItem(node: ModelsNode, state: ModelsState | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem('Models', vscode.TreeItemCollapsibleState.Expanded);
  // The state is part of the id: the node, shown collapsed while checking, opens once there are models to list.
  item.id = `models:${node.model.folder.uri.toString()}:${state?.kind ?? 'checking'}`;
  item.contextValue = `migrationModels state=${state?.kind ?? 'checking'}`;
  if (state?.kind !== 'checked') {
    item.iconPath = new vscode.ThemeIcon(state?.kind === 'failed' ? 'warning' : 'loading~spin');
    item.description = state?.kind === 'failed' ? 'not checked' : 'checking…';
    item.tooltip = state?.kind === 'failed' ? `The GORM models could not be checked: ${state.reason}` : undefined;
    item.collapsibleState = vscode.TreeItemCollapsibleState.None;
    return item;
  }
  const { check } = state;
  const disagreeing = check.models.filter((model) =>
    findingsDisagree(check.current.filter((finding) => findingIsAbout(finding, model))),
  ).length;
  const now = disagreeing === 0 ? 'all match' : disagreeing === 1 ? '1 disagrees' : `${disagreeing} disagree`;
  item.description = `${counted(check.models.length, 'GORM model')} · ${now} at ${versionWords(check.live.version.version)} · ${afterPendingWords(check, check.afterPending)}`;
  item.iconPath = new vscode.ThemeIcon(
    'symbol-structure',
    disagreeing > 0 ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
  );
  const pending =
    check.pending.kind === 'failed' ? `\n\nThe pending migrations could not be replayed: ${check.pending.reason}` : '';
  item.tooltip = new vscode.MarkdownString(
    `**GORM models** checked against the database at ${versionWords(check.live.version.version)}` +
      (check.pendingVersions.length > 0
        ? ` and after the pending migrations (${versionWords(check.lastVersion)}, replayed on a scratch database)`
        : '') +
      pending,
  );
  return item;
}

export function modelItem(node: ModelNode, check: ModelsCheck | undefined): vscode.TreeItem {
  const { gormModel } = node;
  const mine = (findings: readonly ModelFinding[] | undefined) =>
    findings?.filter((finding) => findingIsAbout(finding, gormModel));
  const current = mine(check?.current) ?? [];
  const item = new vscode.TreeItem(
    gormModel.name,
    current.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `model:${node.model.folder.uri.toString()}:${gormModel.file}:${gormModel.name}`;
  const at = check ? versionWords(check.live.version.version) : '';
  item.description = check
    ? `${gormModel.table} · ${verdict(current)} at ${at} · ${afterPendingWords(check, mine(check.afterPending))}`
    : gormModel.table;
  const worst =
    current.find((finding) => finding.severity === 'error') ?? current.find((f) => f.severity === 'warning');
  item.iconPath = worst
    ? new vscode.ThemeIcon(
        SEVERITY_ICONS[worst.severity].icon,
        new vscode.ThemeColor(SEVERITY_ICONS[worst.severity].color),
      )
    : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  const after = mine(check?.afterPending);
  item.tooltip = new vscode.MarkdownString(
    [
      `**${gormModel.name}** → table \`${gormModel.table}\``,
      `At ${at}: ${current.length === 0 ? 'matches' : current.map((finding) => `\n- ${finding.message}`).join('')}`,
      ...(check && check.pendingVersions.length > 0
        ? [
            `After the pending migrations: ${
              after === undefined
                ? 'not known'
                : after.length === 0
                  ? 'matches'
                  : after.map((finding) => `\n- ${finding.message}`).join('')
            }`,
          ]
        : []),
    ].join('\n\n'),
  );
  item.contextValue = 'migrationModel';
  item.command = openAt(gormModel.file, gormModel.line);
  return item;
}

export function modelFindingItem(node: ModelFindingNode): vscode.TreeItem {
  const { finding } = node;
  const label = finding.field ?? finding.column ?? finding.table;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `model-finding:${node.model.folder.uri.toString()}:${finding.file}:${finding.line}:${finding.code}:${label}`;
  item.description = finding.message.slice(finding.message.indexOf(': ') + 2);
  item.tooltip = `${finding.message} (${finding.code})`;
  item.iconPath = new vscode.ThemeIcon(
    SEVERITY_ICONS[finding.severity].icon,
    new vscode.ThemeColor(SEVERITY_ICONS[finding.severity].color),
  );
  item.contextValue = `migrationModelFinding code=${finding.code}`;
  item.command = openAt(finding.file, finding.line);
  return item;
}

function openAt(file: string, line: number): vscode.Command {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  return {
    command: 'vscode.open',
    title: 'Open',
    arguments: [vscode.Uri.file(file), { selection: new vscode.Range(position, position) }],
  };
}
