/**
 * A migrations folder read once for many sessions that only look (a fleet's status, its dry run): listed once and
 * each file read once, however many databases share it. A run keeps a source of its own, so that what it re-reads
 * under the lock is the disk as it is then.
 */
import type { MigrationSource, SourceListing } from '../core/run-ports';

export class ReadOnceSource implements MigrationSource {
  private listing: Promise<SourceListing> | undefined;
  private readonly texts = new Map<string, Promise<string>>();

  constructor(private readonly source: MigrationSource) {}

  get location(): string {
    return this.source.location;
  }

  list(): Promise<SourceListing> {
    this.listing ??= this.source.list();
    return this.listing;
  }

  read(fileName: string): Promise<string> {
    let text = this.texts.get(fileName);
    if (text === undefined) this.texts.set(fileName, (text = this.source.read(fileName)));
    return text;
  }
}
