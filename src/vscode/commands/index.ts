/**
 * The command table: one entry per file in this folder, keyed by the command id contributed in package.json.
 * The container registers every entry at activation; a handler receives the command's arguments (from the palette:
 * none; from the tree: the clicked node; from tests: an options object that skips the UI).
 */
import type { Container } from '../container';
import { applyUpTo } from './apply-up-to';
import { backup } from './backup';
import { configureDatabase } from './configure-database';
import { copyCliCommand } from './copy-cli-command';
import { createMigration } from './create-migration';
import { down } from './down';
import { dryRunDown, dryRunGoto, dryRunUp } from './dryRun';
import { downN } from './down-n';
import { drop } from './drop';
import { force } from './force';
import { forceTo } from './force-to';
import { formatMigration } from './format-migration';
import { goto } from './goto';
import { openDownFile } from './open-down-file';
import { openUpFile } from './open-up-file';
import { pickMigrationsFolder } from './pick-migrations-folder';
import { recover } from './recover';
import { refresh } from './refresh';
import { rollBackTo } from './roll-back-to';
import { selectEnvironment } from './select-environment';
import { showOutput } from './show-output';
import { showVersion } from './show-version';
import { up } from './up';
import { upN } from './up-n';
import { verify } from './verify';

/** Builds a command's handler from the container it runs against. */
export type CommandFactory = (container: Container) => (...args: unknown[]) => unknown;

/** Every command the extension implements, by id. */
export const commandTable: Readonly<Record<string, CommandFactory>> = {
  'migrationLens.createMigration': createMigration,
  'migrationLens.up': up,
  'migrationLens.upN': upN,
  'migrationLens.down': down,
  'migrationLens.downN': downN,
  'migrationLens.goto': goto,
  'migrationLens.force': force,
  'migrationLens.showVersion': showVersion,
  'migrationLens.refresh': refresh,
  'migrationLens.drop': drop,
  'migrationLens.configureDatabase': configureDatabase,
  'migrationLens.pickMigrationsFolder': pickMigrationsFolder,
  'migrationLens.formatMigration': formatMigration,
  'migrationLens.showOutput': showOutput,
  'migrationLens.applyUpTo': applyUpTo,
  'migrationLens.rollBackTo': rollBackTo,
  'migrationLens.openUpFile': openUpFile,
  'migrationLens.openDownFile': openDownFile,
  'migrationLens.forceTo': forceTo,
  'migrationLens.verify': verify,
  'migrationLens.recover': recover,
  'migrationLens.dryRunUp': dryRunUp,
  'migrationLens.dryRunDown': dryRunDown,
  'migrationLens.dryRunGoto': dryRunGoto,
  'migrationLens.backup': backup,
  'migrationLens.copyCliCommand': copyCliCommand,
  'migrationLens.selectEnvironment': selectEnvironment,
};
