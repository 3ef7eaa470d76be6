/**
 * The Go files of a folder tree, read once and then kept current file by file: a saved file is parsed again, the
 * others are not. Tests, vendored code and hidden folders are left out, as `go build` leaves them out.
 */
import { readFileSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { GoFile } from '../core/go-declarations';
import type { GoReader } from './go-syntax';

/** Files read synchronously between two turns of the event loop: a thread-pool round trip per file costs more. */
const READ_BATCH = 100;

/** Folders `go build` never compiles into a package of the module. */
const SKIPPED_FOLDERS = new Set(['vendor', 'testdata', 'node_modules']);

function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name) || name.startsWith('.') || name.startsWith('_');
}

export function isGoSourceFile(name: string): boolean {
  return name.endsWith('.go') && !name.endsWith('_test.go') && !name.startsWith('.') && !name.startsWith('_');
}

/** The Go reader, loaded on first use (the vendor file with the WebAssembly grammar). */
export async function loadGoReader(): Promise<GoReader> {
  const { goReader } = await import('./go-syntax');
  return goReader();
}

/** Every Go source file under `root`, depth first, in name order. */
export async function listGoFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) await walk(full);
      } else if (entry.isFile() && isGoSourceFile(entry.name)) {
        found.push(full);
      }
    }
  };
  await walk(root);
  return found;
}

/** A file's text, read at once: one small file costs less than a round trip to the thread pool. */
function readTextFile(filePath: string): string | undefined {
  try {
    return readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}

/** The parsed Go files of a folder tree, each parsed again only when its text changed. */
export class GoSourceIndex {
  private readonly parsed = new Map<string, { readonly text: string; readonly file: GoFile }>();

  constructor(
    readonly root: string,
    private readonly reader: GoReader,
  ) {}

  /** Lists the tree again and reads every file; unchanged texts keep their parse. */
  async refresh(): Promise<GoFile[]> {
    const paths = await listGoFiles(this.root);
    const wanted = new Set(paths);
    for (const known of this.parsed.keys()) if (!wanted.has(known)) this.parsed.delete(known);
    for (const [index, filePath] of paths.entries()) {
      if (index > 0 && index % READ_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
      const text = readTextFile(filePath);
      if (text === undefined) this.parsed.delete(filePath);
      else this.put(filePath, text);
    }
    return this.files;
  }

  /** One file changed (saved, or its unsaved text given): only it is parsed again. Deleted: forgotten. */
  update(filePath: string, text?: string): GoFile[] {
    const current = text ?? readTextFile(filePath);
    if (current === undefined) this.parsed.delete(filePath);
    else this.put(filePath, current);
    return this.files;
  }

  /** Whether `filePath` is a Go source file this index reads. */
  covers(filePath: string): boolean {
    const relative = path.relative(this.root, filePath);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    return isGoSourceFile(parts.at(-1)!) && !parts.slice(0, -1).some(isSkippedFolder);
  }

  /** The text a file was last parsed from. */
  text(filePath: string): string | undefined {
    return this.parsed.get(filePath)?.text;
  }

  get files(): GoFile[] {
    return [...this.parsed.values()].map((entry) => entry.file);
  }

  private put(filePath: string, text: string): void {
    if (this.parsed.get(filePath)?.text === text) return;
    this.parsed.set(filePath, { text, file: this.reader.read(filePath, text) });
  }
}
