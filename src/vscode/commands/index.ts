/**
 * The command table: one entry per file in this folder, keyed by the command id contributed in package.json.
 * The container registers every entry at activation; a handler receives the command's arguments (from the palette:
 * none; from the tree: the clicked node; from tests: an options object that skips the UI).
 */
import type { Container } from '../container';
import { configureDatabase } from './configure-database';
import { formatMigration } from './format-migration';
import { pickMigrationsFolder } from './pick-migrations-folder';
import { showOutput } from './show-output';

/** Builds a command's handler from the container it runs against. */
export type CommandFactory = (container: Container) => (...args: unknown[]) => unknown;

/** Every command the extension implements, by id. */
export const commandTable: Readonly<Record<string, CommandFactory>> = {
  'migrationLens.configureDatabase': configureDatabase,
  'migrationLens.pickMigrationsFolder': pickMigrationsFolder,
  'migrationLens.formatMigration': formatMigration,
  'migrationLens.showOutput': showOutput,
};
