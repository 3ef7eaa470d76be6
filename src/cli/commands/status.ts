import { describeLockHolder, DirtyDatabaseError, type ForceChoices } from '../../core/errors';
import { type LockHolder, NIL_VERSION } from '../../core/model';
import { driftLabel, type DriftVerdict } from '../../core/safety-drift';
import { migrationStatuses, type StatusReport } from '../../core/status';
import { alignedColumns } from '../../core/text-table';
import { printEnvironmentsStatus } from '../environment-status';
import { booleanFlag, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';

export const statusCommand: CliCommand = {
  name: 'status',
  synopsis: '[-all-envs] [--json]',
  summary: 'Show every migration as applied, current, dirty or pending; with -all-envs every environment (JSON for CI)',
  async run(args, context) {
    const flags = parseFlags(
      args,
      {
        json: { kind: 'boolean', description: 'Print JSON' },
        'all-envs': { kind: 'boolean', description: 'Every environment of migration-lens.json, fleets included' },
      },
      'status',
    );
    if (flags.rest.length > 0) throw new UsageError('too many arguments for status: status [-all-envs] [--json]');
    const json = booleanFlag(flags, 'json');
    if (booleanFlag(flags, 'all-envs')) {
      if (context.options.environment !== undefined)
        throw new UsageError('-all-envs shows every environment: drop -env');
      return printEnvironmentsStatus(context, undefined, json);
    }
    if ((await context.environment())?.spec.fleet) {
      return printEnvironmentsStatus(context, context.options.environment, json);
    }
    const { catalog, subdirectories, state, drift, choices } = await context.withSession((session) => session.status());
    const database = state.version ?? { version: NIL_VERSION, dirty: false };
    const report = migrationStatuses(catalog, database, { runningElsewhere: state.lockHolder !== undefined });
    if (json) {
      const document = statusJson(report, drift, catalog.ignored, subdirectories, state.lockHolder, choices);
      context.print(JSON.stringify(document, undefined, 2));
    } else {
      for (const line of statusTable(report, drift, state.lockHolder)) context.print(line);
      // What to do about a failed run, with the two versions its direction allows.
      if (choices) context.print(new DirtyDatabaseError(database.version, choices).message);
    }
    return 0;
  },
};

function statusJson(
  report: StatusReport,
  drift: ReadonlyMap<bigint, DriftVerdict>,
  ignored: readonly string[],
  subdirectories: readonly string[],
  lockHolder: LockHolder | undefined,
  choices: ForceChoices | undefined,
) {
  const { summary } = report;
  return {
    database: {
      version:
        summary.currentVersion === undefined || summary.currentVersion === NIL_VERSION
          ? null
          : String(summary.currentVersion),
      dirty: summary.dirty,
      running:
        lockHolder === undefined
          ? null
          : { connectionId: lockHolder.connectionId, user: lockHolder.user ?? null, host: lockHolder.host ?? null },
      force: choices === undefined ? null : { completed: String(choices.completed), undone: String(choices.undone) },
    },
    summary: {
      applied: summary.appliedCount,
      pending: summary.pendingCount,
      pendingBelowCurrent: summary.pendingBelowCurrentCount,
      currentMissingOnDisk: summary.currentMissingOnDisk,
    },
    migrations: report.rows.map((row) => ({
      version: String(row.version),
      state: row.state,
      identifier: row.identifier ?? null,
      up: row.up?.fileName ?? null,
      down: row.down?.fileName ?? null,
      duplicate: row.duplicate,
      drift: drift.get(row.version)?.kind ?? null,
      driftMessage: drift.get(row.version)?.message ?? null,
    })),
    ignoredFiles: ignored,
    subdirectories,
  };
}

function statusTable(
  report: StatusReport,
  drift: ReadonlyMap<bigint, DriftVerdict>,
  lockHolder: LockHolder | undefined,
): string[] {
  const rows = report.rows.map((row) => [
    String(row.version),
    row.state,
    row.identifier ?? '(no file on disk)',
    [row.up ? 'up' : '', row.down ? 'down' : ''].filter(Boolean).join('+') + (row.duplicate ? ' (duplicate)' : ''),
    driftLabel(drift.get(row.version)?.kind ?? 'unchanged') ?? '',
  ]);
  // The drift column appears only when there is drift to show.
  const header = ['VERSION', 'STATE', 'NAME', 'FILES', ...(rows.some((row) => row[4] !== '') ? ['DRIFT'] : [])];
  const { summary } = report;
  const nil = summary.currentVersion === undefined || summary.currentVersion === NIL_VERSION;
  // A run holding the lock marks its migration dirty while it runs: that is work in progress, not a failure.
  const state = lockHolder
    ? ` (running: locked by ${describeLockHolder(lockHolder)})`
    : summary.dirty
      ? ' (dirty)'
      : '';
  const version = `${nil ? 'no version' : `version ${summary.currentVersion}`}${state}`;
  const notes = [
    `${summary.appliedCount} applied`,
    `${summary.pendingCount} pending`,
    ...(summary.pendingBelowCurrentCount > 0 ? [`${summary.pendingBelowCurrentCount} below the current version`] : []),
    ...(summary.currentMissingOnDisk ? ['the current version has no file on disk'] : []),
  ];
  const edits = [...drift.values()].filter((verdict) => verdict.kind === 'edited' || verdict.kind === 'reformatted');
  return [
    ...alignedColumns(header, rows),
    '',
    `Database at ${version}: ${notes.join(', ')}.`,
    ...edits.map((verdict) => `${verdict.severity === 'warning' ? 'warning' : 'note'}: ${verdict.message}`),
  ];
}
