import * as vscode from 'vscode';
import { environmentVariables, resolveEnvironment, type ResolvedEnvironment } from '../adapters/environments';
import type { EnvironmentSpec } from '../core/environments';
import {
  DEFAULT_PROJECT_CONFIG,
  describeProjectFileProblem,
  parseProjectFile,
  PROJECT_FILE_NAME,
  type ProjectFileReading,
} from '../core/project-file';
import type { DatabaseTarget } from './database-target';
import type { DatabaseSecrets } from './secrets';

/**
 * `migration-lens.json` at the workspace folder's root (the editor's project root), and its environments as the
 * editor connects to them: `${VAR}` from the extension host's environment and the folder's `.env`, and a password
 * that no variable gives from VS Code's secret storage, keyed by the redacted URL as a setting's URL is.
 */

/** The project file of a workspace folder; the defaults when there is none. */
export async function readFolderProjectFile(folder: vscode.WorkspaceFolder): Promise<ProjectFileReading> {
  let text: string;
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, PROJECT_FILE_NAME));
    text = new TextDecoder().decode(bytes);
  } catch {
    return { config: DEFAULT_PROJECT_CONFIG, problems: [] };
  }
  return parseProjectFile(text);
}

/** The problems of a project file as log lines. */
export function projectFileProblemLines(folder: vscode.WorkspaceFolder, reading: ProjectFileReading): string[] {
  return reading.problems.map((problem) => `${folder.name}: ${describeProjectFileProblem(problem)}`);
}

/**
 * The environment with `${VAR}` expanded; a password variable with no value leaves the password to the secret
 * storage (`passwordUnset`). Throws `EnvironmentError` for what cannot be used.
 */
export async function expandEnvironment(
  folder: vscode.WorkspaceFolder,
  spec: EnvironmentSpec,
): Promise<ResolvedEnvironment> {
  return resolveEnvironment(spec, folder.uri.fsPath, await environmentVariables(folder.uri.fsPath), {
    passwordFallback: true,
  });
}

/** What the tree, the status bar and the commands show of a one-database environment: never its password. */
export function environmentDatabaseTarget(resolved: ResolvedEnvironment): DatabaseTarget {
  return {
    origin: 'environment',
    url: resolved.url,
    redactedUrl: resolved.redactedUrl,
    description: `environment ${resolved.spec.name} of ${PROJECT_FILE_NAME}`,
    written: `"${resolved.spec.url.replaceAll('"', '\\"')}"`,
  };
}

/**
 * The environment ready to connect without asking: a password the variables do not give comes from the secret
 * storage when one is stored there (else it stays empty, and the server decides).
 */
export async function environmentWithStoredPassword(
  folder: vscode.WorkspaceFolder,
  spec: EnvironmentSpec,
  secrets: DatabaseSecrets,
): Promise<ResolvedEnvironment> {
  const resolved = await expandEnvironment(folder, spec);
  if (resolved.config.password !== '') return resolved;
  const stored = await secrets.get(resolved.redactedUrl);
  return stored === undefined ? resolved : withPassword(resolved, stored);
}

export function withPassword(resolved: ResolvedEnvironment, password: string): ResolvedEnvironment {
  return { ...resolved, config: { ...resolved.config, password } };
}
