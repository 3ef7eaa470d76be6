/**
 * Reads a migrations folder as golang-migrate's file source sees it: the plain files at its top level. Subdirectories
 * are reported apart (golang-migrate ignores them). A whole folder is read synchronously, one file open at a time, in
 * batches that hand the event loop back in between: for thousands of small files this is several times faster than
 * one promise per file through the thread pool, and never holds more than one file open.
 */
import { closeSync, type Dirent, opendirSync, openSync, readFileSync, readSync, type Stats, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../core/model';

/** Files read between two turns of the event loop (a few milliseconds of work). */
const READ_BATCH = 500;

/** Migration files are small: one reused buffer holds most of them whole, so reading one allocates only its text. */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

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

/** Names only: one pass over the directory. */
export function listMigrationFolder(folder: string): Promise<FolderListing> {
  return scanFolder(folder, (_path, name) => ({ name }));
}

/** Names and contents. Files that vanish between the listing and the read are left out. */
export function readMigrationFolder(folder: string): Promise<FolderListing<ReadSourceFile>> {
  return scanFolder(folder, readListedFile);
}

/** The folder's subdirectories, and `fileOf` of each file (left out when it gives undefined). */
async function scanFolder<File extends SourceFile>(
  folder: string,
  fileOf: (filePath: string, name: string) => File | undefined,
): Promise<FolderListing<File>> {
  // Listed names hold no separator, so joining is a concatenation: path.join would normalize 20,000 paths.
  const prefix = path.join(folder, path.sep);
  const files: File[] = [];
  const subdirectories: string[] = [];
  await forEachEntry(folder, (entry) => {
    const kind = kindOf(entry, prefix);
    if (kind === 'directory') subdirectories.push(entry.name);
    else if (kind === 'file') {
      const file = fileOf(prefix + entry.name, entry.name);
      if (file) files.push(file);
    }
  });
  return { files, subdirectories };
}

/**
 * A directory entry as a folder read sees it. A link counts as what it points to, and is left out when that is
 * neither a file nor a directory: opening a link to a named pipe would block until something writes to the pipe, and
 * a broken or looping link has nothing to read.
 */
function kindOf(entry: Dirent, prefix: string): 'file' | 'directory' | undefined {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (!entry.isSymbolicLink()) return undefined;
  let target: Stats | undefined;
  try {
    target = statSync(prefix + entry.name, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  return target?.isFile() ? 'file' : target?.isDirectory() ? 'directory' : undefined;
}

/**
 * Visits the top level of a folder in directory order, one entry at a time and handing the event loop back every
 * `READ_BATCH` entries. A folder's entries are never all held at once: for 20,000 files that list alone would be
 * several megabytes that live through the whole read.
 */
async function forEachEntry(folder: string, visit: (entry: Dirent) => void): Promise<void> {
  const directory = opendirSync(folder);
  try {
    for (let count = 1, entry = directory.readSync(); entry !== null; count++, entry = directory.readSync()) {
      visit(entry);
      if (count % READ_BATCH === 0) await nextTurnOfEventLoop();
    }
  } finally {
    directory.closeSync();
  }
}

/** One file of the folder, for an incremental update after a change on disk. */
export async function readSourceFile(folder: string, name: string): Promise<ReadSourceFile> {
  return decodedFile(name, await readFile(path.join(folder, name)));
}

/** Decodes bytes as UTF-8, telling whether they were valid (a leading byte order mark is kept, as Go keeps it). */
export function decodeUtf8(bytes: Uint8Array): { content: string; invalidUtf8: boolean } {
  try {
    return { content: strictDecoder.decode(bytes), invalidUtf8: false };
  } catch {
    return { content: lenientDecoder.decode(bytes), invalidUtf8: true };
  }
}

/** Named fields rather than a spread: the decoded pair never outlives this call, so it costs no copy. */
function decodedFile(name: string, bytes: Uint8Array): ReadSourceFile {
  const { content, invalidUtf8 } = decodeUtf8(bytes);
  return { name, content, invalidUtf8 };
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function nextTurnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A listed file read whole; `undefined` when it vanished since the listing or turned out to be a directory. */
function readListedFile(filePath: string, name: string): ReadSourceFile | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const length = readSync(descriptor, readBuffer, 0, readBuffer.length, null);
    const bytes =
      length < readBuffer.length
        ? readBuffer.subarray(0, length)
        : Buffer.concat([readBuffer, readFileSync(descriptor)]);
    return decodedFile(name, bytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  } finally {
    closeSync(descriptor);
  }
}
