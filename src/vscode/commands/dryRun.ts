import * as vscode from 'vscode';
import { dryRunDocument } from '../../app/dry-run';
import type { Preview } from '../../app/run-session';
import { errorMessage } from '../../core/errors';
import type { PlanRequest } from '../../core/plan';
import { summarisePlan } from '../../core/plan-summary';
import { describeRequest } from '../../core/safety-dry-run';
import { commandOptions, type CommandOptions } from '../command-arguments';
import { pickVersion } from '../command-pickers';
import type { Container } from '../container';
import {
  chooseFolderModel,
  confirmAndRun,
  inRunSession,
  noticeModels,
  preflightFindings,
  resolveForCommand,
  type CommandResult,
} from '../database-run';
import type { FolderModel } from '../folder-model';
import type { CommandFactory } from './index';

/** What a dry run returns: the plan document it showed and, when applied, how the run ended. */
export type DryRunResult =
  | { readonly kind: 'dry-run'; readonly document: string; readonly text: string; readonly applied?: CommandResult }
  | { readonly kind: 'refused' | 'failed'; readonly message: string };

/** Dry run of Up: the plan of every pending migration with its SQL, then Apply or Cancel. */
export const dryRunUp: CommandFactory =
  (container) =>
  async (...args) => {
    const model = await chooseFolderModel(container, args);
    return model && dryRun(container, model, { kind: 'up' }, commandOptions(args));
  };

/** Dry run of Down: the plan of rolling back the current migration with its SQL, then Apply or Cancel. */
export const dryRunDown: CommandFactory =
  (container) =>
  async (...args) => {
    const model = await chooseFolderModel(container, args);
    return model && dryRun(container, model, { kind: 'down', limit: 1 }, commandOptions(args));
  };

/** Dry run of Goto: the plan to a picked version with its SQL, then Apply or Cancel. */
export const dryRunGoto: CommandFactory =
  (container) =>
  async (...args) => {
    const options = commandOptions(args);
    const model = await chooseFolderModel(container, args);
    const version = model && (await pickVersion(model, options, 'Migration Lens: dry run of go to version', false));
    return model && version !== undefined && dryRun(container, model, { kind: 'goto', version }, options);
  };

/**
 * Previews (reads the version and the files on disk; no lock, no table created) and shows the plan with each step's
 * SQL in a read-only editor. Apply runs exactly that preview in the same session without asking again (a roll back
 * still backs up first unless migrationLens.backup is "never"); `{ apply: true | false }` answers for tests and scripts.
 */
async function dryRun(
  container: Container,
  model: FolderModel,
  request: PlanRequest,
  options: CommandOptions,
): Promise<DryRunResult> {
  const connection = await resolveForCommand(container, model);
  if ('refused' in connection) return { kind: 'refused', message: connection.refused };
  const { target } = connection.resolved;
  const result = await inRunSession(container, model, connection.resolved, async (session): Promise<DryRunResult> => {
    let preview: Preview;
    try {
      preview = await session.preview(request);
    } catch (error) {
      return { kind: 'failed', message: `Cannot plan on ${target.redactedUrl}: ${errorMessage(error)}` };
    }
    const findings = await preflightFindings(container, model, connection.resolved, preview);
    const text = dryRunDocument(preview, target.redactedUrl, { findings });
    const command = describeRequest(request);
    const editor = await container.safety.showReadOnly(`Dry run of ${command}.sql`, text);
    const shown = { kind: 'dry-run', document: editor.document.uri.toString(), text } as const;
    container.output.info(`${model.folder.name}: dry run of ${command} shown; nothing ran`);
    if (preview.plan.steps.length === 0) return shown;

    const given = options.apply;
    let apply = given === true;
    if (given === undefined) {
      const answer = await vscode.window.showInformationMessage(
        `Dry run of ${command}: ${summarisePlan(preview.plan, preview.current).headline}`,
        { modal: true, detail: 'The plan and its SQL are in the editor. Nothing has run yet.' },
        'Apply',
      );
      apply = answer === 'Apply';
    }
    if (!apply) {
      container.output.info('cancelled after the dry run: nothing ran');
      return shown;
    }
    const applied = await confirmAndRun(
      container,
      model,
      connection.resolved,
      session,
      preview,
      { ...options, confirm: false },
      undefined,
      findings,
    );
    return { ...shown, applied };
  });
  return result.kind === 'dry-run' && result.applied
    ? { ...result, applied: await noticeModels(container, model, result.applied) }
    : result;
}
