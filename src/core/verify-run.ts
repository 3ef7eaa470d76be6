import type { MigrationFailure } from './errors';
import type { Catalog } from './catalog';
import type { Direction, MigrationFileName } from './model';
import { compareSnapshots, type SchemaDifference } from './verify-compare';
import { findSchemaNames } from './verify-schema-names';
import type { SchemaSnapshot } from './verify-snapshot';
import {
  describeFailure,
  REACHES_OUTSIDE,
  reachesOutside,
  type FileSchemaNameReference,
  type Verdict,
  type VerifyReport,
  type VerifyStop,
  type VersionVerdict,
} from './verify-verdict';

/** A migration file's name and text. */
export interface MigrationText {
  readonly fileName: string;
  readonly sql: string;
}

/** One version as Verify needs it: either file may be missing. */
export interface VerifyMigration {
  readonly version: bigint;
  readonly identifier: string;
  readonly up?: MigrationText;
  readonly down?: MigrationText;
}

/**
 * The versions of a folder with their files' text. A folder golang-migrate refuses (two files for one version and
 * direction) is refused here too, with the same error.
 */
export function verifyMigrationsOf(catalog: Catalog, contentOf: (fileName: string) => string): VerifyMigration[] {
  const error = catalog.sourceError;
  if (error) throw error;
  const text = (file: MigrationFileName | undefined): MigrationText | undefined =>
    file && { fileName: file.fileName, sql: contentOf(file.fileName) };
  return catalog.migrations.map((migration) => ({
    version: migration.version,
    identifier: migration.identifier,
    up: text(migration.up),
    down: text(migration.down),
  }));
}

/** The scratch database Verify works on; the adapter owns its lifecycle. */
export interface ScratchDatabase {
  /** The schema as it is now. */
  snapshot(): Promise<SchemaSnapshot>;
  /** Runs a file's whole text as golang-migrate does (one multi-statement query); a SQL failure is returned, not thrown. */
  run(version: bigint, direction: Direction, file: MigrationText): Promise<MigrationFailure | undefined>;
  /** Drops everything in the scratch database, so the state can be rebuilt by replaying ups. */
  reset(): Promise<void>;
}

export type VerifyStep = 'preparing' | 'up' | 'down' | 'up again' | 'restoring';

export interface VerifyProgress {
  /** 0-based position of `version` among the versions being verified. */
  readonly index: number;
  readonly total: number;
  readonly version: bigint;
  readonly step: VerifyStep;
}

export interface VerifyOptions {
  /** First version to verify (inclusive); earlier ups are applied without verifying them. */
  readonly from?: bigint;
  /** Last version to verify (inclusive). */
  readonly to?: bigint;
  /** Database names a qualifier is compared with anywhere in the SQL: the real database and the server's others. */
  readonly knownSchemas?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** Called as soon as a version's verdict is known, so views can fill in while the run goes on. */
  readonly onVerdict?: (verdict: VersionVerdict) => void;
}

/**
 * For each version in order: snapshot, up, snapshot, down, compare with the snapshot before the up, up again, compare
 * with the snapshot after the first up; then go on from the up state. Stops at the first up that fails or reaches
 * outside the scratch database (later versions depend on it). When a broken down leaves the scratch database in an unknown state, it is rebuilt by
 * replaying the ups, so one broken version never makes the next ones look broken.
 */
export async function verifyMigrations(
  migrations: readonly VerifyMigration[],
  scratch: ScratchDatabase,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  return new VerifyRun(migrations, scratch, options).run();
}

class VerifyRun {
  private readonly ordered: readonly VerifyMigration[];
  private readonly selected: readonly VerifyMigration[];
  private readonly verdicts: VersionVerdict[] = [];
  private current: SchemaSnapshot | undefined;

  constructor(
    migrations: readonly VerifyMigration[],
    private readonly scratch: ScratchDatabase,
    private readonly options: VerifyOptions,
  ) {
    this.ordered = [...migrations].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    this.selected = this.ordered.filter(
      (migration) =>
        (options.from === undefined || migration.version >= options.from) &&
        (options.to === undefined || migration.version <= options.to),
    );
  }

  async run(): Promise<VerifyReport> {
    const first = this.selected[0];
    if (first === undefined) return { versions: [], cancelled: false };
    const stoppedWhilePreparing = await this.unlessCancelled(this.prepare(first));
    if (stoppedWhilePreparing !== undefined || this.cancelled) return this.finish(0, stoppedWhilePreparing);
    for (const [index, migration] of this.selected.entries()) {
      if (this.cancelled) return this.finish(index, undefined);
      const verdict = await this.unlessCancelled(this.verifyVersion(index, migration));
      if (verdict === undefined || this.cancelled) return this.finish(index, undefined);
      this.record(migration, verdict);
      if (verdict.kind === 'up-failed') {
        return this.finish(index + 1, {
          reason: `version ${migration.version}'s up fails and later versions depend on it`,
          broken: true,
        });
      }
      if (verdict.kind === 'unverifiable' && verdict.references.some((reference) => reference.direction === 'up')) {
        return this.finish(index + 1, {
          reason: `version ${migration.version}'s up cannot run on a scratch database and later versions depend on it`,
          broken: false,
        });
      }
      if (verdict.kind === 'reaches-outside' && verdict.step === 'up') {
        return this.finish(index + 1, {
          reason: `version ${migration.version}'s up ${REACHES_OUTSIDE} and later versions depend on it`,
          broken: false,
        });
      }
    }
    return this.finish(this.selected.length, undefined);
  }

  private get cancelled(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** A cancel interrupts the running query, so whatever it makes fail afterwards is the cancel, not a finding. */
  private async unlessCancelled<T>(work: Promise<T>): Promise<T | undefined> {
    try {
      return await work;
    } catch (error) {
      if (this.cancelled) return undefined;
      throw error;
    }
  }

  /** Applies the ups below the first version to verify; returns why it stopped, if it did. */
  private async prepare(first: VerifyMigration): Promise<VerifyStop | undefined> {
    for (const migration of this.ordered) {
      if (migration.version >= first.version) break;
      if (!migration.up) continue;
      const references = this.schemaNames(migration).filter((reference) => reference.direction === 'up');
      if (references.length > 0) {
        return {
          reason: `version ${migration.version}'s up, needed to reach version ${first.version}, cannot run on a scratch database (hard-coded schema name ${references[0].text})`,
          broken: false,
        };
      }
      const failure = await this.runFile(0, first.version, 'preparing', migration, 'up');
      if (failure) {
        const outside = reachesOutside(failure);
        return {
          reason: `version ${migration.version}'s up, needed to reach version ${first.version}, ${outside ? REACHES_OUTSIDE : 'fails'}: ${describeFailure(failure)}`,
          broken: !outside,
        };
      }
    }
    return undefined;
  }

  private async verifyVersion(index: number, migration: VerifyMigration): Promise<Verdict> {
    const references = this.schemaNames(migration);
    if (!migration.up) return { kind: 'no-up' };
    if (references.some((reference) => reference.direction === 'up')) return { kind: 'unverifiable', references };
    const before = this.current ?? (await this.scratch.snapshot());
    const upFailure = await this.runFile(index, migration.version, 'up', migration, 'up');
    if (upFailure) return failed('up', upFailure, { kind: 'up-failed', failure: upFailure });
    const afterUp = await this.scratch.snapshot();
    this.current = afterUp;
    if (references.length > 0) return { kind: 'unverifiable', references };
    if (!migration.down) return { kind: 'no-down' };

    const downFailure = await this.runFile(index, migration.version, 'down', migration, 'down');
    if (downFailure) {
      await this.restoreUpState(index, migration, afterUp, false);
      return failed('down', downFailure, { kind: 'down-failed', failure: downFailure });
    }
    const differences = compareSnapshots(before, await this.scratch.snapshot());
    if (differences.length > 0) {
      await this.restoreUpState(index, migration, afterUp, true);
      return { kind: 'down-differs', differences };
    }

    const againFailure = await this.runFile(index, migration.version, 'up again', migration, 'up');
    if (againFailure) {
      await this.restoreUpState(index, migration, afterUp, false);
      return failed('up again', againFailure, { kind: 'up-not-repeatable', failure: againFailure, differences: [] });
    }
    const afterAgain = await this.scratch.snapshot();
    const againDifferences: SchemaDifference[] = compareSnapshots(afterUp, afterAgain, 'appears');
    if (againDifferences.length > 0) {
      await this.rebuild(index, migration);
      return { kind: 'up-not-repeatable', differences: againDifferences };
    }
    this.current = afterAgain;
    return { kind: 'verified' };
  }

  /**
   * Brings the scratch database back to the state after `migration`'s up, which the next version starts from. The
   * cheap ways first: nothing to do when the failed down changed nothing, or running the up again may succeed;
   * otherwise rebuild from scratch.
   */
  private async restoreUpState(
    index: number,
    migration: VerifyMigration,
    afterUp: SchemaSnapshot,
    tryUpAgain: boolean,
  ): Promise<void> {
    this.throwIfCancelled();
    const now = await this.scratch.snapshot();
    if (compareSnapshots(afterUp, now).length === 0) return;
    if (tryUpAgain && migration.up) {
      const failure = await this.runFile(index, migration.version, 'restoring', migration, 'up');
      if (!failure && compareSnapshots(afterUp, await this.scratch.snapshot()).length === 0) return;
    }
    await this.rebuild(index, migration);
  }

  /** Empties the scratch database and replays every up up to `migration`'s. */
  private async rebuild(index: number, migration: VerifyMigration): Promise<void> {
    this.throwIfCancelled();
    await this.scratch.reset();
    for (const earlier of this.ordered) {
      if (earlier.version > migration.version) break;
      if (!earlier.up) continue;
      const failure = await this.runFile(index, migration.version, 'restoring', earlier, 'up');
      if (failure) {
        throw new Error(
          `could not rebuild the scratch database: version ${earlier.version}'s up, which ran before, now fails: ${describeFailure(failure)}`,
        );
      }
    }
    this.current = await this.scratch.snapshot();
  }

  /**
   * Reports the step, then runs one file. A cancel is checked first and after: it interrupts the running statement,
   * which may then end without an error (an interrupted SLEEP does), so the result of a cancelled run means nothing.
   */
  private async runFile(
    index: number,
    version: bigint,
    step: VerifyStep,
    migration: VerifyMigration,
    direction: Direction,
  ): Promise<MigrationFailure | undefined> {
    const file = migration[direction];
    if (!file) return undefined;
    this.throwIfCancelled();
    this.progress(index, version, step);
    const failure = await this.scratch.run(migration.version, direction, file);
    this.throwIfCancelled();
    return failure;
  }

  private throwIfCancelled(): void {
    if (this.cancelled) throw new Error('cancelled');
  }

  private schemaNames(migration: VerifyMigration): FileSchemaNameReference[] {
    const known = this.options.knownSchemas ?? [];
    return (['up', 'down'] as const).flatMap((direction) => {
      const file = migration[direction];
      if (!file) return [];
      return findSchemaNames(file.sql, known).map((reference) => ({
        ...reference,
        direction,
        fileName: file.fileName,
      }));
    });
  }

  private record(migration: VerifyMigration, verdict: Verdict): void {
    const entry: VersionVerdict = {
      version: migration.version,
      identifier: migration.identifier,
      upFile: migration.up?.fileName,
      downFile: migration.down?.fileName,
      verdict,
    };
    this.verdicts.push(entry);
    this.options.onVerdict?.(entry);
  }

  /** Marks every version from `from` on as not verified and closes the report. */
  private finish(from: number, stopped: VerifyStop | undefined): VerifyReport {
    const reason = this.cancelled ? 'cancelled' : stopped?.reason;
    if (reason !== undefined) {
      for (const migration of this.selected.slice(from)) this.record(migration, { kind: 'not-verified', reason });
    }
    return { versions: this.verdicts, stopped, cancelled: this.cancelled };
  }

  private progress(index: number, version: bigint, step: VerifyStep): void {
    this.options.onProgress?.({ index, total: this.selected.length, version, step });
  }
}

/** A failed file's verdict: whatever the step, a failure for want of a privilege is the file reaching outside. */
function failed(step: 'up' | 'down' | 'up again', failure: MigrationFailure, otherwise: Verdict): Verdict {
  return reachesOutside(failure) ? { kind: 'reaches-outside', step, failure } : otherwise;
}
