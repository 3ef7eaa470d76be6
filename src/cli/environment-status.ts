/**
 * `status -all-envs` (and `status` of a fleet): where every database of the project's environments stands, one line
 * per environment, a fleet's counts by version and standing with its exceptions by name; or JSON for CI.
 */
import { environmentVariables, resolveEnvironment } from '../adapters/environments';
import { environmentStatus, type EnvironmentStatus } from '../app/environments';
import { findEnvironment } from '../core/environments';
import {
  exceptionWords,
  fleetCounts,
  fleetCountsWords,
  fleetExceptions,
  standingWords,
  type DatabaseStanding,
} from '../core/fleet-status';
import { NIL_VERSION } from '../core/model';
import type { CliContext } from './context';
import { UsageError } from './flags';

/**
 * Prints the status of every environment (`name` undefined) or of one; exit status 1 when an environment or a
 * database could not be read.
 */
export async function printEnvironmentsStatus(
  context: CliContext,
  name: string | undefined,
  json: boolean,
): Promise<number> {
  const project = await context.projectFile();
  const { root } = project;
  if (root === undefined) {
    throw new UsageError('no migration-lens.json found (looked from the migrations folder up to the .git folder)');
  }
  const { environments } = project.config;
  let specs = environments;
  if (name !== undefined) {
    const found = findEnvironment(environments, name);
    if ('problem' in found) throw new UsageError(found.problem);
    specs = [found.environment];
  }
  const variables = await environmentVariables(root);
  const statuses: EnvironmentStatus[] = [];
  for (const spec of specs) {
    statuses.push(
      await environmentStatus(spec, () => resolveEnvironment(spec, root, variables), context.environmentRunSettings()),
    );
  }
  if (json) context.print(JSON.stringify({ environments: statuses.map(statusJson) }, undefined, 2));
  else for (const status of statuses) for (const line of statusLines(status)) context.print(line);
  const unread = statuses.some(
    (status) => status.problem !== undefined || status.standings.some((entry) => entry.standing === 'unreachable'),
  );
  return unread ? 1 : 0;
}

function statusLines(status: EnvironmentStatus): string[] {
  const { spec } = status;
  const title = `${spec.name}${spec.protected ? ' [protected]' : ''}${spec.fleet ? ' (fleet)' : ''}`;
  if (status.problem !== undefined) return [`${title}: cannot be read: ${status.problem}`];
  if (!spec.fleet) {
    return status.standings.map((entry) => `${title}: ${entry.database} ${standingWords(entry)} (${entry.standing})`);
  }
  return [
    `${title}: ${fleetCountsWords(fleetCounts(status.standings))}`,
    ...fleetExceptions(status.standings).map((exception) => `  ${exceptionWords(exception)}`),
  ];
}

function statusJson(status: EnvironmentStatus) {
  const { spec } = status;
  const counts = fleetCounts(status.standings);
  return {
    name: spec.name,
    protected: spec.protected,
    fleet: spec.fleet !== undefined,
    problem: status.problem ?? null,
    counts: {
      databases: counts.total,
      byStanding: Object.fromEntries(counts.byStanding),
      byVersion: Object.fromEntries(counts.byVersion),
    },
    databases: status.standings.map(standingJson),
  };
}

function standingJson(entry: DatabaseStanding) {
  const version = entry.version;
  return {
    database: entry.database,
    standing: entry.standing,
    version: version === undefined || version.version === NIL_VERSION ? null : String(version.version),
    dirty: version?.dirty ?? null,
    pending: entry.pending,
    edited: entry.edited,
    lock:
      entry.lockHolder === undefined
        ? null
        : {
            connectionId: entry.lockHolder.connectionId,
            user: entry.lockHolder.user ?? null,
            host: entry.lockHolder.host ?? null,
          },
    reason: entry.reason ?? null,
  };
}
