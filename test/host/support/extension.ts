import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository (the extension under development); this file runs from out/test/host/support. */
export const repositoryRoot = path.resolve(__dirname, '..', '..', '..', '..');

interface Manifest {
  publisher: string;
  name: string;
  version: string;
  contributes?: { commands?: { command: string; title: string }[] };
}

/** The package.json the extension host loaded the extension from. */
export function extensionManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as Manifest;
}

export const EXTENSION_ID = (({ publisher, name }) => `${publisher}.${name}`)(extensionManifest());
