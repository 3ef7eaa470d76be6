import { DEFAULT_SAFETY_SETTINGS, normaliseSafetySettings, type SafetySettings } from './safety-settings';
import { DEFAULT_FLEET_PARALLEL } from './fleet';
import { optionalText } from './setting-values';

/**
 * The extension's settings as typed values. Setting values come from JSON the user (or a workspace they opened)
 * wrote, so every reader here accepts `unknown` and falls back to the documented default instead of failing.
 */

export type Numbering = 'timestamp' | 'sequential';

/** The settings of one workspace folder, normalised. */
export interface EditorSettings {
  /** The migrations folder relative to the workspace folder (or absolute); undefined: find it. */
  readonly migrationsPath: string | undefined;
  /** A golang-migrate database URL without the password; undefined: find it in the project. */
  readonly databaseUrl: string | undefined;
  readonly create: {
    readonly numbering: Numbering;
    readonly digits: number;
    readonly timeZone: string;
    readonly timestampFormat: string;
  };
  readonly lockTimeoutSeconds: number;
  readonly connectTimeoutSeconds: number;
  /** Backups before going down, and the ledger. */
  readonly safety: SafetySettings;
  /** Up and Go To Version across a fleet: databases at once, canaries first, going on after a failure. */
  readonly fleet: {
    readonly parallel: number;
    readonly canary: number;
    readonly continueOnFailure: boolean;
  };
  /** Run Preflight in the background for the pending migrations, and show what it finds. */
  readonly preflightDiagnostics: boolean;
}

/** The defaults, which are golang-migrate's own (`create` without `-seq`, `-digits 6`, `-tz UTC`, lock 10 s). */
export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  migrationsPath: undefined,
  databaseUrl: undefined,
  create: { numbering: 'timestamp', digits: 6, timeZone: 'UTC', timestampFormat: '20060102150405' },
  lockTimeoutSeconds: 10,
  connectTimeoutSeconds: 10,
  safety: DEFAULT_SAFETY_SETTINGS,
  fleet: { parallel: DEFAULT_FLEET_PARALLEL, canary: 0, continueOnFailure: false },
  preflightDiagnostics: true,
};

/** An integer within [min, max], else `fallback`. */
function boundedInteger(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

/** Reads raw setting values (as `WorkspaceConfiguration.get` returns them, keys without the section) into settings. */
export function normaliseEditorSettings(read: (key: string) => unknown): EditorSettings {
  const defaults = DEFAULT_EDITOR_SETTINGS;
  const numbering = read('create.numbering');
  const preflightDiagnostics = read('preflight.diagnostics');
  return {
    migrationsPath: optionalText(read('migrationsPath')),
    databaseUrl: optionalText(read('databaseUrl')),
    create: {
      numbering: numbering === 'sequential' || numbering === 'timestamp' ? numbering : defaults.create.numbering,
      digits: boundedInteger(read('create.digits'), 1, 19, defaults.create.digits),
      timeZone: optionalText(read('create.timeZone')) ?? defaults.create.timeZone,
      timestampFormat: optionalText(read('create.timestampFormat')) ?? defaults.create.timestampFormat,
    },
    lockTimeoutSeconds: boundedInteger(read('lockTimeoutSeconds'), 1, 3600, defaults.lockTimeoutSeconds),
    connectTimeoutSeconds: boundedInteger(read('connectTimeoutSeconds'), 1, 600, defaults.connectTimeoutSeconds),
    safety: normaliseSafetySettings(read),
    fleet: {
      parallel: boundedInteger(read('fleet.parallel'), 1, 64, defaults.fleet.parallel),
      canary: boundedInteger(read('fleet.canary'), 0, 1000, defaults.fleet.canary),
      continueOnFailure: read('fleet.continueOnFailure') === true,
    },
    preflightDiagnostics:
      typeof preflightDiagnostics === 'boolean' ? preflightDiagnostics : defaults.preflightDiagnostics,
  };
}
