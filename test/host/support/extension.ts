import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Container } from '../../../src/vscode/container';

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

/** The extension's container, as activate() returns it. */
export async function activeContainer(): Promise<Container> {
  const extension = vscode.extensions.getExtension<Container>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}
