/**
 * The log line golang-migrate prints for each applied step, `V/u identifier (duration)`, so scripts that read
 * `migrate` output read ours the same way.
 */
import type { Direction } from './model';
import { stepLabel } from './plan-summary';

export function formatStepLog(
  version: bigint,
  direction: Direction,
  identifier: string | undefined,
  nanoseconds: number,
): string {
  return `${stepLabel(version, direction, identifier)} (${formatGoDuration(nanoseconds)})`;
}

/** Go's `time.Duration.String()`: `0s`, `850ns`, `12.5µs`, `5.1234ms`, `2.5s`, `1m30s`, `1h0m2s`. */
export function formatGoDuration(nanoseconds: number): string {
  const ns = Math.round(Math.abs(nanoseconds));
  const sign = nanoseconds < 0 && ns > 0 ? '-' : '';
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${decimal(ns, 1e3)}µs`;
  if (ns < 1e9) return `${sign}${decimal(ns, 1e6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns % 3.6e12) / 6e10);
  const seconds = decimal(ns % 6e10, 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / unit` with the fraction's trailing zeros dropped, as Go prints it. */
function decimal(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const digits = Math.round(Math.log10(unit));
  const fraction = String(value % unit)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}
