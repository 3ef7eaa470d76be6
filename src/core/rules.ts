/**
 * Every rule Migration Lens reports, with its stable code, default severity and meaning: lint's (lint.ts), Verify's
 * (verify-verdict.ts), Preflight's (preflight-findings.ts) and the safety checks of applied files. `docs/rules.md`
 * documents each code, and a test keeps the two the same; `migration-lens.json` may set any of them.
 */
import { LINT_RULES } from './lint';
import type { Severity } from './model';
import { PREFLIGHT_RULES } from './preflight-findings';
import { VERIFY_RULES } from './verify-verdict';

export type RuleFamily = 'lint' | 'verify' | 'preflight' | 'safety';

export interface RuleDescription {
  readonly code: string;
  readonly family: RuleFamily;
  readonly severity: Severity;
  readonly description: string;
}

export type SafetyCode = 'drift-edited' | 'drift-reformatted' | 'drift-outside' | 'failed-run';

/** The checks of applied files against the ledger, and the failed run behind a dirty database. */
const SAFETY: Readonly<Record<SafetyCode, Pick<RuleDescription, 'severity' | 'description'>>> = {
  'drift-edited': {
    severity: 'warning',
    description: 'An applied up file was edited after it ran: the database holds what the earlier text did.',
  },
  'drift-reformatted': {
    severity: 'info',
    description: 'An applied up file was reformatted after it ran: only layout or comments changed.',
  },
  'drift-outside': {
    severity: 'info',
    description: 'A version was applied outside Migration Lens, so there is no record of the file it ran.',
  },
  'failed-run': {
    severity: 'error',
    description: 'The statement a failed run stopped at, while the database is dirty at its version.',
  },
};

export function safetySeverity(code: SafetyCode): Severity {
  return SAFETY[code].severity;
}

export const RULES: readonly RuleDescription[] = [
  ...LINT_RULES.map(({ id, severity, description }) => ({ code: id, family: 'lint' as const, severity, description })),
  ...VERIFY_RULES.map((rule) => ({ ...rule, family: 'verify' as const })),
  ...PREFLIGHT_RULES.map((rule) => ({ ...rule, family: 'preflight' as const })),
  ...Object.entries(SAFETY).map(([code, rule]) => ({ code, ...rule, family: 'safety' as const })),
];

const BY_CODE = new Map(RULES.map((rule) => [rule.code, rule]));

export function ruleOf(code: string): RuleDescription | undefined {
  return BY_CODE.get(code);
}
