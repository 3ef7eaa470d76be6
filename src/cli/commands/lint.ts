import path from 'node:path';
import { contentsOf, readMigrationFolder } from '../../adapters/file-source';
import { buildCatalog } from '../../core/catalog';
import { lintMigrations, type LintProblem } from '../../core/lint';
import { booleanFlag, parseFlags, UsageError } from '../flags';
import type { CliCommand } from './command';

export const lintCommand: CliCommand = {
  name: 'lint',
  synopsis: '[--json]',
  summary: 'Check the migrations folder (no database needed); exit 1 when a problem is an error',
  async run(args, context) {
    const flags = parseFlags(args, { json: { kind: 'boolean', description: 'Print JSON' } }, 'lint');
    if (flags.rest.length > 0) throw new UsageError('too many arguments for lint: lint [--json]');
    const folder = await context.requireFolder();
    const listing = await readMigrationFolder(folder);
    const problems = lintMigrations({
      catalog: buildCatalog(listing.files),
      contents: contentsOf(listing),
      rules: (await context.projectConfig()).rules,
    });
    const shown = (fileName: string) => path.relative(context.cwd, path.join(folder, fileName)) || fileName;
    if (booleanFlag(flags, 'json')) {
      context.print(
        JSON.stringify(
          problems.map((problem) => problemJson(problem, shown)),
          undefined,
          2,
        ),
      );
    } else {
      for (const problem of problems) context.print(problemLine(problem, shown));
      context.log(findingsSummary(problems));
    }
    return problems.some((problem) => problem.severity === 'error') ? 1 : 0;
  },
};

/** "7 findings: 0 errors, 0 warnings, 7 notes": what was found by severity, notes (info) not called problems. */
function findingsSummary(problems: readonly LintProblem[]): string {
  const count = (severity: LintProblem['severity']) =>
    problems.filter((problem) => problem.severity === severity).length;
  const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `${counted(problems.length, 'finding')}: ${counted(count('error'), 'error')}, ` +
    `${counted(count('warning'), 'warning')}, ${counted(count('info'), 'note')}`
  );
}

function problemLine(problem: LintProblem, shown: (fileName: string) => string): string {
  const position =
    problem.line === undefined ? '' : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${shown(problem.fileName)}${position}: ${problem.severity} ${problem.rule}: ${problem.message}`;
}

function problemJson(problem: LintProblem, shown: (fileName: string) => string) {
  return {
    rule: problem.rule,
    severity: problem.severity,
    message: problem.message,
    file: shown(problem.fileName),
    line: problem.line ?? null,
    column: problem.column ?? null,
    version: problem.version === undefined ? null : String(problem.version),
    relatedFiles: (problem.relatedFileNames ?? []).map(shown),
  };
}
