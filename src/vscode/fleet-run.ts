import * as vscode from 'vscode';
import { environmentMembers } from '../app/environments';
import { runFleet, type FleetEvent, type FleetMember, type FleetSummary } from '../app/fleet';
import { describeLockHolder, errorMessage } from '../core/errors';
import { fleetCountsLine, fleetMatrix, fleetRowLine, fleetSucceeded } from '../core/fleet';
import type { PlanRequest } from '../core/plan';
import { editorBackupPolicy } from './backup-offer';
import type { CommandOptions } from './command-arguments';
import { confirmModal } from './confirm';
import type { Container } from './container';
import { runPlannedMigration, type CommandResult } from './database-run';
import type { FolderModel } from './folder-model';
import { type StepReporter, withCancellableProgress } from './progress';
import { unlockProtected } from './protected-environment';

/** How Up or Go To Version across a fleet ended: the summary matrix's rows, or why it did not run. */
export type FleetCommandResult =
  { readonly kind: 'fleet'; readonly summary: FleetSummary } | Exclude<CommandResult, { readonly kind: 'done' }>;

/** Up, Up N and Go To Version: across the databases when the active environment is a fleet, else on the one. */
export function migrateActiveEnvironment(
  container: Container,
  model: FolderModel,
  request: PlanRequest,
  options: CommandOptions,
): Promise<CommandResult | FleetCommandResult> {
  return model.activeEnvironment?.fleet
    ? runFleetCommand(container, model, request, options)
    : runPlannedMigration(container, model, request, options);
}

/**
 * Up and Go To Version when the active environment is a fleet: every database (found again now, for a discovered
 * fleet) in a run session of its own, `migrationLens.fleet.parallel` at a time, the first
 * `migrationLens.fleet.canary` first, stopping at the first failure unless `migrationLens.fleet.continueOnFailure`.
 * The notification shows each database as it runs and finishes; Cancel starts no further database and lets the
 * running ones finish their current migration. The output gets a line per database and the summary matrix.
 */
export async function runFleetCommand(
  container: Container,
  model: FolderModel,
  request: PlanRequest,
  options: CommandOptions,
): Promise<FleetCommandResult> {
  const environment = model.activeEnvironment!;
  const name = environment.name;
  const log = container.output;
  let members: FleetMember[];
  try {
    const resolved = await model.resolveFleetForCommand();
    members = await environmentMembers(resolved, model.environmentRunSettings(environment));
  } catch (error) {
    const message = `Cannot reach the databases of ${name}: ${errorMessage(error)}`;
    log.warn(`${model.folder.name}: ${message}`);
    void vscode.window.showWarningMessage(message);
    return { kind: 'refused', message };
  }
  const words = request.kind === 'goto' ? `go to version ${request.version}` : 'up';
  const headline = `${words} on the ${members.length} databases of ${name}`;
  const { parallel, canary, continueOnFailure } = container.settings(model.folder).fleet;
  if (options.confirm !== false) {
    const detail = [
      `${members.length} databases, ${parallel} at a time${canary > 0 ? `, the first ${canary} as canaries` : ''}.`,
      continueOnFailure
        ? 'A failure does not stop the others (migrationLens.fleet.continueOnFailure).'
        : 'The first failure stops the run: no further database starts.',
      'Cancel starts no further database; the running ones finish their current migration.',
    ].join('\n');
    if (!(await confirmModal(`Migrate fleet ${name}: ${words}?`, detail, 'Migrate'))) {
      log.info('cancelled: nothing ran');
      return { kind: 'declined' };
    }
  }
  if (!(await unlockProtected(container, model, headline, options))) return { kind: 'declined' };
  log.info(`${model.folder.name}: ${headline}, ${parallel} at a time`);
  const summary = await withCancellableProgress(`Migration Lens: ${headline}`, (reporter, signal) =>
    runFleet(members, request, {
      parallel,
      canary,
      continueOnFailure,
      signal,
      backup: editorBackupPolicy(container, model, options),
      onEvent: fleetProgress(container, reporter),
    }),
  );
  for (const line of fleetMatrix(summary.rows)) log.info(line);
  await model.refreshEnvironments();
  const counts = fleetCountsLine(summary.rows);
  if (fleetSucceeded(summary.rows)) void vscode.window.showInformationMessage(`Migration Lens: ${name}: ${counts}.`);
  else {
    void vscode.window
      .showWarningMessage(`Migration Lens: ${name}: ${counts}.`, 'Show Output')
      .then((answer) => (answer ? vscode.commands.executeCommand('migrationLens.showOutput') : undefined));
  }
  return { kind: 'fleet', summary };
}

/** Each database in the notification as it runs and finishes, and a line in the output as it finishes. */
function fleetProgress(container: Container, reporter: StepReporter): (event: FleetEvent) => void {
  const waiting = new Set<string>();
  return (event) => {
    switch (event.kind) {
      case 'stage':
        container.output.info(`${event.stage === 'canary' ? 'canaries' : 'the rest'}: ${event.databases} database(s)`);
        return;
      case 'progress':
        if (event.event.kind === 'start')
          reporter.step(
            `${event.database}: ${event.event.step.version}/${event.event.step.direction === 'up' ? 'u' : 'd'}`,
          );
        return;
      case 'waiting':
        if (waiting.has(event.database)) return;
        waiting.add(event.database);
        reporter.step(
          `${event.database}: waiting for the lock, held by ${event.holder ? describeLockHolder(event.holder) : 'another session'}`,
        );
        return;
      case 'ledger-problem':
        container.output.warn(`${event.database}: not recorded in the ledger: ${errorMessage(event.error)}`);
        return;
      case 'finished':
        container.output.info(`[${event.finished}/${event.total}] ${fleetRowLine(event.row)}`);
        reporter.step(`${event.finished} of ${event.total} done · ${fleetRowLine(event.row)}`, event.total);
        return;
      case 'stopping':
        container.output.warn(
          event.why === 'cancel'
            ? 'cancelled: no further database starts; the running ones finish their current migration'
            : 'a failure stops the run: no further database starts',
        );
        return;
      case 'started':
        return;
    }
  };
}
