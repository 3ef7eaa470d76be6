/**
 * `migration-lens.json`, the one project file both the command line and the editor read, at the project's root:
 *
 *     { "rules": { "destructive-down": "off", "preflight-copies-table": "error" },
 *       "preflight": { "maxTableRows": 5000000, "statementTimeoutSeconds": 5 },
 *       "environments": { "dev": { "url": "mysql://root@tcp(127.0.0.1:3306)/app" },
 *                         "prod": { "url": "mysql://deploy:${PROD_PASSWORD}@tcp(db:3306)/app", "protected": true } } }
 *
 * Each top-level key is a section with its own reader, so a section can be added without touching the others.
 * Reading never throws: whatever is wrong (bad JSON, an unknown key or rule, a value of the wrong kind) becomes a
 * problem with its place, and the rest of the file still counts. `schemas/migration-lens.schema.json` describes the
 * same shape for editors.
 */
import { readEnvironments, type EnvironmentSpec } from './environments';
import { DEFAULT_CHECK_LIMITS, type CheckLimits } from './preflight-checks';
import type { RuleSetting, RuleSettings } from './rule-settings';
import { ruleOf } from './rules';

export const PROJECT_FILE_NAME = 'migration-lens.json';

export interface ProjectConfig {
  readonly rules: RuleSettings;
  readonly preflight: CheckLimits;
  /** In the order the file lists them. */
  readonly environments: readonly EnvironmentSpec[];
}

export const DEFAULT_PROJECT_CONFIG: ProjectConfig = {
  rules: new Map(),
  preflight: DEFAULT_CHECK_LIMITS,
  environments: [],
};

/** Something wrong in the file; `path` is where, e.g. `rules.destructive-down` or `environments.prod.url`. */
export interface ProjectFileProblem {
  readonly path: string;
  readonly message: string;
}

export interface ProjectFileReading {
  readonly config: ProjectConfig;
  readonly problems: readonly ProjectFileProblem[];
}

type SectionReader = (value: unknown, problems: ProjectFileProblem[]) => Partial<ProjectConfig>;

const SECTIONS: Readonly<Record<string, SectionReader>> = {
  rules: readRules,
  preflight: readPreflight,
  environments: (value, problems) => ({ environments: readEnvironments(value, problems) }),
};

/** The `$schema` key editors use to find the schema: allowed anywhere a schema-aware editor puts it. */
const SCHEMA_KEY = '$schema';

/** Reads the project file's text; an empty or missing file is the default configuration. */
export function parseProjectFile(text: string): ProjectFileReading {
  const problems: ProjectFileProblem[] = [];
  if (text.trim() === '') return { config: DEFAULT_PROJECT_CONFIG, problems };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      config: DEFAULT_PROJECT_CONFIG,
      problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  if (!isObject(json)) {
    return { config: DEFAULT_PROJECT_CONFIG, problems: [{ path: '', message: 'must be a JSON object' }] };
  }
  let config: ProjectConfig = DEFAULT_PROJECT_CONFIG;
  for (const [key, value] of Object.entries(json)) {
    const reader = SECTIONS[key];
    if (reader) config = { ...config, ...reader(value, problems) };
    else if (key !== SCHEMA_KEY) {
      problems.push({ path: key, message: `unknown section (known: ${Object.keys(SECTIONS).join(', ')})` });
    }
  }
  return { config, problems };
}

/** A problem as one line: `migration-lens.json: rules.x: unknown rule`. */
export function describeProjectFileProblem(problem: ProjectFileProblem): string {
  return `${PROJECT_FILE_NAME}${problem.path === '' ? '' : `: ${problem.path}`}: ${problem.message}`;
}

const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

function readRules(value: unknown, problems: ProjectFileProblem[]): Partial<ProjectConfig> {
  if (!isObject(value)) {
    problems.push({ path: 'rules', message: 'must be an object of rule codes to "error", "warning", "info" or "off"' });
    return {};
  }
  const rules = new Map<string, RuleSetting>();
  for (const [code, setting] of Object.entries(value)) {
    if (ruleOf(code) === undefined) {
      problems.push({ path: `rules.${code}`, message: 'unknown rule (docs/rules.md lists every code)' });
    } else if (typeof setting !== 'string' || !SETTINGS.includes(setting as RuleSetting)) {
      problems.push({ path: `rules.${code}`, message: 'must be "error", "warning", "info" or "off"' });
    } else rules.set(code, setting as RuleSetting);
  }
  return { rules };
}

const PREFLIGHT_BOUNDS: Readonly<Record<keyof CheckLimits, readonly [number, number]>> = {
  maxTableRows: [0, Number.MAX_SAFE_INTEGER],
  statementTimeoutSeconds: [1, 3600],
};

function readPreflight(value: unknown, problems: ProjectFileProblem[]): Partial<ProjectConfig> {
  if (!isObject(value)) {
    problems.push({ path: 'preflight', message: 'must be an object' });
    return {};
  }
  const limits: Record<string, number> = { ...DEFAULT_CHECK_LIMITS };
  for (const [key, setting] of Object.entries(value)) {
    const bounds = PREFLIGHT_BOUNDS[key as keyof CheckLimits] as readonly [number, number] | undefined;
    if (bounds === undefined) {
      problems.push({
        path: `preflight.${key}`,
        message: `unknown setting (known: ${Object.keys(PREFLIGHT_BOUNDS).join(', ')})`,
      });
    } else if (
      typeof setting !== 'number' ||
      !Number.isInteger(setting) ||
      setting < bounds[0] ||
      setting > bounds[1]
    ) {
      problems.push({ path: `preflight.${key}`, message: `must be a whole number from ${bounds[0]} to ${bounds[1]}` });
    } else limits[key] = setting;
  }
  return { preflight: limits as unknown as CheckLimits };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
