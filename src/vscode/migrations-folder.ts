import * as vscode from 'vscode';
import { parseMigrationFileName } from '../core/names';

/** A workspace folder's migrations folder. */
export interface MigrationsFolder {
  readonly uri: vscode.Uri;
}

/** Folders never searched: dependencies and build output hold other projects' migrations. */
const EXCLUDED = '**/{node_modules,vendor,.git,dist,out,build,target}/**';
const MAX_SCANNED_FILES = 2000;

/**
 * The migrations folder of `folder`: the setting (relative to the folder, or absolute) when given, else the folder
 * holding the most golang-migrate files (`*.up.*` / `*.down.*` with a numeric version), ties going to the shallowest.
 */
export async function locateMigrationsFolder(
  folder: vscode.WorkspaceFolder,
  configuredPath: string | undefined,
): Promise<MigrationsFolder | undefined> {
  if (configuredPath !== undefined) {
    const uri = !isAbsolute(configuredPath)
      ? vscode.Uri.joinPath(folder.uri, configuredPath)
      : folder.uri.scheme === 'file'
        ? vscode.Uri.file(configuredPath)
        : folder.uri.with({ path: configuredPath });
    return { uri };
  }
  const pattern = new vscode.RelativePattern(folder, '**/*.{up,down}.*');
  const files = await vscode.workspace.findFiles(pattern, EXCLUDED, MAX_SCANNED_FILES);
  const counts = new Map<string, { uri: vscode.Uri; count: number }>();
  for (const file of files) {
    if (!parseMigrationFileName(baseName(file))) continue;
    const parent = vscode.Uri.joinPath(file, '..');
    const entry = counts.get(parent.toString());
    if (entry) entry.count++;
    else counts.set(parent.toString(), { uri: parent, count: 1 });
  }
  let best: { uri: vscode.Uri; count: number } | undefined;
  for (const entry of counts.values()) {
    if (
      !best ||
      entry.count > best.count ||
      (entry.count === best.count && depth(entry.uri) < depth(best.uri)) ||
      (entry.count === best.count && depth(entry.uri) === depth(best.uri) && entry.uri.path < best.uri.path)
    ) {
      best = entry;
    }
  }
  return best && { uri: best.uri };
}

/** The last segment of a URI's path. */
export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Whether `child` is directly inside `parent`. */
export function isDirectChild(parent: vscode.Uri, child: vscode.Uri): boolean {
  return (
    child.scheme === parent.scheme &&
    child.authority === parent.authority &&
    child.path.slice(0, child.path.lastIndexOf('/')) === parent.path.replace(/\/$/, '')
  );
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

function depth(uri: vscode.Uri): number {
  return uri.path.split('/').length;
}
