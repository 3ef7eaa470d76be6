/**
 * Reads a migrations folder as golang-migrate's file source sees it: the plain files at its top level. Subdirectories
 * are reported apart (golang-migrate ignores them). A whole folder is read synchronously, one file open at a time, in
 * batches that hand the event loop back in between: for thousands of small files this is several times faster than
 * one promise per file through the thread pool, and never holds more than one file open.
 */
import {
  closeSync,
  type Dirent,
  existsSync,
  opendirSync,
  openSync,
  readFileSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { SourceUnreadableError } from '../core/errors';
import type { SourceFile } from '../core/model';
import type { MigrationSource, SourceListing } from '../core/run-ports';

/** Files read between two turns of the event loop (a few milliseconds of work). */
const READ_BATCH = 500;

/** Migration files are small: one reused buffer holds most of them whole, so reading one allocates only its text. */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** A file as read from disk; `invalidUtf8` is set when its bytes are not valid UTF-8 (the text then holds U+FFFD). */
export interface ReadSourceFile extends SourceFile {
  readonly content: string;
  readonly unreadable?: undefined;
  readonly invalidUtf8: boolean;
}

/** An entry listed but never opened: a broken or looping link, a named pipe. */
export interface UnreadableSourceFile extends SourceFile {
  readonly unreadable: string;
  readonly content?: undefined;
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
export function readMigrationFolder(folder: string): Promise<FolderListing<ReadSourceFile | UnreadableSourceFile>> {
  return scanFolder(folder, readListedFile);
}

/** The text of every file of a read listing that could be read, by name. */
export function contentsOf(listing: FolderListing<ReadSourceFile | UnreadableSourceFile>): Map<string, string> {
  const contents = new Map<string, string>();
  for (const file of listing.files) if (file.content !== undefined) contents.set(file.name, file.content);
  return contents;
}

/** The migrations folder of a run, behind the core's source port. */
export class FolderSource implements MigrationSource {
  private reads = 0;

  constructor(readonly location: string) {}

  async list(): Promise<SourceListing> {
    try {
      return await listMigrationFolder(this.location);
    } catch (error) {
      throw new SourceUnreadableError(this.location, systemReason(error));
    }
  }

  /** Read as the folder is, synchronously and handing the event loop back every `READ_BATCH` files. */
  async read(fileName: string): Promise<string> {
    if (++this.reads % READ_BATCH === 0) await nextTurnOfEventLoop();
    const filePath = path.join(this.location, fileName);
    let file: ReadSourceFile | undefined;
    try {
      file = readListedFile(filePath, fileName);
    } catch (error) {
      throw new SourceUnreadableError(filePath, systemReason(error));
    }
    if (file === undefined) {
      throw new SourceUnreadableError(
        filePath,
        existsSync(filePath) ? systemReason({ code: 'EISDIR' }) : systemReason({ code: 'ENOENT' }),
      );
    }
    if (file.invalidUtf8) throw notUtf8Error(this.location, fileName);
    return file.content;
  }
}

/** A migration file whose bytes are not UTF-8: golang-migrate would send them raw; we refuse and say why. */
export function notUtf8Error(folder: string, fileName: string): SourceUnreadableError {
  return new SourceUnreadableError(path.join(folder, fileName), 'it is not valid UTF-8; save it as UTF-8, then retry');
}

/** "no such directory", "permission denied", ...: what a file system error means, without the path it repeats. */
function systemReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'a link that points to itself (too many levels of symbolic links)';
    case 'EISDIR':
      return 'a directory, not a file';
    default:
      return (error as Error).message;
  }
}

/** The folder's subdirectories, and `fileOf` of each file (left out when it gives undefined). */
async function scanFolder<File extends SourceFile>(
  folder: string,
  fileOf: (filePath: string, name: string) => File | undefined,
): Promise<FolderListing<File | UnreadableSourceFile>> {
  // Listed names hold no separator, so joining is a concatenation: path.join would normalize 20,000 paths.
  const prefix = path.join(folder, path.sep);
  const files: (File | UnreadableSourceFile)[] = [];
  const subdirectories: string[] = [];
  await forEachEntry(folder, (entry) => {
    const kind = kindOf(entry, prefix);
    if (kind === 'directory') subdirectories.push(entry.name);
    else if (kind === 'file') {
      const file = fileOf(prefix + entry.name, entry.name);
      if (file) files.push(file);
    } else files.push({ name: entry.name, unreadable: kind.unreadable });
  });
  return { files, subdirectories };
}

/**
 * A directory entry as a folder read sees it. A link counts as what it points to. Anything else (a broken or looping
 * link, a named pipe, a socket) is listed, as golang-migrate lists it, but never opened: opening a named pipe blocks
 * until something writes to it.
 */
function kindOf(entry: Dirent, prefix: string): 'file' | 'directory' | { readonly unreadable: string } {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (!entry.isSymbolicLink()) return { unreadable: 'not a regular file' };
  let target: Stats | undefined;
  try {
    target = statSync(prefix + entry.name, { throwIfNoEntry: false });
  } catch (error) {
    return { unreadable: systemReason(error) };
  }
  if (target === undefined) return { unreadable: 'a link to nothing (its target does not exist)' };
  return target.isFile()
    ? 'file'
    : target.isDirectory()
      ? 'directory'
      : { unreadable: 'a link to something that is not a regular file' };
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
