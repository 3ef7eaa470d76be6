/**
 * Reads a migrations folder as golang-migrate's file source sees it: the plain files at its top level. Subdirectories
 * are reported apart (golang-migrate ignores them). Contents are read with bounded concurrency so a folder of tens of
 * thousands of files never opens them all at once.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../core/model';

/** Files read at the same time at most. */
const READ_CONCURRENCY = 64;

/** A file as read from disk; `invalidUtf8` is set when its bytes are not valid UTF-8 (the text then holds U+FFFD). */
export interface ReadSourceFile extends SourceFile {
  readonly content: string;
  readonly invalidUtf8: boolean;
}

export interface FolderListing<File extends SourceFile = SourceFile> {
  /** Plain files (and links to files) at the top level, in directory order. */
  readonly files: readonly File[];
  /** Names of the subdirectories, which golang-migrate does not read. */
  readonly subdirectories: readonly string[];
}

/** Names only: one directory read. */
export async function listMigrationFolder(folder: string): Promise<FolderListing> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: SourceFile[] = [];
  const subdirectories: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) subdirectories.push(entry.name);
    else if (entry.isFile() || entry.isSymbolicLink()) files.push({ name: entry.name });
  }
  return { files, subdirectories };
}

/** Names and contents. Files that vanish between the listing and the read are left out. */
export async function readMigrationFolder(folder: string): Promise<FolderListing<ReadSourceFile>> {
  const listing = await listMigrationFolder(folder);
  const read = await mapBounded(listing.files, READ_CONCURRENCY, async (file) => {
    try {
      return await readSourceFile(folder, file.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return undefined;
      throw error;
    }
  });
  return { files: read.filter((file) => file !== undefined), subdirectories: listing.subdirectories };
}

/** One file of the folder, for an incremental update after a change on disk. */
export async function readSourceFile(folder: string, name: string): Promise<ReadSourceFile> {
  const bytes = await readFile(path.join(folder, name));
  return { name, ...decodeUtf8(bytes) };
}

/** Decodes bytes as UTF-8, telling whether they were valid (a leading byte order mark is kept, as Go keeps it). */
export function decodeUtf8(bytes: Uint8Array): { content: string; invalidUtf8: boolean } {
  try {
    return { content: strictDecoder.decode(bytes), invalidUtf8: false };
  } catch {
    return { content: lenientDecoder.decode(bytes), invalidUtf8: true };
  }
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

async function mapBounded<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
