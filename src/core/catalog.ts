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
 * change gives a new catalog by copying two flat arrays, with no re-sort and no re-parse.
 */
export class Catalog {
  private migrationList: readonly Migration[] | undefined;
  private duplicateList: readonly DuplicateMigration[] | undefined;

  private constructor(
    /** Versions ascending. */
    private readonly versions: readonly bigint[],
    /** The files of `versions[i]` at index i. */
    private readonly entries: readonly VersionFiles[],
    /** Names that do not match golang-migrate's rule, sorted. */
    readonly ignored: readonly string[],
  ) {}

  /** The catalog of an empty folder. */
  static readonly empty = new Catalog([], [], []);

  /** Builds the catalog of a folder listing; never throws, whatever the names. */
  static fromFiles(files: readonly SourceFile[]): Catalog {
    const parsed: MigrationFileName[] = [];
    const ignored: string[] = [];
    for (const { name } of files) {
      const migration = parseMigrationFileName(name);
      if (migration) parsed.push(migration);
      else ignored.push(name);
    }
    // One sort by version, then by name within a version: the order golang-migrate meets its files in.
    const compareNames = parsed.some((file) => HIGH_CODE_UNIT.test(file.fileName))
      ? compareFileNames
      : comparePlainNames;
    parsed.sort((a, b) =>
      a.version === b.version ? compareNames(a.fileName, b.fileName) : a.version < b.version ? -1 : 1,
    );
    const versions: bigint[] = [];
    const entries: { ups: MigrationFileName[]; downs: MigrationFileName[] }[] = [];
    let previous: string | undefined;
    for (const file of parsed) {
      if (file.fileName === previous) continue;
      previous = file.fileName;
      // One-element literals rather than pushes into empty arrays, which reserve room for 17: a version has one
      // file per direction but for duplicates.
      if (versions[versions.length - 1] !== file.version) {
        versions.push(file.version);
        entries.push(file.direction === 'up' ? { ups: [file], downs: [] } : { ups: [], downs: [file] });
        continue;
      }
      const entry = entries[entries.length - 1];
      if (file.direction === 'up') {
        if (entry.ups.length === 0) entry.ups = [file];
        else entry.ups.push(file);
      } else if (entry.downs.length === 0) entry.downs = [file];
      else entry.downs.push(file);
    }
    return new Catalog(versions, entries, uniqueSorted(ignored));
  }

  /** Migrations ordered by numeric version. */
  get migrations(): readonly Migration[] {
    this.migrationList ??= this.versions.map((version, index) => toMigration(version, this.entries[index]));
    return this.migrationList;
  }

  /** Every version and direction that has more than one file. */
  get duplicates(): readonly DuplicateMigration[] {
    this.duplicateList ??= this.versions.flatMap((version, index) => {
      const { ups, downs } = this.entries[index];
      const found: DuplicateMigration[] = [];
      if (ups.length > 1) found.push({ version, direction: 'up', fileNames: ups.map((file) => file.fileName) });
      if (downs.length > 1) found.push({ version, direction: 'down', fileNames: downs.map((file) => file.fileName) });
      return found;
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
    const index = this.indexOf(version);
    return index < 0 ? undefined : toMigration(version, this.entries[index]);
  }

  /** Every file, matching or duplicate, of a version, sorted by name. */
  filesOf(version: bigint): readonly MigrationFileName[] {
    const index = this.indexOf(version);
    if (index < 0) return [];
    const { ups, downs } = this.entries[index];
    return [...ups, ...downs].sort((a, b) => compareFileNames(a.fileName, b.fileName));
  }

  /** golang-migrate's `versionExists`: an up or a down file exists. */
  has(version: bigint): boolean {
    return this.indexOf(version) >= 0;
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
      return new Catalog(this.versions, this.entries, insertAt(this.ignored, index, name));
    }
    const position = lowerBound(this.versions, parsed.version);
    if (this.versions[position] !== parsed.version) {
      const entry = parsed.direction === 'up' ? { ups: [parsed], downs: [] } : { ups: [], downs: [parsed] };
      return new Catalog(
        insertAt(this.versions, position, parsed.version),
        insertAt(this.entries, position, entry),
        this.ignored,
      );
    }
    const existing = this.entries[position];
    const sameDirection = parsed.direction === 'up' ? existing.ups : existing.downs;
    const index = lowerBoundBy(sameDirection, parsed, (a, b) => compareFileNames(a.fileName, b.fileName));
    if (sameDirection[index]?.fileName === name) return this;
    const updated = insertAt(sameDirection, index, parsed);
    const entry =
      parsed.direction === 'up' ? { ups: updated, downs: existing.downs } : { ups: existing.ups, downs: updated };
    return new Catalog(this.versions, replaceAt(this.entries, position, entry), this.ignored);
  }

  /** A new catalog without a file; removing a name not present returns this catalog. */
  withFileRemoved(name: string): Catalog {
    const parsed = parseMigrationFileName(name);
    if (!parsed) {
      const index = lowerBoundBy(this.ignored, name, compareFileNames);
      if (this.ignored[index] !== name) return this;
      return new Catalog(this.versions, this.entries, removeAt(this.ignored, index));
    }
    const position = this.indexOf(parsed.version);
    if (position < 0) return this;
    const existing = this.entries[position];
    const sameDirection = parsed.direction === 'up' ? existing.ups : existing.downs;
    const index = sameDirection.findIndex((file) => file.fileName === name);
    if (index < 0) return this;
    const updated = removeAt(sameDirection, index);
    const entry =
      parsed.direction === 'up' ? { ups: updated, downs: existing.downs } : { ups: existing.ups, downs: updated };
    if (entry.ups.length + entry.downs.length === 0) {
      return new Catalog(removeAt(this.versions, position), removeAt(this.entries, position), this.ignored);
    }
    return new Catalog(this.versions, replaceAt(this.entries, position, entry), this.ignored);
  }

  private indexOf(version: bigint): number {
    const index = lowerBound(this.versions, version);
    return this.versions[index] === version ? index : -1;
  }
}

function toMigration(version: bigint, { ups, downs }: VersionFiles): Migration {
  const up: MigrationFileName | undefined = ups[0];
  const down: MigrationFileName | undefined = downs[0];
  return { version, identifier: (up ?? down).identifier, up, down };
}

/** Go's byte order agrees with the plain comparison unless a name holds characters from U+D800 up. */
const HIGH_CODE_UNIT = /[\ud800-\uffff]/;

function comparePlainNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniqueSorted(names: string[]): string[] {
  names.sort(names.some((name) => HIGH_CODE_UNIT.test(name)) ? compareFileNames : comparePlainNames);
  return names.filter((name, index) => index === 0 || name !== names[index - 1]);
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

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function removeAt<T>(items: readonly T[], index: number): T[] {
  const copy = items.slice();
  copy.splice(index, 1);
  return copy;
}
