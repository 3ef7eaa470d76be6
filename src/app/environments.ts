/**
 * The environments of a project as both faces use them: the databases an environment stands for (one, or a fleet's
 * list or discovery), a run session per database, and where each one stands, read-only.
 */
import { fleetDatabases, memberDatabase, type ResolvedEnvironment } from '../adapters/environments';
import { FolderSource } from '../adapters/file-source';
import type { LedgerSettings } from '../adapters/ledger-store';
import type { EnvironmentSpec } from '../core/environments';
import { type DatabaseStanding, standingOf, unreachableStanding } from '../core/fleet-status';
import { NIL_VERSION } from '../core/model';
import { migrationStatuses } from '../core/status';
import { eachBounded, type FleetMember } from './fleet';
import { openRunSession, type RunTarget } from './open-session';
import { ReadOnceSource } from './read-once-source';
import type { RunSession } from './run-session';
import { errorMessage } from '../core/errors';

/** How many databases are read at once for a status: reads are short, so more than a run's default. */
export const STATUS_PARALLEL = 16;

/** What a run of an environment needs besides the environment itself. */
export interface EnvironmentRunSettings {
  /** The migrations folder, absolute: it wins over the environment's own (`-path` given on a command line). */
  readonly folder?: string;
  readonly ledger?: LedgerSettings;
  readonly lockTimeoutSeconds?: number;
}

/**
 * The environment's databases, each with a run session on the environment's folder: its one database, or every
 * database of its fleet (the list, or what discovery finds on the server now). `readOnly` members only look (status,
 * dry runs), and share one reading of the folder.
 */
export async function environmentMembers(
  environment: ResolvedEnvironment,
  settings: EnvironmentRunSettings,
  readOnly = false,
): Promise<FleetMember[]> {
  const folder = settings.folder ?? environment.folder;
  if (folder === undefined) {
    throw new Error(
      `environment ${environment.spec.name} names no migrations folder: give it a "path" in migration-lens.json, ` +
        'or pass -path DIR',
    );
  }
  const shared = readOnly ? new ReadOnceSource(new FolderSource(folder)) : undefined;
  const member = (database: string, config: RunTarget['database']): FleetMember => {
    const target: RunTarget = {
      folder,
      database: config,
      ...(settings.ledger && { ledger: settings.ledger }),
      ...(settings.lockTimeoutSeconds !== undefined && { lockTimeoutSeconds: settings.lockTimeoutSeconds }),
    };
    return { database, open: () => openRunSession(target, shared) };
  };
  const { fleet } = environment.spec;
  if (!fleet) return [member(environment.config.database || environment.spec.name, environment.config)];
  const names = await fleetDatabases(fleet, environment.config);
  return names.map((name) => member(name, memberDatabase(environment.config, name)));
}

/** Where one database stands (read-only: no lock, nothing created); unreachable with the reason when it cannot be read. */
export async function standingOfMember(member: FleetMember): Promise<DatabaseStanding> {
  const session = member.open();
  try {
    return await standingIn(member.database, session);
  } catch (error) {
    return unreachableStanding(member.database, errorMessage(error));
  } finally {
    await session.close();
  }
}

async function standingIn(database: string, session: RunSession): Promise<DatabaseStanding> {
  const { catalog, state, drift } = await session.status();
  const version = state.version ?? { version: NIL_VERSION, dirty: false };
  const report = migrationStatuses(catalog, version, { runningElsewhere: state.lockHolder !== undefined });
  const edited = [...drift.values()].filter((verdict) => verdict.kind === 'edited').length;
  return standingOf(database, report, state.lockHolder, edited);
}

/** Where each member stands, `parallel` at a time, in the members' order. */
export async function standingsOf(
  members: readonly FleetMember[],
  parallel = STATUS_PARALLEL,
): Promise<DatabaseStanding[]> {
  const standings: DatabaseStanding[] = [];
  await eachBounded(members, parallel, undefined, async (member, index) => {
    standings[index] = await standingOfMember(member);
  });
  return standings;
}

/** Where an environment stands: one standing per database, or why it could not be read at all. */
export interface EnvironmentStatus {
  readonly spec: EnvironmentSpec;
  readonly standings: readonly DatabaseStanding[];
  /** Refused in the file, a variable without a value, a discovery that failed: nothing was read. */
  readonly problem?: string;
}

/** Resolves an environment (as the face does: variables, secret storage) and reads where its databases stand. */
export async function environmentStatus(
  spec: EnvironmentSpec,
  resolve: () => ResolvedEnvironment | Promise<ResolvedEnvironment>,
  settings: EnvironmentRunSettings,
  parallel = STATUS_PARALLEL,
): Promise<EnvironmentStatus> {
  try {
    const members = await environmentMembers(await resolve(), settings, true);
    return { spec, standings: await standingsOf(members, parallel) };
  } catch (error) {
    return { spec, standings: [], problem: errorMessage(error) };
  }
}
