import path from 'node:path';
import type { PreflightResult } from '../../app/preflight';
import type { PreflightFinding } from '../../core/preflight-findings';
import { commandLinePreflight } from '../dry-run';
import { booleanFlag, parseFlags, UsageError } from '../flags';
import { SCRATCH_DATABASE_FLAG, scratchServerOption } from '../scratch-server';
import type { CliCommand } from './command';

const FLAGS = { ...SCRATCH_DATABASE_FLAG, json: { kind: 'boolean', description: 'Print JSON' } } as const;

export const preflightCommand: CliCommand = {
  name: 'preflight',
  synopsis: '[--scratch-database URL] [--json]',
  summary:
    'What the pending migrations will do to this database: how the server runs each ALTER, and rows that make one fail (SELECTs only); exit 1 on an error',
  async run(args, context) {
    const flags = parseFlags(args, FLAGS, 'preflight');
    if (flags.rest.length > 0) {
      throw new UsageError('too many arguments for preflight: preflight [--scratch-database URL] [--json]');
    }
    const preview = await context.withSession((session) => session.preview({ kind: 'up' }));
    const { plan } = preview;
    if (plan.outcome.kind === 'error' && plan.steps.length === 0) throw plan.outcome.error;
    const result = await commandLinePreflight(preview, context, scratchServerOption(flags));
    const folder = await context.requireFolder();
    const shown = (fileName: string) => path.relative(context.cwd, path.join(folder, fileName)) || fileName;
    const pending = plan.steps.length;
    if (booleanFlag(flags, 'json')) {
      context.print(JSON.stringify(resultJson(result, pending, shown), undefined, 2));
    } else {
      for (const finding of result.findings) context.print(findingLines(finding, shown));
      context.log(summaryLine(result, pending));
    }
    return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  },
};

function findingLines(finding: PreflightFinding, shown: (fileName: string) => string): string {
  const [first, ...rest] = finding.message.split('\n');
  const head = `${shown(finding.fileName)}:${finding.line}: ${finding.severity} ${finding.code}: ${first}`;
  return [head, ...rest.map((line) => `    ${line}`)].join('\n');
}

function summaryLine(result: PreflightResult, pending: number): string {
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const count = (amount: number, noun: string) => `${amount} ${noun}${amount === 1 ? '' : 's'}`;
  if (pending === 0) return 'no pending migration: nothing to look at';
  return (
    `${count(result.findings.length, 'finding')} (${count(errors, 'error')}) in ${count(pending, 'pending migration')}: ` +
    `${count(result.probed, 'statement')} asked of the server on a scratch database, ${count(result.counted, 'count')} of rows`
  );
}

function resultJson(result: PreflightResult, pending: number, shown: (fileName: string) => string) {
  return {
    server: result.server ?? null,
    pending,
    ok: !result.findings.some((finding) => finding.severity === 'error'),
    findings: result.findings.map((finding) => ({
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      file: shown(finding.fileName),
      line: finding.line,
      statement: finding.statementIndex,
      version: String(finding.version),
      direction: finding.direction,
      execution: finding.execution ?? null,
      fix: finding.fix?.replacement ?? null,
      onlineCommand: finding.onlineCommand ?? null,
    })),
  };
}
