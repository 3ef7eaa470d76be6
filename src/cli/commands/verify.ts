import path from 'node:path';
import { verifyFolder, type VerifyResult } from '../../adapters/verify-migrations';
import type { MigrationFailure } from '../../core/errors';
import { countOutcomes, verifyReportLines, verifySummary } from '../../core/verify-report';
import { describeVerdict, outcomeOf, reportFails, verdictLocations, type Verdict } from '../../core/verify-verdict';
import { booleanFlag, parseFlags, parseVersion, stringFlag, UsageError } from '../flags';
import { SCRATCH_DATABASE_FLAG, scratchServerOption } from '../scratch-server';
import type { CliCommand } from './command';

const FLAGS = {
  from: { kind: 'string', description: 'First version to verify (earlier ups are applied without verifying)' },
  to: { kind: 'string', description: 'Last version to verify' },
  ...SCRATCH_DATABASE_FLAG,
  json: { kind: 'boolean', description: 'Print JSON' },
} as const;

export const verifyCommand: CliCommand = {
  name: 'verify',
  synopsis: '[--from V] [--to V] [--scratch-database URL] [--json]',
  summary:
    'Prove on a scratch database that every down undoes its up (the real one is only read); exit 1 if one does not',
  async run(args, context) {
    const flags = parseFlags(args, FLAGS, 'verify');
    if (flags.rest.length > 0)
      throw new UsageError(
        'too many arguments for verify: verify [--from V] [--to V] [--scratch-database URL] [--json]',
      );
    const from = optionalVersion(stringFlag(flags, 'from'));
    const to = optionalVersion(stringFlag(flags, 'to'));
    if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    const folder = await context.requireFolder();
    const json = booleanFlag(flags, 'json');
    // On a terminal the report on stdout and the progress on stderr meet on one screen: the progress line is then
    // rewritten in place and cleared before the report, so each version is shown once.
    const progressInPlace = isTerminal(context.streams.stdout) && isTerminal(context.streams.stderr);
    const progress = (line: string) => {
      if (progressInPlace) context.streams.stderr.write(`${CLEAR_LINE}${line}`);
      else context.log(line);
    };
    const result = await verifyFolder(folder, await context.requireDatabase(), {
      ...(from !== undefined && { from }),
      ...(to !== undefined && { to }),
      ...scratchServerOption(flags),
      signal: context.signal,
      onProgress: (step) => {
        if (context.options.verbose) {
          progress(`${step.index + 1}/${step.total} version ${step.version}: ${step.step}`);
        }
      },
      onVerdict: (entry) => {
        if (!json) progress(`${entry.version} ${entry.identifier}: ${outcomeOf(entry.verdict)}`);
      },
    });
    if (progressInPlace) context.streams.stderr.write(CLEAR_LINE);
    const shown = (fileName: string) => path.relative(context.cwd, path.join(folder, fileName)) || fileName;
    if (json) {
      context.print(JSON.stringify(resultJson(result, shown), undefined, 2));
    } else {
      context.log(
        result.scratchAccount === undefined
          ? `Verified on scratch database ${result.scratchDatabase} as the scratch server's account, dropped afterwards.`
          : `Verified on scratch database ${result.scratchDatabase} as ${result.scratchAccount}, both dropped afterwards.`,
      );
      for (const line of verifyReportLines(result, shown)) context.print(line);
    }
    return reportFails(result) || result.cancelled ? 1 : 0;
  },
};

/** Back to the start of the line, and erase it. */
const CLEAR_LINE = '\r\x1b[2K';

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function optionalVersion(text: string | undefined): bigint | undefined {
  return text === undefined ? undefined : parseVersion(text, false);
}

function resultJson(result: VerifyResult, shown: (fileName: string) => string) {
  return {
    database: result.realDatabase,
    scratchDatabase: result.scratchDatabase,
    scratchAccount: result.scratchAccount ?? null,
    ok: !reportFails(result) && !result.cancelled,
    cancelled: result.cancelled,
    stopped: result.stopped ?? null,
    summary: { ...countOutcomes(result), text: verifySummary(result) },
    versions: result.versions.map((entry) => ({
      version: String(entry.version),
      identifier: entry.identifier,
      up: entry.upFile === undefined ? null : shown(entry.upFile),
      down: entry.downFile === undefined ? null : shown(entry.downFile),
      outcome: outcomeOf(entry.verdict),
      verdict: entry.verdict.kind,
      message: describeVerdict(entry.verdict),
      ...verdictJson(entry.verdict, shown),
      locations: verdictLocations(entry).map((location) => ({
        file: shown(location.fileName),
        line: location.line,
        severity: location.severity,
      })),
    })),
  };
}

function verdictJson(verdict: Verdict, shown: (fileName: string) => string) {
  switch (verdict.kind) {
    case 'up-failed':
    case 'down-failed':
    case 'up-not-repeatable':
      return {
        failure: 'failure' in verdict ? failureJson(verdict.failure, shown) : undefined,
        differences: verdict.kind === 'up-not-repeatable' ? verdict.differences : [],
      };
    case 'reaches-outside':
      return { step: verdict.step, failure: failureJson(verdict.failure, shown) };
    case 'down-differs':
      return { differences: verdict.differences };
    case 'unverifiable':
      return {
        schemaNames: verdict.references.map((reference) => ({
          text: reference.text,
          schema: reference.schema,
          file: shown(reference.fileName),
          line: reference.line,
        })),
      };
    default:
      return {};
  }
}

function failureJson(failure: MigrationFailure | undefined, shown: (fileName: string) => string) {
  return (
    failure && {
      file: failure.fileName === undefined ? null : shown(failure.fileName),
      statement: failure.statementIndex ?? null,
      line: failure.line ?? null,
      serverCode: failure.serverCode ?? null,
      serverMessage: failure.serverMessage ?? null,
    }
  );
}
