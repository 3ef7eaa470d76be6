import { DuplicateMigrationError } from './errors';
import type { Direction, MigrationFileName, SourceFile } from './model';
import { compareFileNames, parseMigrationFileName } from './names';

/** One version of the folder: its up and down files as golang-migrate would pick them (the first in sorted order). */
export interface Migration {
  readonly version: bigint;
  /** The identifier of the up file, else of the down file. */
  readonly identifier: string;
  readonly up?: MigrationFileName;
  readonly down?: MigrationFileName;
}

/** Several files share one version and direction; `fileNames` are sorted, golang-migrate keeps the first. */
export interface DuplicateMigration {
  readonly version: bigint;
  readonly direction: Direction;
  readonly fileNames: readonly string[];
}

interface VersionFiles {
  readonly ups: readonly MigrationFileName[];
  readonly downs: readonly MigrationFileName[];
}

/**
 * The migrations folder as golang-migrate's file source reads it, plus what it silently skips. Immutable: a one-file
 * change gives a new catalog in O(number of versions) array and map copies, with no re-sort and no re-parse.
 */
export class Catalog {
  private migrationList: readonly Migration[] | undefined;
  private duplicateList: readonly DuplicateMigration[] | undefined;

  private constructor(
    /** Versions ascending. */
    private readonly versions: readonly bigint[],
    private readonly files: ReadonlyMap<bigint, VersionFiles>,
    /** Names that do not match golang-migrate's rule, sorted. */
    readonly ignored: readonly string[],
  ) {}

  /** The catalog of an empty folder. */
  static readonly empty = new Catalog([], new Map(), []);

  /** Builds the catalog of a folder listing; never throws, whatever the names. */
  static fromFiles(files: readonly SourceFile[]): Catalog {
    const names = files.map((file) => file.name).sort(compareFileNames);
    const byVersion = new Map<bigint, { ups: MigrationFileName[]; downs: MigrationFileName[] }>();
    const ignored: string[] = [];
    let previous: string | undefined;
    for (const name of names) {
      if (name === previous) continue;
      previous = name;
      const parsed = parseMigrationFileName(name);
      if (!parsed) {
        ignored.push(name);
        continue;
      }
      let entry = byVersion.get(parsed.version);
      if (!entry) byVersion.set(parsed.version, (entry = { ups: [], downs: [] }));
      (parsed.direction === 'up' ? entry.ups : entry.downs).push(parsed);
    }
    const versions = [...byVersion.keys()].sort(compareVersions);
    return new Catalog(versions, byVersion, ignored);
  }

  /** Migrations ordered by numeric version. */
  get migrations(): readonly Migration[] {
    this.migrationList ??= this.versions.map((version) => this.get(version)!);
    return this.migrationList;
  }

  /** Every version and direction that has more than one file. */
  get duplicates(): readonly DuplicateMigration[] {
    this.duplicateList ??= this.versions.flatMap((version) => {
      const { ups, downs } = this.files.get(version)!;
      return [
        ...(ups.length > 1 ? [{ version, direction: 'up' as const, fileNames: ups.map((file) => file.fileName) }] : []),
        ...(downs.length > 1
          ? [{ version, direction: 'down' as const, fileNames: downs.map((file) => file.fileName) }]
          : []),
      ];
    });
    return this.duplicateList;
  }

  /**
   * The error golang-migrate gives when opening this folder: it reads names in sorted order and stops at the first
   * one whose version and direction it has already seen.
   */
  get sourceError(): DuplicateMigrationError | undefined {
    let found: DuplicateMigration | undefined;
    for (const duplicate of this.duplicates) {
      if (!found || compareFileNames(duplicate.fileNames[1], found.fileNames[1]) < 0) found = duplicate;
    }
    return found && new DuplicateMigrationError(found.fileNames[1], found.fileNames[0]);
  }

  /** Number of versions. */
  get size(): number {
    return this.versions.length;
  }

  /** The migration of a version, if an up or a down file exists. */
  get(version: bigint): Migration | undefined {
    const files = this.files.get(version);
    if (!files) return undefined;
    const up: MigrationFileName | undefined = files.ups[0];
    const down: MigrationFileName | undefined = files.downs[0];
    return { version, identifier: (up ?? down).identifier, up, down };
  }

  /** Every file, matching or duplicate, of a version, sorted by name. */
  filesOf(version: bigint): readonly MigrationFileName[] {
    const files = this.files.get(version);
    return files ? [...files.ups, ...files.downs].sort((a, b) => compareFileNames(a.fileName, b.fileName)) : [];
  }

  /** golang-migrate's `versionExists`: an up or a down file exists. */
  has(version: bigint): boolean {
    return this.files.has(version);
  }

  /** The lowest version, as the source's `First`. */
  first(): bigint | undefined {
    return this.versions[0];
  }

  /** The highest version. */
  last(): bigint | undefined {
    return this.versions[this.versions.length - 1];
  }

  /** The version after `version`, as the source's `Next`: undefined when `version` is last or not in the folder. */
  next(version: bigint): bigint | undefined {
    const index = this.indexOf(version);
    return index < 0 ? undefined : this.versions[index + 1];
  }

  /** The version before `version`, as the source's `Prev`: undefined when `version` is first or not in the folder. */
  prev(version: bigint): bigint | undefined {
    const index = this.indexOf(version);
    return index < 1 ? undefined : this.versions[index - 1];
  }

  /** The highest version strictly below `version`, whether or not `version` itself exists. */
  below(version: bigint): bigint | undefined {
    const index = lowerBound(this.versions, version);
    return index > 0 ? this.versions[index - 1] : undefined;
  }

  /** A new catalog with one more file; adding a name already present returns this catalog. */
  withFileAdded(name: string): Catalog {
    const parsed = parseMigrationFileName(name);
    if (!parsed) {
      const index = lowerBoundBy(this.ignored, name, compareFileNames);
      if (this.ignored[index] === name) return this;
      return new Catalog(this.versions, this.files, insertAt(this.ignored, index, name));
    }
    const existing = this.files.get(parsed.version);
    const sameDirection = (parsed.direction === 'up' ? existing?.ups : existing?.downs) ?? [];
    const index = lowerBoundBy(sameDirection, parsed, (a, b) => compareFileNames(a.fileName, b.fileName));
    if (sameDirection[index]?.fileName === name) return this;
    const updated = insertAt(sameDirection, index, parsed);
    const entry: VersionFiles =
      parsed.direction === 'up'
        ? { ups: updated, downs: existing?.downs ?? [] }
        : { ups: existing?.ups ?? [], downs: updated };
    const files = new Map(this.files).set(parsed.version, entry);
    const versions = existing
      ? this.versions
      : insertAt(this.versions, lowerBound(this.versions, parsed.version), parsed.version);
    return new Catalog(versions, files, this.ignored);
  }

  /** A new catalog without a file; removing a name not present returns this catalog. */
  withFileRemoved(name: string): Catalog {
    const parsed = parseMigrationFileName(name);
    if (!parsed) {
      const index = lowerBoundBy(this.ignored, name, compareFileNames);
      if (this.ignored[index] !== name) return this;
      return new Catalog(this.versions, this.files, removeAt(this.ignored, index));
    }
    const existing = this.files.get(parsed.version);
    if (!existing) return this;
    const sameDirection = parsed.direction === 'up' ? existing.ups : existing.downs;
    const index = sameDirection.findIndex((file) => file.fileName === name);
    if (index < 0) return this;
    const updated = removeAt(sameDirection, index);
    const entry: VersionFiles =
      parsed.direction === 'up' ? { ups: updated, downs: existing.downs } : { ups: existing.ups, downs: updated };
    const files = new Map(this.files);
    if (entry.ups.length + entry.downs.length === 0) {
      files.delete(parsed.version);
      return new Catalog(removeAt(this.versions, this.indexOf(parsed.version)), files, this.ignored);
    }
    files.set(parsed.version, entry);
    return new Catalog(this.versions, files, this.ignored);
  }

  private indexOf(version: bigint): number {
    const index = lowerBound(this.versions, version);
    return this.versions[index] === version ? index : -1;
  }
}

/** Builds the catalog of a folder listing (names, contents unused); never throws. */
export function buildCatalog(files: readonly SourceFile[]): Catalog {
  return Catalog.fromFiles(files);
}

function compareVersions(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: readonly bigint[], value: bigint): number {
  return lowerBoundBy(sorted, value, compareVersions);
}

function lowerBoundBy<T>(sorted: readonly T[], value: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle], value) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertAt<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy.splice(index, 0, item);
  return copy;
}

function removeAt<T>(items: readonly T[], index: number): T[] {
  const copy = items.slice();
  copy.splice(index, 1);
  return copy;
}
