/**
 * How a project, or one file, changes what a rule reports: `migration-lens.json`'s `"rules"` sets a rule's severity
 * or turns it off for the whole project, and a `-- migration-lens:ignore <rule>` comment silences it in one file.
 * Lint, Verify and Preflight all resolve their findings' severities here, so the CLI and the editor agree.
 */
import type { Severity } from './model';
import { scanSql } from './statements';

/** A rule's severity as a project sets it, or `off`. */
export type RuleSetting = Severity | 'off';

/** A project's choices by rule code; a code not listed keeps its default severity. */
export type RuleSettings = ReadonlyMap<string, RuleSetting>;

export const DEFAULT_RULE_SETTINGS: RuleSettings = new Map();

/** The severity a finding of rule `code` shows with; undefined when the project turned the rule off. */
export function effectiveSeverity(
  code: string,
  defaultSeverity: Severity,
  settings: RuleSettings = DEFAULT_RULE_SETTINGS,
): Severity | undefined {
  const setting = settings.get(code) ?? defaultSeverity;
  return setting === 'off' ? undefined : setting;
}

const IGNORE_DIRECTIVE = 'migration-lens:ignore';

/** Whether a file's text may hold an ignore directive: a cheap test before reading its comments. */
export function mayHoldIgnoreDirective(content: string): boolean {
  return content.includes(IGNORE_DIRECTIVE);
}

/** The rules a file silences with `migration-lens:ignore` comments. */
export function ignoreDirectives(content: string): ReadonlySet<string> {
  const rules = new Set<string>();
  if (!mayHoldIgnoreDirective(content)) return rules;
  for (const segment of scanSql(content)) {
    if (segment.kind !== 'comment') continue;
    const comment = content.slice(segment.start, segment.end);
    for (const match of comment.matchAll(/migration-lens:ignore\s+([\w\s,-]*)/g)) {
      for (const rule of match[1].split(/[\s,]+/)) if (rule) rules.add(rule);
    }
  }
  return rules;
}
