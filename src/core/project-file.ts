/**
 * `migration-lens.json`, the one project file both the command line and the editor read, at the project's root:
 *
 *     { "environments": { "dev": { "url": "mysql://root@tcp(127.0.0.1:3306)/app" },
 *                         "prod": { "url": "mysql://deploy:${PROD_PASSWORD}@tcp(db:3306)/app", "protected": true } } }
 *
 * Each top-level key is a section with its own reader, so a section can be added without touching the others.
 * Reading never throws: whatever is wrong (bad JSON, an unknown key, a value of the wrong kind) becomes a problem with
 * its place, and the rest of the file still counts. `schemas/migration-lens.schema.json` describes the same shape for
 * editors.
 */
import { readEnvironments, type EnvironmentSpec } from './environments';

export const PROJECT_FILE_NAME = 'migration-lens.json';

export interface ProjectConfig {
  /** In the order the file lists them. */
  readonly environments: readonly EnvironmentSpec[];
}

export const DEFAULT_PROJECT_CONFIG: ProjectConfig = { environments: [] };

/** Something wrong in the file; `path` is where, e.g. `environments.prod.url`. */
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

/** A problem as one line: `migration-lens.json: environments.prod.url: ...`. */
export function describeProjectFileProblem(problem: ProjectFileProblem): string {
  return `${PROJECT_FILE_NAME}${problem.path === '' ? '' : `: ${problem.path}`}: ${problem.message}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
