import path from 'node:path';
import { parseDatabaseUrl } from '../../adapters/mysql/dsn';
import { runModelsCheck, type ModelsCheck } from '../../app/models-check';
import { findingsDisagree, targetWords, type ModelFinding } from '../../core/models-compare';
import { booleanFlag, parseFlags, stringFlag, UsageError } from '../flags';
import type { CliCommand } from './command';

const FLAGS = {
  models: { kind: 'string', description: 'The folder of the Go code to read GORM models from (default: .)' },
  database: { kind: 'string', description: 'The database (mysql://...), if not given before the command' },
  'after-pending': {
    kind: 'boolean',
    description: 'Check against the schema after every pending migration instead of the database as it is',
  },
  'scratch-database': {
    kind: 'string',
    description: 'Replay pending migrations on a scratch database on this server (mysql://...) instead of the real one',
  },
  json: { kind: 'boolean', description: 'Print JSON' },
} as const;

const SYNOPSIS = '[-models DIR] [-database URL] [--after-pending] [--scratch-database URL] [--json]';

export const modelsCommand: CliCommand = {
  name: 'models',
  synopsis: SYNOPSIS,
  summary:
    'Check GORM models against the schema at the database version (or after pending migrations, replayed on a scratch database); exit 1 on a disagreement',
  async run(args, context) {
    const flags = parseFlags(args, FLAGS, 'models');
    if (flags.rest.length > 0) throw new UsageError(`too many arguments for models: models ${SYNOPSIS}`);
    // The command's own -database wins over the global one and -env.
    const databaseUrl = stringFlag(flags, 'database');
    const database = databaseUrl === undefined ? await context.requireDatabase() : parseDatabaseUrl(databaseUrl);
    const scratchUrl = stringFlag(flags, 'scratch-database');
    const afterPending = booleanFlag(flags, 'after-pending');
    const modelsFolder = path.resolve(context.cwd, stringFlag(flags, 'models') ?? '.');
    const check = await runModelsCheck({
      modelsFolder,
      migrationsFolder: await context.requireFolder(),
      database,
      ...(scratchUrl !== undefined && { scratchServer: parseDatabaseUrl(scratchUrl) }),
      signal: context.signal,
    });
    if (check.pending.kind === 'failed') {
      if (afterPending) throw new Error(`cannot check after the pending migrations: ${check.pending.reason}`);
      context.log(`note: the pending migrations could not be replayed: ${check.pending.reason}`);
    }
    const findings = (afterPending ? check.afterPending : check.current) ?? [];
    const shown = (file: string) => path.relative(context.cwd, file) || file;
    const target = targetWords({
      kind: afterPending ? 'after-pending' : 'current',
      version: afterPending ? check.lastVersion : check.live.version.version,
    });
    if (booleanFlag(flags, 'json')) {
      context.print(JSON.stringify(checkJson(check, findings, afterPending, shown), undefined, 2));
    } else {
      for (const finding of findings) context.print(findingLine(finding, shown));
      const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
      context.log(
        `${counted(check.models.length, 'model')} checked ${target}: ${counted(count('error'), 'error')}, ${counted(count('warning'), 'warning')}, ${counted(count('info'), 'note')}`,
      );
    }
    return findingsDisagree(findings) ? 1 : 0;
  },
};

function counted(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function findingLine(finding: ModelFinding, shown: (file: string) => string): string {
  return `${shown(finding.file)}:${finding.line}: ${finding.severity} ${finding.code}: ${finding.message}`;
}

function checkJson(
  check: ModelsCheck,
  findings: readonly ModelFinding[],
  afterPending: boolean,
  shown: (file: string) => string,
) {
  const version = afterPending ? check.lastVersion : check.live.version.version;
  return {
    target: afterPending ? 'after-pending' : 'current',
    version: version < 0n ? null : String(version),
    databaseVersion: check.live.version.version < 0n ? null : String(check.live.version.version),
    pending: check.pendingVersions.map(String),
    ok: !findingsDisagree(findings),
    models: check.models.map((model) => ({
      name: model.name,
      table: model.table,
      file: shown(model.file),
      line: model.line,
    })),
    findings: findings.map((finding) => ({
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      model: finding.model,
      table: finding.table,
      field: finding.field ?? null,
      column: finding.column ?? null,
      file: shown(finding.file),
      line: finding.line,
      addedBy: finding.addedBy ? finding.addedBy.name : null,
    })),
  };
}
