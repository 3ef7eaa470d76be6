import type { CliCommand } from './command';
import { createCommand } from './create';
import { downCommand } from './down';
import { dropCommand } from './drop';
import { forceCommand } from './force';
import { gotoCommand } from './goto';
import { lintCommand } from './lint';
import { modelsCommand } from './models';
import { preflightCommand } from './preflight';
import { statusCommand } from './status';
import { upCommand } from './up';
import { verifyCommand } from './verify';
import { versionCommand } from './version';

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly CliCommand[] = [
  createCommand,
  gotoCommand,
  upCommand,
  downCommand,
  dropCommand,
  forceCommand,
  versionCommand,
  statusCommand,
  lintCommand,
  verifyCommand,
  modelsCommand,
  preflightCommand,
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
