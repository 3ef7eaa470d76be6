import * as vscode from 'vscode';
import { withRunSession } from '../app/open-session';
import type { Preview, RunOptions, RunResult, RunSession } from '../app/run-session';
import type { ProgressEvent } from '../app/run-steps';
import { describeLockHolder, DirtyDatabaseError, errorMessage, MigrationFailedError } from '../core/errors';
import type { Direction } from '../core/model';
import type { PlanRequest } from '../core/plan';
import { stepLabel, summarisePlan, versionLabel } from '../core/plan-summary';
import { confirmationParagraph, type PreflightFinding } from '../core/preflight-findings';
import { statementAt } from '../core/statements';
import { editorBackupPolicy } from './backup-offer';
import { commandOptions, toUri, type CommandOptions } from './command-arguments';
import { confirmModal } from './confirm';
import type { Container } from './container';
import { DatabaseUnavailableError, type ResolvedDatabase } from './database-target';
import type { FolderModel } from './folder-model';
import { baseName } from './migrations-folder';
import { type StepReporter, withCancellableProgress } from './progress';
import { unlockProtected } from './protected-environment';
import type { MigrationsNode } from './views/migrations-tree';

/**
 * What a database command returns to its caller (tests, other extensions): how it ended and the version after it.
 * `declined` means the user said no or closed a question; `refused` means nothing ran (dirty database, no database,
 * untrusted workspace, ...); `failed` means something ran and then failed.
 */
export type CommandResult =
  /** `modelsNotice`: after a run that moved the version, the GORM models that no longer match the schema. */
  | { readonly kind: 'done'; readonly result: RunResult; readonly modelsNotice?: string }
  /** `reason`: what made the user (or a dialog skipped for automation) say no, when there was more than the plan. */
  | { readonly kind: 'declined'; readonly reason?: string }
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
        : reason === 'fleet'
          ? ['Select Environment', 'migrationLens.selectEnvironment', { folder: model.folder.uri }]
          : ['Configure Database', 'migrationLens.configureDatabase', { folder: model.folder.uri }];
    void vscode.window
      .showWarningMessage(message, ...(reason === 'virtual' ? [] : [action]))
      .then((answer) => (answer ? vscode.commands.executeCommand(command, argument) : undefined));
    return { refused: message };
  }
}

/**
 * Runs `work` in a run session on the folder's database: one connection for the preview, the run and the look at the
 * database afterwards, which the tree, the status bar and the ledger's annotations then show.
 */
export async function inRunSession<T>(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  work: (session: RunSession) => Promise<T>,
): Promise<T> {
  container.connectionCount++;
  return withRunSession(model.runTarget(resolved.config), async (session) => {
    try {
      return await work(session);
    } finally {
      await showDatabaseAfter(model, resolved, session);
    }
  });
}

/** The look after a command, through the command's own session; a fresh read when that session is gone. */
async function showDatabaseAfter(model: FolderModel, resolved: ResolvedDatabase, session: RunSession): Promise<void> {
  try {
    model.showLook(await session.look(), resolved.target.redactedUrl);
  } catch {
    await model.refreshDatabase();
  }
}

/**
 * Up, down and goto: previews from the files on disk and the database, shows the plan (asking first when it rolls
 * back), then runs exactly what was previewed under a cancellable progress notification, logging each step as
 * golang-migrate does.
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
  if (!model.migrationsFolder) return refuse(container, model, 'This workspace folder has no migrations folder.');
  const result = await inRunSession(container, model, connection.resolved, async (session) => {
    let preview: Preview;
    try {
      preview = await session.preview(request);
    } catch (error) {
      return refuse(
        container,
        model,
        `Cannot plan on ${connection.resolved.target.redactedUrl}: ${errorMessage(error)}`,
      );
    }
    return confirmAndRun(container, model, connection.resolved, session, preview, options, onlyDirection);
  });
  return noticeModels(container, model, result);
}

/**
 * After a run that moved the version, the step the golang-migrate tutorial does by hand: the GORM models that no
 * longer match the schema, named in a notification (and in the result, for callers).
 */
export async function noticeModels(
  container: Container,
  model: FolderModel,
  result: CommandResult,
): Promise<CommandResult> {
  if (result.kind !== 'done' || result.result.steps.length === 0) return result;
  const notice = await container.modelChecks.afterRun(model);
  if (!notice) return result;
  container.output.warn(`${model.folder.name}: ${notice.message}`);
  void vscode.window.showWarningMessage(notice.message);
  return { ...result, modelsNotice: notice.message };
}

/** Shows a preview's plan, asks before going down, then runs it in `session`. */
export async function confirmAndRun(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  session: RunSession,
  preview: Preview,
  options: CommandOptions,
  onlyDirection?: Direction,
  /** Preflight's findings on this preview when the caller already has them (a dry run shown before applying). */
  knownFindings?: readonly PreflightFinding[],
): Promise<CommandResult> {
  const { plan, current } = preview;
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
  const target = resolved.target.redactedUrl;
  container.output.info(`${model.folder.name} on ${target}: ${summary.headline}`);
  for (const step of summary.steps) container.output.info(`  ${step}`);
  const unsaved = unsavedStepFiles(model, preview);
  if (unsaved.length > 0) {
    container.output.warn(`  ${unsaved.join(', ')}: unsaved changes in the editor; the saved files run`);
  }
  const blocking = confirmationParagraph(
    knownFindings ?? (await preflightFindings(container, model, resolved, preview)),
  );
  if (blocking !== '') container.output.warn(`  ${blocking}`);
  const notes = [
    ...(blocking !== '' ? ['', blocking] : []),
    ...(unsaved.length > 0
      ? ['', `Unsaved changes in ${unsaved.join(', ')} are not included: the saved files run.`]
      : []),
  ];
  if (summary.goesDown && options.confirm !== false) {
    const detail = [
      `Database: ${target}`,
      '',
      ...summary.steps,
      '',
      'The down files run in this order. Data they drop is lost unless you have a backup.',
      ...notes,
    ].join('\n');
    if (!(await confirmModal(summary.headline, detail, 'Roll Back'))) return declined(container, blocking);
  } else if (blocking !== '' && options.confirm !== false) {
    const detail = [`Database: ${target}`, '', ...summary.steps, ...notes].join('\n');
    const title = `${summary.headline}: Preflight found what would stop it or block the database`;
    if (!(await confirmModal(title, detail, 'Run Anyway'))) return declined(container, blocking);
  }
  return runWithProgress(
    container,
    model,
    `Migration Lens: ${summary.headline}`,
    plan.steps.length,
    options,
    (runOptions) => session.run(preview, { ...runOptions, backup: editorBackupPolicy(container, model, options) }),
  );
}

/**
 * What Preflight finds in the steps a preview is about to run (the background's findings when they still hold); none
 * when it cannot look, which it says in the output: a run is never stopped because Preflight could not run.
 */
export async function preflightFindings(
  container: Container,
  model: FolderModel,
  resolved: ResolvedDatabase,
  preview: Preview,
): Promise<readonly PreflightFinding[]> {
  if (preview.plan.steps.length === 0 || !container.settings(model.folder).preflightDiagnostics) return [];
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Migration Lens: Preflight of what will run' },
      () => container.preflight.forPreview(model, preview, resolved.config),
    );
  } catch (error) {
    container.output.warn(`${model.folder.name}: Preflight could not look before the run: ${errorMessage(error)}`);
    return [];
  }
}

/** The files a preview runs that an editor holds unsaved changes of: the run uses the files on disk. */
function unsavedStepFiles(model: FolderModel, preview: Preview): string[] {
  const names = new Set(preview.steps.flatMap((step) => (step.fileName === undefined ? [] : [step.fileName])));
  return vscode.workspace.textDocuments
    .filter((document) => document.isDirty && model.isMigrationsFile(document.uri))
    .map((document) => baseName(document.uri))
    .filter((name) => names.has(name));
}

/**
 * Runs a session command under a progress notification with Cancel, logs each step, waits for the lock naming who
 * holds it, and reports the ending. Every command that writes comes through here, so this is where a protected
 * environment is unlocked, for this one action.
 */
export async function runWithProgress(
  container: Container,
  model: FolderModel,
  title: string,
  stepsTotal: number,
  options: CommandOptions,
  run: (options: RunOptions) => Promise<RunResult>,
): Promise<CommandResult> {
  const log = container.output;
  if (!(await unlockProtected(container, model, title.replace(/^Migration Lens: /, ''), options))) {
    return declined(container);
  }
  try {
    const result = await withCancellableProgress(title, (reporter, signal) =>
      run(progressOptions(container, model, reporter, signal, stepsTotal)),
    );
    if (result.outcome.kind === 'declined') return declined(container);
    report(container, model, result);
    return done(result);
  } catch (error) {
    const message = errorMessage(error);
    log.error(`${model.folder.name}: ${message}`);
    if (error instanceof MigrationFailedError) await logFailingStatement(container, model, error);
    showError(message, error instanceof MigrationFailedError || error instanceof DirtyDatabaseError, model);
    return { kind: 'failed', message };
  }
}

/** Cancel, a line per step in the output and the notification, and the lock's holder while waiting for it. */
function progressOptions(
  container: Container,
  model: FolderModel,
  reporter: StepReporter,
  signal: AbortSignal,
  stepsTotal: number,
): RunOptions {
  const totalSeconds = container.settings(model.folder).lockTimeoutSeconds;
  let toldWaiting = false;
  return {
    signal,
    onProgress: (event: ProgressEvent) => {
      if (event.kind === 'start') {
        const label = stepLabel(event.step.version, event.step.direction, event.step.identifier);
        reporter.step(`${label} (${event.index + 1} of ${event.total})`);
      } else if (event.kind === 'done') {
        container.output.info(event.logLine);
        reporter.step(event.logLine, stepsTotal);
      }
    },
    onLedgerProblem: (error) =>
      container.output.warn(`${model.folder.name}: not recorded in the ledger: ${errorMessage(error)}`),
    onLockWait: (holder, waitedSeconds) => {
      const message = `Waiting for the lock, held by ${holder ? describeLockHolder(holder) : 'another session'}`;
      if (!toldWaiting) container.output.info(`${model.folder.name}: ${message}`);
      toldWaiting = true;
      reporter.step(`${message}: ${Math.floor(waitedSeconds)} of ${totalSeconds} s. Cancel stops waiting.`);
    },
  };
}

function report(container: Container, model: FolderModel, result: RunResult): void {
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
      return;
  }
}

/** Puts the failing statement itself in the log, so the user sees the SQL the server refused and where it starts. */
async function logFailingStatement(
  container: Container,
  model: FolderModel,
  error: MigrationFailedError,
): Promise<void> {
  if (error.fileName === undefined || error.statementIndex === undefined) return;
  const uri = model.fileUri(error.fileName);
  const text =
    uri &&
    (await vscode.workspace.fs.readFile(uri).then(
      (bytes) => new TextDecoder().decode(bytes),
      () => undefined,
    ));
  const statement = text === undefined ? undefined : statementAt(text, error.statementIndex);
  if (statement) container.output.error(`  ${error.fileName}:${statement.line}: ${statement.text}`);
}

function showError(message: string, offerForce: boolean, model: FolderModel): void {
  const actions = offerForce ? ['Recover…', 'Show Output'] : ['Show Output'];
  void vscode.window.showErrorMessage(message, ...actions).then((answer) => {
    if (answer === 'Recover…')
      return vscode.commands.executeCommand('migrationLens.recover', { folder: model.folder.uri });
    if (answer === 'Show Output') return vscode.commands.executeCommand('migrationLens.showOutput');
    return undefined;
  });
}

function refuse(container: Container, model: FolderModel, message: string, offerForce = false): CommandResult {
  container.output.warn(`${model.folder.name}: ${message}`);
  showError(message, offerForce, model);
  return { kind: 'refused', message };
}

function declined(container: Container, reason = ''): CommandResult {
  container.output.info('cancelled: nothing ran');
  return reason === '' ? { kind: 'declined' } : { kind: 'declined', reason };
}

function done(result: RunResult): CommandResult {
  return { kind: 'done', result };
}
