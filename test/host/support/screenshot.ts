import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../../db/support';
import { repositoryRoot } from './extension';

const SCREENSHOT_MARKER = '__SCREENSHOT__';

/**
 * Asks the launcher for a picture of the whole workbench as it is now, and resolves with its path once written
 * (out/screenshots/NAME.png). With MIGRATION_LENS_SCREENSHOTS=docs it is also copied to docs/screenshots/NAME.png,
 * so pictures for the README change only when someone asks for it.
 */
export async function screenshot(name: string): Promise<string> {
  const file = path.join(repositoryRoot, 'out', 'screenshots', `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  console.log(`${SCREENSHOT_MARKER} ${file}`);
  await waitFor(`screenshot ${file}`, () => Promise.resolve(existsSync(file) ? true : undefined), 20_000);
  if (process.env['MIGRATION_LENS_SCREENSHOTS'] === 'docs') {
    const published = path.join(repositoryRoot, 'docs', 'screenshots', `${name}.png`);
    mkdirSync(path.dirname(published), { recursive: true });
    copyFileSync(file, published);
  }
  return file;
}
