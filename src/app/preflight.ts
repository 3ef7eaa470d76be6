/**
 * Preflight: what a planned run will do to this database before it runs. For each statement of each planned file:
 * how the server will execute it (asked of the server, on a scratch database holding the schema it will meet), how
 * big the table it blocks is, and whether the rows already there make it fail (read-only counts on the target). The
 * target only ever receives SELECTs; the scratch database is always dropped.
 *
 * The caller hands over the plan (the core's `planMigrations` of the run it is about to make, up or down) with the
 * catalog and the files' texts; the result is the findings, each on its file and line, and a paragraph for a
 * confirmation.
 */
import type { Catalog } from '../core/catalog';
import type { MigrationFailure } from '../core/errors';
import { serverErrorText } from '../core/errors';
import type { DatabaseVersion, Direction } from '../core/model';
import type { MigrationPlan } from '../core/plan';
import type { MigrationSource } from '../core/run-ports';
import {
  type CheckLimits,
  findingOfCount,
  type PlacedStatement,
  planDataChecks,
  skip,
  type TargetFacts,
} from '../core/preflight-checks';
import {
  executionWords,
  onlineSchemaChangeCommand,
  type OnlineToolTarget,
  type PreflightFinding,
  type RawFinding,
  settleFindings,
  type StatementPlace,
} from '../core/preflight-findings';
import {
  type Execution,
  nextAttempt,
  onlineAlterText,
  probeAttempts,
  readRefusal,
  type ServerFlavour,
  withAlgorithm,
  writtenExecution,
} from '../core/preflight-probe';
import { type PreflightScript, type PreflightStatement, readPreflightScript } from '../core/preflight-statements';
import { DEFAULT_PROJECT_CONFIG, type ProjectConfig } from '../core/project-file';
import { DatabaseConnectionError } from '../adapters/mysql/connection';
import { NoDatabaseNameError } from '../adapters/mysql/database';
import type { DatabaseConfig } from '../adapters/mysql/dsn';
import {
  countRows,
  openReadOnlySession,
  readServerFacts,
  readTargetFacts,
  type ReadOnlySession,
  type ServerFacts,
} from '../adapters/preflight-target';
import {
  type RealDatabaseFacts,
  ScratchAccountRefusedError,
  withScratchDatabase,
} from '../adapters/verify-scratch-database';
import type { Preview } from './run-session';

export interface PreflightRequest {
  /** The run to look at: the core's plan (`planMigrations`) of up, down or goto from `current`. */
  readonly plan: MigrationPlan;
  /** The folder's versions: the schema at `current` is rebuilt on the scratch database from their up files. */
  readonly catalog: Catalog;
  readonly current: DatabaseVersion;
  /** The text of the migration files by name (an editor's unsaved text, or the files on disk). */
  readonly texts: ReadonlyMap<string, string>;
  /** The target database: only read. */
  readonly database: DatabaseConfig;
  /** The server to create the scratch database on; the target's by default. */
  readonly scratchServer?: DatabaseConfig;
  /** The project's `migration-lens.json`: severities and the limits of the counts. */
  readonly config?: ProjectConfig;
  readonly signal?: AbortSignal;
}

export interface PreflightResult {
  /** Every finding the project's settings keep, in run order. */
  readonly findings: readonly PreflightFinding[];
  /** The server's version string, e.g. `10.11.19-MariaDB`. */
  readonly server?: string;
  /** How many statements the server was asked about, and how many counts were made. */
  readonly probed: number;
  readonly counted: number;
}

/** A scratch database statements are tried on; a SQL failure is returned, not thrown. */
export interface ProbeScratch {
  run(sql: string, step: StepFile): Promise<MigrationFailure | undefined>;
}

/** Where preflight reads and tries things; tests give a recording session or another server. */
export interface PreflightPorts {
  openTarget(config: DatabaseConfig): Promise<ReadOnlySession>;
  withScratch<T>(
    server: DatabaseConfig,
    real: RealDatabaseFacts,
    signal: AbortSignal | undefined,
    work: (scratch: ProbeScratch) => Promise<T>,
  ): Promise<T>;
}

export const DATABASE_PORTS: PreflightPorts = {
  openTarget: openReadOnlySession,
  withScratch: (server, real, signal, work) =>
    withScratchDatabase(server, real, signal, (scratch) =>
      work({ run: (sql, step) => scratch.run(step.version, step.direction, { fileName: step.fileName, sql }) }),
    ),
};

interface StepFile {
  readonly version: bigint;
  readonly direction: Direction;
  readonly fileName: string;
}

interface StepScript extends StepFile {
  readonly text: string;
  readonly script: PreflightScript;
}

/** Runs preflight for a plan. A plan without files to run reads nothing and finds nothing. */
export async function preflight(
  request: PreflightRequest,
  ports: PreflightPorts = DATABASE_PORTS,
): Promise<PreflightResult> {
  const config = request.config ?? DEFAULT_PROJECT_CONFIG;
  const steps: StepScript[] = request.plan.steps.flatMap((step) => {
    const text = step.file && request.texts.get(step.file.fileName);
    if (!step.file || text === undefined) return [];
    const base = { version: step.version, direction: step.direction, fileName: step.file.fileName };
    return [{ ...base, text, script: readPreflightScript(text) }];
  });
  if (steps.length === 0) return { findings: [], probed: 0, counted: 0 };
  const placed = steps.flatMap((step) =>
    step.script.statements.map((statement): PlacedStatement => ({ place: placeOf(step, statement), statement })),
  );
  const session = await ports.openTarget(request.database);
  try {
    const server = await readServerFacts(session, request.database);
    if (server.database === '') throw new NoDatabaseNameError();
    const facts = await readTargetFacts(session, server.database, tablesNamed(placed), isStrict(server.sqlMode));
    request.signal?.throwIfAborted();
    const run = new PreflightRun(request, ports, server, facts, config.preflight);
    const [probed, counted] = await Promise.all([run.probe(steps), run.count(session, placed)]);
    const raw = [...probed.findings, ...counted.findings];
    const order = new Map(steps.map((step, index) => [step.fileName, index]));
    const findings = settleFindings(raw, config.rules, (name) => request.texts.get(name)).sort(
      (a, b) => order.get(a.fileName)! - order.get(b.fileName)! || a.statementIndex - b.statementIndex,
    );
    return { findings, server: server.version, probed: probed.count, counted: counted.count };
  } finally {
    await session.close();
  }
}

/**
 * Preflight of a run session's preview (what a run would do, read from disk): the texts of its steps come with it,
 * those of the applied up files the schema is rebuilt from are read from `source`.
 */
export async function preflightPreview(
  preview: Preview,
  source: MigrationSource,
  options: Omit<PreflightRequest, 'plan' | 'catalog' | 'current' | 'texts'>,
  ports: PreflightPorts = DATABASE_PORTS,
): Promise<PreflightResult> {
  const texts = new Map<string, string>();
  for (const step of preview.steps) {
    if (step.fileName !== undefined && step.text !== undefined) texts.set(step.fileName, step.text);
  }
  // Nothing to run, nothing to look at: the applied files the schema is rebuilt from are not read.
  if (texts.size === 0) return { findings: [], probed: 0, counted: 0 };
  const { catalog, current, plan } = preview;
  for (const migration of catalog.migrations) {
    if (current.version < 0n || migration.version > current.version) break;
    if (migration.up) texts.set(migration.up.fileName, await source.read(migration.up.fileName));
  }
  return preflight({ ...options, plan, catalog, current, texts }, ports);
}

function placeOf(step: StepFile, statement: PreflightStatement): StatementPlace {
  return { ...step, statementIndex: statement.index, line: statement.line };
}

/** Every table the statements probe, change or reference. */
function tablesNamed(statements: readonly PlacedStatement[]): string[] {
  const tables = new Set<string>();
  for (const { statement } of statements) {
    if (statement.probe) tables.add(statement.probe.table);
    for (const change of statement.changes) {
      tables.add(change.table);
      if (change.kind === 'foreign-key') tables.add(change.parent);
    }
  }
  return [...tables];
}

function isStrict(sqlMode: string): boolean {
  return /\b(STRICT_TRANS_TABLES|STRICT_ALL_TABLES|TRADITIONAL)\b/i.test(sqlMode);
}

/** How one probed statement went on the scratch database. */
type ProbeOutcome =
  | { readonly kind: 'executes'; readonly execution: Execution; readonly refusedAsWritten?: MigrationFailure }
  | { readonly kind: 'fails'; readonly failure: MigrationFailure; readonly refusedAsWritten?: MigrationFailure }
  | { readonly kind: 'unknown'; readonly reason: string; readonly refusedAsWritten?: MigrationFailure };

class PreflightRun {
  private readonly flavour: ServerFlavour;

  constructor(
    private readonly request: PreflightRequest,
    private readonly ports: PreflightPorts,
    private readonly server: ServerFacts,
    private readonly facts: TargetFacts,
    private readonly limits: CheckLimits,
  ) {
    this.flavour = server.flavour;
  }

  /** The counts, one after the other on the target's read-only session. */
  async count(
    session: ReadOnlySession,
    placed: readonly PlacedStatement[],
  ): Promise<{ findings: RawFinding[]; count: number }> {
    const { checks, findings } = planDataChecks(placed, this.facts, this.limits);
    let count = 0;
    for (const planned of checks) {
      this.request.signal?.throwIfAborted();
      let outcome;
      try {
        outcome = await countRows(
          session,
          this.server.database,
          planned.check,
          this.flavour,
          this.limits.statementTimeoutSeconds,
        );
        count++;
      } catch (error) {
        findings.push(skip(planned, `the count failed: ${(error as Error).message}`));
        continue;
      }
      if (outcome === 'timeout') {
        findings.push(
          skip(
            planned,
            `the count took longer than ${this.limits.statementTimeoutSeconds} s (preflight.statementTimeoutSeconds)`,
          ),
        );
      } else {
        const finding = findingOfCount(planned, outcome, this.facts.strict);
        if (finding) findings.push(finding);
      }
    }
    return { findings, count };
  }

  /**
   * On a scratch database: the applied ups up to the database's version, then each planned file in order, its
   * schema changes probed one at a time and the statements between them sent as runs of the file's own text.
   */
  async probe(steps: readonly StepScript[]): Promise<{ findings: RawFinding[]; count: number }> {
    const { request } = this;
    const real: RealDatabaseFacts = {
      name: this.server.database,
      characterSet: this.server.characterSet,
      collation: this.server.collation,
      serverDatabases: [],
    };
    // The runner's session settings (sql_mode, foreign_key_checks, ...) decide what the server accepts.
    const scratchServer = request.scratchServer
      ? { ...request.scratchServer, sessionSettings: request.database.sessionSettings }
      : request.database;
    const findings: RawFinding[] = [];
    let count = 0;
    const nothingProbed = (why: string) => {
      const first = steps[0];
      findings.push({
        ...first,
        statementIndex: 1,
        line: first.script.statements[0]?.line ?? 1,
        code: 'preflight-not-probed',
        message: `Nothing was probed: ${why.replace(/\.$/, '')}.`,
      });
    };
    try {
      await this.ports.withScratch(scratchServer, real, request.signal, async (scratch) => {
        const broken = await this.replayApplied(scratch);
        if (broken !== undefined) return nothingProbed(broken);
        for (const step of steps) {
          request.signal?.throwIfAborted();
          if (await this.probeScript(scratch, step, findings, () => count++)) return;
        }
      });
    } catch (error) {
      // Without a scratch database (an account that may not make one or its temporary user) the counts still stand.
      const unusable =
        isServerError(error) || error instanceof DatabaseConnectionError || error instanceof ScratchAccountRefusedError;
      if (request.signal?.aborted || !unusable) throw error;
      nothingProbed(`the scratch database could not be used: ${(error as Error).message}`);
    }
    return { findings, count };
  }

  /** Builds the schema at the database's version; the reason when an applied up fails on the scratch database. */
  private async replayApplied(scratch: ProbeScratch): Promise<string | undefined> {
    const { catalog, current, texts } = this.request;
    if (current.version < 0n) return undefined;
    for (const migration of catalog.migrations) {
      if (migration.version > current.version) break;
      const file = migration.up;
      const text = file && texts.get(file.fileName);
      if (!file || text === undefined) continue;
      this.request.signal?.throwIfAborted();
      const failure = await scratch.run(text, { version: migration.version, direction: 'up', fileName: file.fileName });
      if (failure) {
        return (
          `the schema at version ${current.version} cannot be rebuilt on a scratch database, as ${file.fileName} ` +
          `fails there (${serverErrorText(failure.serverCode, failure.serverMessage ?? 'failed')})`
        );
      }
    }
    return undefined;
  }

  /** Probes one file; true when a statement fails, after which the scratch schema no longer follows the run. */
  private async probeScript(
    scratch: ProbeScratch,
    step: StepScript,
    findings: RawFinding[],
    probed: () => void,
  ): Promise<boolean> {
    const { statements } = step.script;
    const at = (statement: PreflightStatement) => placeOf(step, statement);
    if (step.script.definesRoutine) {
      for (const statement of statements) {
        if (statement.probe) {
          findings.push({
            ...at(statement),
            code: 'preflight-not-probed',
            message:
              'Not probed: the file defines a routine, trigger or event, so its statements are sent together and ' +
              'cannot be asked about one at a time.',
          });
        }
      }
      return this.sendRun(scratch, step, statements, findings);
    }
    let run: PreflightStatement[] = [];
    for (const statement of statements) {
      if (!statement.probe || statement.notProbed !== undefined) {
        if (statement.probe) {
          findings.push({
            ...at(statement),
            code: 'preflight-not-probed',
            message: `Not probed: ${statement.notProbed}.`,
          });
        }
        run.push(statement);
        continue;
      }
      if (await this.sendRun(scratch, step, run, findings)) return true;
      run = [];
      probed();
      const outcome = await this.probeStatement(scratch, step, statement);
      findings.push(...this.findingsOf(step, statement, outcome));
      if (outcome.kind === 'fails') return true;
    }
    return this.sendRun(scratch, step, run, findings);
  }

  /** Sends consecutive statements of a file as one run of its text; true (and a finding) when one fails. */
  private async sendRun(
    scratch: ProbeScratch,
    step: StepScript,
    run: readonly PreflightStatement[],
    findings: RawFinding[],
  ): Promise<boolean> {
    if (run.length === 0) return false;
    const failure = await scratch.run(step.text.slice(run[0].start, run[run.length - 1].end), step);
    if (!failure) return false;
    const statement = run[Math.min((failure.statementIndex ?? 1) - 1, run.length - 1)];
    findings.push(this.failureFinding(step, statement, failure));
    return true;
  }

  private failureFinding(step: StepScript, statement: PreflightStatement, failure: MigrationFailure): RawFinding {
    return {
      ...placeOf(step, statement),
      code: 'preflight-statement-fails',
      message:
        `Fails on a copy of the schema it will meet: ${serverErrorText(failure.serverCode, failure.serverMessage ?? 'failed')}. ` +
        'It will fail on this database too, whatever its rows; nothing after it was probed.',
    };
  }

  /** Asks the server for the least disruptive way it accepts, in the order `probeAttempts` gives. */
  private async probeStatement(
    scratch: ProbeScratch,
    step: StepFile,
    statement: PreflightStatement,
  ): Promise<ProbeOutcome> {
    const probe = statement.probe!;
    let extra: { refusedAsWritten?: MigrationFailure } = {};
    if (probe.algorithm !== undefined || probe.lock !== undefined) {
      const failure = await scratch.run(statement.text, step);
      if (!failure) return { kind: 'executes', execution: writtenExecution(probe) };
      if (!readRefusal(failure.serverCode, failure.serverMessage ?? '')) return { kind: 'fails', failure };
      extra = { refusedAsWritten: failure };
    }
    const attempts = probeAttempts(this.flavour);
    for (let index = 0; index >= 0;) {
      const failure = await scratch.run(withAlgorithm(statement, attempts[index]), step);
      if (!failure) return { kind: 'executes', execution: this.withEngine(probe, attempts[index]), ...extra };
      const refusal = readRefusal(failure.serverCode, failure.serverMessage ?? '');
      if (!refusal) return this.plainRun(scratch, step, statement, failure, extra);
      index = nextAttempt(attempts, index, refusal);
    }
    return this.plainRun(scratch, step, statement, undefined, extra);
  }

  /**
   * The statement without any ALGORITHM or LOCK, after the server gave another error than a refusal for an attempt
   * (or refused them all): if it fails too, that is the statement's failure; else the attempt's clauses were the
   * trouble and the verdict is unknown.
   */
  private async plainRun(
    scratch: ProbeScratch,
    step: StepFile,
    statement: PreflightStatement,
    attemptFailure: MigrationFailure | undefined,
    extra: { refusedAsWritten?: MigrationFailure },
  ): Promise<ProbeOutcome> {
    const failure = await scratch.run(withAlgorithm(statement), step);
    if (failure) return { kind: 'fails', failure, ...extra };
    const why = attemptFailure
      ? `the server did not take an ALGORITHM clause here (${serverErrorText(attemptFailure.serverCode, attemptFailure.serverMessage ?? 'failed')})`
      : 'the server refused every ALGORITHM and LOCK, yet runs it without them';
    return { kind: 'unknown', reason: why, ...extra };
  }

  /** A change of engine copies the table even where the server accepted INSTANT (MariaDB, measured). */
  private withEngine(probe: NonNullable<PreflightStatement['probe']>, execution: Execution): Execution {
    const current = this.facts.tables.get(probe.table)?.engine;
    const engineChange = probe.engine !== undefined && current !== undefined && probe.engine !== current.toUpperCase();
    return engineChange ? { ...execution, engineChange } : execution;
  }

  private findingsOf(step: StepScript, statement: PreflightStatement, outcome: ProbeOutcome): RawFinding[] {
    const place = placeOf(step, statement);
    const findings: RawFinding[] = [];
    const refused = outcome.refusedAsWritten;
    if (refused) {
      findings.push({
        ...place,
        code: 'preflight-refused-as-written',
        message:
          `The server refuses this statement's own ALGORITHM or LOCK: ` +
          `${serverErrorText(refused.serverCode, refused.serverMessage ?? 'refused')}. It fails and leaves the ` +
          'database dirty.',
      });
    }
    if (outcome.kind === 'fails') return [...findings, this.failureFinding(step, statement, outcome.failure)];
    if (outcome.kind === 'unknown') {
      return [...findings, { ...place, code: 'preflight-not-probed', message: `Not probed: ${outcome.reason}.` }];
    }
    const probe = statement.probe!;
    const table = this.facts.tables.get(probe.table);
    const verdict = executionWords(outcome.execution, probe.table, table && { rows: table.rows, bytes: table.bytes });
    let message = `${capitalised(verdict.words)}.`;
    let extra: Pick<RawFinding, 'fix' | 'onlineCommand'> = {};
    if (verdict.blocking) {
      const alter = onlineAlterText(statement);
      const command =
        alter === undefined ? undefined : onlineSchemaChangeCommand(this.toolTarget(), probe.table, alter);
      const canFix = probe.kind !== 'optimize' && probe.algorithm === undefined && probe.lock === undefined;
      message +=
        ' Instead: ' +
        (canFix ? 'add ALGORITHM=INPLACE, LOCK=NONE, so that the server refuses rather than blocks writes, or ' : '') +
        'run it with pt-online-schema-change (after --dry-run, the same with --execute)' +
        (command === undefined ? '.' : `:\n${command}`);
      extra = {
        ...(canFix && {
          fix: {
            title: 'Add ALGORITHM=INPLACE, LOCK=NONE (the server then refuses rather than blocks writes)',
            start: statement.start,
            end: statement.end,
            original: statement.text,
            replacement: withAlgorithm(statement, { algorithm: 'INPLACE', lock: 'NONE' }),
          },
        }),
        ...(command !== undefined && { onlineCommand: command }),
      };
    }
    findings.push({ ...place, code: verdict.code, message, execution: outcome.execution, ...extra });
    for (const key of this.foreignKeysOfChangedColumns(statement)) {
      findings.push({
        ...place,
        code: 'preflight-foreign-key-column',
        message:
          `${key.column} is used by the foreign key ${key.name} on this database: the server may refuse to change ` +
          'it (error 1832), which the scratch copy, built from the migrations, does not show.',
      });
    }
    return findings;
  }

  /** The foreign keys of the target that use a column the statement redefines with another type. */
  private foreignKeysOfChangedColumns(statement: PreflightStatement): { name: string; column: string }[] {
    const found: { name: string; column: string }[] = [];
    for (const change of statement.changes) {
      if (change.kind !== 'column') continue;
      const current = this.facts.tables.get(change.table)?.columns.get(change.column.toLowerCase());
      if (!current) continue;
      const sameType =
        current.dataType === change.type.name &&
        (change.type.length === undefined ||
          current.maxCharacters === undefined ||
          current.maxCharacters === change.type.length);
      if (sameType) continue;
      const column = change.column.toLowerCase();
      for (const key of this.facts.foreignKeys) {
        const uses =
          (key.table === change.table && key.columns.some((name) => name.toLowerCase() === column)) ||
          (key.parent === change.table && key.parentColumns.some((name) => name.toLowerCase() === column));
        if (uses) found.push({ name: key.name, column: `${change.table}.${change.column}` });
      }
    }
    return found;
  }

  private toolTarget(): OnlineToolTarget {
    const { database } = this.request;
    const endpoint =
      database.endpoint.kind === 'unix'
        ? { socket: database.endpoint.socketPath }
        : { host: database.endpoint.host, port: database.endpoint.port };
    return { database: this.server.database, user: database.user, ...endpoint };
  }
}

/** An error the server sent (it has an error number), as opposed to a failure of the code. */
function isServerError(error: unknown): boolean {
  return typeof (error as { errno?: unknown } | undefined)?.errno === 'number';
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
