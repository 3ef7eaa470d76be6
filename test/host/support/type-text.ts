import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TYPE_MARKER = '__TYPE__';

/**
 * Has the launcher type `text` into the next input box the workbench shows, then press Enter, as a user would (the
 * test API cannot type into an input box). The text goes through a private file, never through a log line.
 */
export function typeIntoNextInputBox(text: string): void {
  const file = path.join(tmpdir(), `ml-type-${randomBytes(6).toString('hex')}`);
  writeFileSync(file, text, { mode: 0o600 });
  console.log(`${TYPE_MARKER} ${file}`);
}
