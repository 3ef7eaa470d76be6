import * as vscode from 'vscode';
import { readVerifyMigrations, verifyOnScratchDatabase, type VerifyResult } from '../../adapters/verify-migrations';
import { verifyReportLines, verifySummary } from '../../core/verify-report';
import { outcomeOf, reportFails, verdictHeadline } from '../../core/verify-verdict';
import { scratchServerFor } from '../database-target';
import { errorMessage } from '../../core/errors';
import { chooseFolderModel, resolveForCommand } from '../database-run';
import { withCancellableProgress } from '../progress';
import type { CommandFactory } from './index';

/** What Verify returns to its caller (tests, other extensions). */
export type VerifyCommandResult =
  | { readonly kind: 'done'; readonly result: VerifyResult; readonly report: vscode.TextDocument }
  | { readonly kind: 'refused' | 'failed'; readonly message: string };

/**
 * Verify migrations: on a scratch database, run every version's up, down and up again and compare the schema after
 * each, with progress per version and Cancel. The verdicts go to the tree, to diagnostics on the files and to a
 * report document. The real database is only read.
 */
export const verify: CommandFactory = (container) => {
  const results = container.verifyResults;
  const reports = container.verifyReports;
  return async (...args): Promise<VerifyCommandResult | undefined> => {
    const model = await chooseFolderModel(container, args);
    if (!model) return undefined;
    const connection = await resolveForCommand(container, model);
    if ('refused' in connection) return { kind: 'refused', message: connection.refused };
    const log = container.output;
    try {
      const folder = model.migrationsFolder;
      if (!folder) throw new Error('This workspace folder has no migrations folder.');
      const { config } = connection.resolved;
      const scratchServer = scratchServerFor(model.folder, config);
      const migrations = await readVerifyMigrations(folder.uri.fsPath);
      log.info(`${model.folder.name}: verifying ${migrations.length} versions on a scratch database`);
      const result = await withCancellableProgress(`Migration Lens: Verify ${model.folder.name}`, (reporter, signal) =>
        verifyOnScratchDatabase(migrations, config, {
          ...(scratchServer && { scratchServer }),
          signal,
          onProgress: (progress) =>
            reporter.step(`version ${progress.version}: ${progress.step} (${progress.index + 1} of ${progress.total})`),
          onVerdict: (entry) => {
            log.info(`  ${entry.version} ${entry.identifier}: ${verdictHeadline(entry.verdict)}`);
            reporter.step(`version ${entry.version}: ${outcomeOf(entry.verdict)}`, migrations.length);
          },
        }),
      );
      results.record(model, result, migrations);
      for (const line of verifyReportLines(result)) log.info(line);
      const report = await reports.show(model, result, new Date());
      const summary = verifySummary(result);
      if (reportFails(result) || result.cancelled) void vscode.window.showWarningMessage(`Verify: ${summary}`);
      else void vscode.window.showInformationMessage(`Verify: ${summary}`);
      return { kind: 'done', result, report };
    } catch (error) {
      const message = errorMessage(error);
      log.error(`${model.folder.name}: verify failed: ${message}`);
      void vscode.window.showErrorMessage(`Verify: ${message}`);
      return { kind: 'failed', message };
    }
  };
};
