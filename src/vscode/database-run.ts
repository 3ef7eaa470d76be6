import * as vscode from 'vscode';
import { migrate, type MigrateRequest, type MigrateResult, type ProgressEvent } from '../adapters/migrator';
import { listMigrationFolder, readSourceFile } from '../adapters/file-source';
import { readDatabaseVersion } from '../adapters/project-database-version';
import { buildCatalog, type Catalog } from '../core/catalog';
import { DirtyDatabaseError, MigrationFailedError } from '../core/errors';
import type { DatabaseVersion, Direction } from '../core/model';
import { planMigrations, type PlanRequest } from '../core/plan';
import { stepLabel, summarisePlan, versionLabel } from '../core/plan-summary';
import { statementAt } from '../core/statements';
import { commandOptions, toUri, type CommandOptions } from './command-arguments';
import { confirmModal } from './confirm';
import type { Container } from './container';
import { DatabaseUnavailableError, type ResolvedDatabase } from './database-target';
import type { FolderModel } from './folder-model';
import { offerBackupBeforeDown } from './backup-offer';
import { type StepReporter, withCancellableProgress } from './progress';
import { migrateFromEditor } from './recovery-lock';
import type { MigrationsNode } from './views/migrations-tree';

/**
 * What a database command returns to its caller (tests, other extensions): how it ended and the version after it.
 * `declined` means the user said no or closed a question; `refused` means nothing ran (dirty database, no database,
 * untrusted workspace, ...); `failed` means something ran and then failed.
 */
export type CommandResult =
  | { readonly kind: 'done'; readonly result: MigrateResult }
  | { readonly kind: 'declined' }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** The tree node a command was invoked on (every node names its folder model), if any. */
export function treeNode(args: readonly unknown[]): MigrationsNode | undefined {
  const first = args[0];
  return typeof first === 'object' && first !== null && 'kind' in first && 'model' in first
    ? (first as MigrationsNode)
    : undefined;
}

/**
 * The folder model a command acts on: the tree node's, the one `{ folder }` names, the only folder with migrations,
 * or the user's pick. Undefined (after saying why) when there is none or the user cancelled.
 */
export async function chooseFolderModel(
  container: Container,
  args: readonly unknown[],
): Promise<FolderModel | undefined> {
  const node = treeNode(args);
  if (node) return node.model;
  await container.model.ready;
  const options = commandOptions(args);
  if (options.folder !== undefined) {
    const model = container.model.folderFor(toUri(options.folder));
    if (!model) throw new Error(`${toUri(options.folder).fsPath} is not in a workspace folder`);
    return model;
  }
  const candidates = container.model.foldersWithMigrations;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      'No migrations folder found: create a migration or pick the folder that holds the *.up.sql / *.down.sql files.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((model) => ({ label: model.folder.name, description: model.migrationsFolder?.uri.fsPath, model })),
    { placeHolder: 'Which workspace folder?', ignoreFocusOut: true },
  );
  return picked?.model;
}

/**
 * The connection for a command, or why there is none (untrusted, not set up) after telling the user and offering
 * the fix.
 */
export async function resolveForCommand(
  container: Container,
  model: FolderModel,
): Promise<{ resolved: ResolvedDatabase } | { refused: string }> {
  try {
    return { resolved: await model.resolveDatabaseForCommand() };
  } catch (error) {
    const message = errorMessage(error);
    container.output.warn(`${model.folder.name}: ${message}`);
    const reason = error instanceof DatabaseUnavailableError ? error.reason : undefined;
    const [action, command, argument] =
      reason === 'untrusted'
        ? ['Manage Workspace Trust', 'workbench.trust.manage', undefined]
        : ['Configure Database', 'migrationLens.configureDatabase', { folder: model.folder.uri }];
    void vscode.window
      .showWarningMessage(message, ...(reason === 'virtual' ? [] : [action]))
      .then((answer) => (answer ? vscode.commands.executeCommand(command, argument) : undefined));
    return { refused: message };
  }
}

/**
 * Up, down and goto: reads the version, plans with the core, shows the plan (asking first when it rolls back), then
 * runs it under a cancellable progress notification and logs each step as golang-migrate does.
 */
export async function runPlannedMigration(
  container: Container,
  model: FolderModel,
  request: PlanRequest,
  options: CommandOptions,
  /** Tree actions "apply up to here" and "roll back to here" refuse a plan that would go the other way. */
  onlyDirection?: Direction,
): Promise<CommandResult> {
  const connection = await resolveForCommand(container, model);
  if ('refused' in connection) return { kind: 'refused', message: connection.refused };
  const { config, target } = connection.resolved;
  const folder = model.migrationsFolder;
  if (!folder) return refuse(container, model, 'This workspace folder has no migrations folder.');

  let current: DatabaseVersion;
  try {
    current = await readDatabaseVersion(config);
  } catch (error) {
    return refuse(container, model, `Cannot read the version of ${target.redactedUrl}: ${errorMessage(error)}`);
  }
  // Plan from the folder as it is on disk now, as the migrator will: the model may not have seen a change yet.
  let catalog: Catalog;
  try {
    catalog = buildCatalog((await listMigrationFolder(folder.uri.fsPath)).files);
  } catch (error) {
    return refuse(container, model, `Cannot read ${folder.uri.fsPath}: ${errorMessage(error)}`);
  }
  const plan = planMigrations(catalog, current, request);
  if (plan.outcome.kind === 'no-change') {
    container.output.info(`${model.folder.name}: no change (${versionLabel(current.version)})`);
    void vscode.window.showInformationMessage(`No change: the database is at ${versionLabel(current.version)}.`);
    return done({ outcome: { kind: 'no-change' }, steps: [], version: current });
  }
  if (plan.steps.length === 0) {
    const error = plan.outcome.kind === 'error' ? plan.outcome.error : new Error('nothing to run');
    return refuse(container, model, error.message, error instanceof DirtyDatabaseError);
  }

  const summary = summarisePlan(plan, current);
  if (onlyDirection !== undefined && plan.steps.some((step) => step.direction !== onlyDirection)) {
    const wanted = onlyDirection === 'up' ? 'apply up to' : 'roll back to';
    return refuse(
      container,
      model,
      `Cannot ${wanted} that version from ${versionLabel(current.version)}: ${summary.headline.toLowerCase()} would be needed.`,
    );
  }
  container.output.info(`${model.folder.name} on ${target.redactedUrl}: ${summary.headline}`);
  for (const step of summary.steps) container.output.info(`  ${step}`);
  if (summary.goesDown && options.confirm !== false) {
    const detail = [
      `Database: ${target.redactedUrl}`,
      '',
      ...summary.steps,
      '',
      'The down files run in this order. Data they drop is lost unless you have a backup.',
    ].join('\n');
    if (!(await confirmModal(summary.headline, detail, 'Roll Back'))) return declined(container);
  }
  if (summary.goesDown) {
    const backup = await offerBackupBeforeDown(
      container,
      model,
      connection.resolved,
      current.version,
      plan.steps,
      options,
    );
    if (backup.kind === 'cancel') return declined(container);
  }

  const confirmed = plan.steps.map((step) => stepLabel(step.version, step.direction, step.file?.identifier));
  let started = 0;
  return runWithProgress(
    container,
    model,
    `Migration Lens: ${summary.headline}`,
    plan.steps.length,
    (signal, onStep, reporter) =>
      migrateFromEditor(
        container,
        model,
        request,
        {
          folder: folder.uri.fsPath,
          database: config,
          lockTimeoutSeconds: container.settings(model.folder).lockTimeoutSeconds,
          signal,
          onProgress: onStep,
          hooks: {
            // The migrator plans again under the lock; if the database moved since the user saw the plan, stop first.
            onStepStart(step) {
              const label = stepLabel(step.version, step.direction, step.identifier);
              if (confirmed[started++] !== label) {
                throw new Error(
                  `the database changed since the plan was shown (${label} was not the next step in it); nothing more ran. Look at the tree and run the command again.`,
                );
              }
            },
          },
        },
        reporter,
      ),
  );
}

/**
 * Runs a migrator command under a progress notification with Cancel, logs each step, reports the ending, and re-reads
 * the folder's database version whatever happened.
 */
export async function runWithProgress(
  container: Container,
  model: FolderModel,
  title: string,
  stepsTotal: number,
  run: (signal: AbortSignal, onStep: (event: ProgressEvent) => void, reporter: StepReporter) => Promise<MigrateResult>,
): Promise<CommandResult> {
  const log = container.output;
  try {
    const result = await withCancellableProgress(title, (reporter, signal) =>
      run(
        signal,
        (event) => {
          if (event.kind === 'start')
            reporter.step(
              `${stepLabel(event.step.version, event.step.direction, event.step.identifier)} (${event.index + 1} of ${event.total})`,
            );
          else if (event.kind === 'done') {
            log.info(event.logLine);
            reporter.step(event.logLine, stepsTotal);
          }
        },
        reporter,
      ),
    );
    report(container, model, result);
    return done(result);
  } catch (error) {
    const message = errorMessage(error);
    log.error(`${model.folder.name}: ${message}`);
    if (error instanceof MigrationFailedError) await logFailingStatement(container, model, error);
    showError(message, error instanceof MigrationFailedError || error instanceof DirtyDatabaseError, model);
    return { kind: 'failed', message };
  } finally {
    await model.refreshDatabase();
  }
}

function report(container: Container, model: FolderModel, result: MigrateResult): void {
  const where = versionLabel(result.version.version);
  switch (result.outcome.kind) {
    case 'ok':
      container.output.info(`${model.folder.name}: done, the database is at ${where}`);
      void vscode.window.showInformationMessage(`Migration Lens: done, the database is at ${where}.`);
      return;
    case 'no-change':
      container.output.info(`${model.folder.name}: no change (${where})`);
      void vscode.window.showInformationMessage(`No change: the database is at ${where}.`);
      return;
    case 'short-limit':
      container.output.warn(`${model.folder.name}: ${result.outcome.error.message} The database is at ${where}.`);
      void vscode.window.showWarningMessage(`${result.outcome.error.message} The database is at ${where}.`);
      return;
    case 'cancelled':
      container.output.warn(`${model.folder.name}: cancelled after ${result.steps.length} migration(s); at ${where}`);
      void vscode.window.showWarningMessage(
        `Cancelled after ${result.steps.length} migration(s): the database is at ${where} and clean.`,
      );
  }
}

/** Puts the failing statement itself in the log, so the user sees the SQL the server refused and where it starts. */
async function logFailingStatement(
  container: Container,
  model: FolderModel,
  error: MigrationFailedError,
): Promise<void> {
  const folder = model.migrationsFolder?.uri.fsPath;
  if (folder === undefined || error.fileName === undefined || error.statementIndex === undefined) return;
  const file = await readSourceFile(folder, error.fileName).catch(() => undefined);
  const statement = file && statementAt(file.content, error.statementIndex);
  if (statement) container.output.error(`  ${error.fileName}:${statement.line}: ${statement.text}`);
}

function showError(message: string, offerForce: boolean, model: FolderModel): void {
  const actions = offerForce ? ['Force Version…', 'Show Output'] : ['Show Output'];
  void vscode.window.showErrorMessage(message, ...actions).then((answer) => {
    if (answer === 'Force Version…')
      return vscode.commands.executeCommand('migrationLens.force', { folder: model.folder.uri });
    if (answer === 'Show Output') return vscode.commands.executeCommand('migrationLens.showOutput');
    return undefined;
  });
}

function refuse(container: Container, model: FolderModel, message: string, offerForce = false): CommandResult {
  container.output.warn(`${model.folder.name}: ${message}`);
  showError(message, offerForce, model);
  return { kind: 'refused', message };
}

function declined(container: Container): CommandResult {
  container.output.info('cancelled: nothing ran');
  return { kind: 'declined' };
}

function done(result: MigrateResult): CommandResult {
  return { kind: 'done', result };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a migrator request that has no plan (force, version, drop) with the folder's connection settings. */
export function migrateWith(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  request: MigrateRequest,
): Promise<MigrateResult> {
  return migrate(request, {
    folder: model.migrationsFolder?.uri.fsPath ?? model.folder.uri.fsPath,
    database: resolved.config,
    lockTimeoutSeconds: container.settings(model.folder).lockTimeoutSeconds,
  });
}
