import {
  outcomeOf,
  verdictDetails,
  verdictHeadline,
  verdictLocations,
  type VerifyOutcome,
  type VerifyReport,
} from './verify-verdict';

const MARKS: Readonly<Record<VerifyOutcome, string>> = { verified: 'ok', broken: 'FAIL', unverified: 'skip' };

export interface VerifyCounts {
  readonly verified: number;
  readonly broken: number;
  readonly unverified: number;
}

export function countOutcomes(report: VerifyReport): VerifyCounts {
  const counts = { verified: 0, broken: 0, unverified: 0 };
  for (const entry of report.versions) counts[outcomeOf(entry.verdict)] += 1;
  return counts;
}

/** "3 verified, 7 broken, 2 not verified", then why the run ended early, if it did. */
export function verifySummary(report: VerifyReport): string {
  const counts = countOutcomes(report);
  const total = report.versions.length;
  const parts = `${total} version${total === 1 ? '' : 's'}: ${counts.verified} verified, ${counts.broken} broken, ${counts.unverified} not verified`;
  if (report.cancelled) return `${parts}. Cancelled.`;
  return report.stopped ? `${parts}. Stopped: ${report.stopped.reason}.` : `${parts}.`;
}

/**
 * The report as plain text, one block per version: a mark (ok, FAIL, skip), the version and name, the verdict, then
 * each difference and the place in the files it points at. `fileLabel` turns a file name into the path to show.
 */
export function verifyReportLines(report: VerifyReport, fileLabel: (fileName: string) => string = String): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...report.versions.map((entry) => String(entry.version).length));
  for (const entry of report.versions) {
    const mark = MARKS[outcomeOf(entry.verdict)].padEnd(4);
    lines.push(
      `${mark} ${String(entry.version).padStart(width)} ${entry.identifier}: ${verdictHeadline(entry.verdict)}`,
    );
    const indent = ' '.repeat(mark.length + width + 2);
    for (const detail of verdictDetails(entry.verdict)) lines.push(`${indent}- ${detail}`);
    if (
      entry.verdict.kind === 'up-failed' ||
      entry.verdict.kind === 'down-failed' ||
      entry.verdict.kind === 'up-not-repeatable' ||
      entry.verdict.kind === 'reaches-outside'
    ) {
      for (const location of verdictLocations(entry))
        lines.push(`${indent}at ${fileLabel(location.fileName)}:${location.line}`);
    }
  }
  lines.push('', verifySummary(report));
  return lines;
}
