/**
 * `up` and `goto` across a fleet (`-env` naming an environment with `databases` or `discover`): `-parallel N`,
 * `-canary K`, `-continue`, `-shard i/N`. A line per database on stderr as each finishes, the matrix on stdout at the
 * end; exit status 0 when every database reached the target or had no change, 1 otherwise.
 */
import type { ResolvedEnvironment } from '../adapters/environments';
import { environmentMembers, STATUS_PARALLEL } from '../app/environments';
import { previewFleet, runFleet, type FleetEvent, type FleetStop } from '../app/fleet';
import { describeLockHolder, errorMessage } from '../core/errors';
import {
  DEFAULT_FLEET_PARALLEL,
  fleetMatrix,
  fleetRowLine,
  fleetSucceeded,
  inShard,
  parseShard,
  type Shard,
} from '../core/fleet';
import type { PlanRequest } from '../core/plan';
import { summarisePlan, versionLabel } from '../core/plan-summary';
import type { CliContext } from './context';
import { booleanFlag, integerFlag, stringFlag, UsageError, type FlagSpecs, type ParsedFlags } from './flags';

export const FLEET_FLAGS: FlagSpecs = {
  parallel: { kind: 'integer', description: 'Fleet: how many databases run at once (default 4)' },
  canary: { kind: 'integer', description: 'Fleet: run the first K databases first, and stop if one of them fails' },
  continue: { kind: 'boolean', description: 'Fleet: after the canaries, keep starting databases after a failure' },
  shard: { kind: 'string', description: 'Fleet: only shard i of N (i/N, i from 0), chosen by database name' },
};

interface FleetFlags {
  readonly parallel: number;
  readonly canary: number;
  readonly continueOnFailure: boolean;
  readonly shard?: Shard;
}

/** The fleet flags given, checked; undefined when none is. */
export function fleetFlags(flags: ParsedFlags): FleetFlags | undefined {
  if (!Object.keys(FLEET_FLAGS).some((name) => flags.values.has(name))) return undefined;
  const parallel = integerFlag(flags, 'parallel') ?? DEFAULT_FLEET_PARALLEL;
  const canary = integerFlag(flags, 'canary') ?? 0;
  if (parallel < 1) throw new UsageError('-parallel takes a number of databases, 1 or more');
  if (canary < 0) throw new UsageError('-canary takes a number of databases, 0 or more');
  const shardText = stringFlag(flags, 'shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  if (shard && 'problem' in shard) throw new UsageError(shard.problem);
  return { parallel, canary, continueOnFailure: booleanFlag(flags, 'continue'), ...(shard && { shard: shard.shard }) };
}

/** Runs (or with `dryRun` previews) `request` on every database of the fleet, or of its shard. */
export async function migrateFleet(
  request: PlanRequest,
  dryRun: boolean,
  flags: FleetFlags | undefined,
  environment: ResolvedEnvironment,
  context: CliContext,
): Promise<number> {
  const { parallel, canary, continueOnFailure, shard } = flags ?? {
    parallel: DEFAULT_FLEET_PARALLEL,
    canary: 0,
    continueOnFailure: false,
  };
  if (!dryRun) await context.confirmWrite(request.kind);
  const all = await environmentMembers(environment, context.environmentRunSettings(), dryRun);
  const members = shard ? all.filter((member) => inShard(member.database, shard)) : all;
  const name = environment.spec.name;
  const part = shard ? ` (shard ${shard.index}/${shard.count}: ${members.length} of ${all.length})` : '';
  if (dryRun) {
    context.log(`Dry run on fleet ${name}: ${all.length} database${all.length === 1 ? '' : 's'}${part}`);
    const previews = await previewFleet(members, request, Math.max(parallel, STATUS_PARALLEL));
    for (const entry of previews) {
      if ('error' in entry) {
        context.print(`${entry.database}: cannot plan: ${entry.error}`);
        continue;
      }
      const { plan, current } = entry.preview;
      const words =
        plan.outcome.kind === 'no-change'
          ? `no change (at ${versionLabel(current.version)})`
          : plan.steps.length > 0
            ? summarisePlan(plan, current).headline
            : plan.outcome.kind === 'error'
              ? plan.outcome.error.message
              : 'nothing to run';
      context.print(`${entry.database}: ${words}`);
    }
    return previews.every((entry) => 'preview' in entry && entry.preview.plan.outcome.kind !== 'error') ? 0 : 1;
  }
  context.log(
    `Fleet ${name}: ${all.length} database${all.length === 1 ? '' : 's'}${part}, ${parallel} at a time` +
      `${canary > 0 ? `, the first ${canary} as canaries` : ''}${continueOnFailure ? ', continuing after failures' : ''}`,
  );
  const summary = await runFleet(members, request, {
    parallel,
    canary,
    continueOnFailure,
    signal: context.signal,
    backup: context.backupPolicy(),
    onEvent: fleetLogger(context),
  });
  context.log('');
  for (const line of fleetMatrix(summary.rows)) context.print(line);
  if (summary.stopped) context.log(STOP_WORDS[summary.stopped]);
  return fleetSucceeded(summary.rows) ? 0 : 1;
}

const STOP_WORDS: Readonly<Record<FleetStop, string>> = {
  canary: 'Stopped: a canary failed, so no other database was started (those are untouched).',
  failure:
    'Stopped at the first failure: no further database was started (those are untouched); -continue keeps going.',
  cancel: 'Stopped on request: no further database was started (those are untouched).',
};

/** A line per database as it finishes; with -verbose, each step; who holds a lock being waited for, once. */
function fleetLogger(context: CliContext): (event: FleetEvent) => void {
  const waiting = new Set<string>();
  return (event) => {
    switch (event.kind) {
      case 'stage':
        context.log(`${event.stage === 'canary' ? 'Canaries' : 'The rest'}: ${event.databases} database(s)`);
        return;
      case 'progress':
        if (context.options.verbose && event.event.kind === 'done') {
          context.log(`${event.database}: ${event.event.logLine}`);
        }
        return;
      case 'waiting':
        if (waiting.has(event.database)) return;
        waiting.add(event.database);
        context.log(
          `${event.database}: waiting for the lock, held by ` +
            `${event.holder ? describeLockHolder(event.holder) : 'another session'} ...`,
        );
        return;
      case 'ledger-problem':
        context.log(`${event.database}: warning: not recorded in the ledger: ${errorMessage(event.error)}`);
        return;
      case 'finished':
        context.log(`[${event.finished}/${event.total}] ${fleetRowLine(event.row)}`);
        return;
      case 'stopping':
      case 'started':
        return;
    }
  };
}
