import { describeLockHolder } from '../core/errors';
import { renderDryRun } from '../core/safety-dry-run';
import type { DryRunInput } from '../core/safety-dry-run';
import type { Preview } from './run-session';

/**
 * A preview as the dry-run document both faces show: the plan and every step's SQL, as read from disk, with what
 * preflight found in each step when it looked.
 */
export function dryRunDocument(preview: Preview, target: string, preflight?: DryRunInput['preflight']): string {
  const texts = new Map(
    preview.steps.flatMap((step) =>
      step.fileName !== undefined && step.text !== undefined ? [[step.fileName, step.text] as const] : [],
    ),
  );
  const text = renderDryRun({
    request: preview.request,
    current: preview.current,
    plan: preview.plan,
    texts,
    target,
    ...(preflight && { preflight }),
  });
  const holder = preview.lockHolder;
  return holder === undefined
    ? text
    : `${text}\n-- Another run holds the lock now (${describeLockHolder(holder)}): a real run would wait for it.\n`;
}
