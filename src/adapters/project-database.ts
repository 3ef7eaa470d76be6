import { parse as parseEnv } from 'dotenv';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findProjectDatabase, type ProjectDatabase, type ProjectFiles } from '../core/project-database';

const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];

/** The database the project at `root` sets up for golang-migrate (`.env`, then the Makefile), if any. */
export async function readProjectDatabase(root: string): Promise<ProjectDatabase | undefined> {
  return findProjectDatabase(await readProjectFiles(root));
}

/** `.env` (parsed with dotenv) and the first Makefile GNU make would read, from the folder `root`. */
export async function readProjectFiles(root: string): Promise<ProjectFiles> {
  const envText = await readOptional(path.join(root, '.env'));
  for (const name of MAKEFILE_NAMES) {
    const makefile = await readOptional(path.join(root, name));
    if (makefile !== undefined) return { env: parseEnvText(envText), makefile, makefileName: name };
  }
  return { env: parseEnvText(envText) };
}

function parseEnvText(text: string | undefined): Record<string, string> | undefined {
  return text === undefined ? undefined : parseEnv(text);
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
