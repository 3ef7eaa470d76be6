import type * as vscode from 'vscode';
import { environmentStatus, type EnvironmentRunSettings, type EnvironmentStatus } from '../app/environments';
import type { EnvironmentSpec } from '../core/environments';
import { DEFAULT_PROJECT_CONFIG, type ProjectFileReading } from '../core/project-file';
import { environmentWithStoredPassword, projectFileProblemLines, readFolderProjectFile } from './environment-target';
import type { DatabaseSecrets } from './secrets';

/** Which environment of each workspace folder the user chose (kept per workspace). */
export interface EnvironmentChoice {
  get(folder: vscode.WorkspaceFolder): string | undefined;
  set(folder: vscode.WorkspaceFolder, name: string | undefined): Thenable<void>;
}

export interface EnvironmentServices {
  readonly secrets: DatabaseSecrets;
  readonly choice: EnvironmentChoice;
  readonly log: (message: string) => void;
  readonly onConnect: () => void;
}

/**
 * The environments of one workspace folder: what `migration-lens.json` at its root names, the one chosen as active,
 * and where each stands, read (only when asked: the Migrations view shown, Refresh, after a fleet run) one
 * read-only session per database.
 */
export class FolderEnvironments {
  project: ProjectFileReading = { config: DEFAULT_PROJECT_CONFIG, problems: [] };
  /** The last reading of each environment, by name. */
  statuses: ReadonlyMap<string, EnvironmentStatus> = new Map();
  /** A reading is under way. */
  reading = false;
  private generation = 0;

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly services: EnvironmentServices,
  ) {}

  get list(): readonly EnvironmentSpec[] {
    return this.project.config.environments;
  }

  /** The chosen environment, while the file still names it. */
  get active(): EnvironmentSpec | undefined {
    const name = this.services.choice.get(this.folder);
    return name === undefined ? undefined : this.list.find((environment) => environment.name === name);
  }

  async choose(name: string | undefined): Promise<void> {
    await this.services.choice.set(this.folder, name);
  }

  /** Reads the project file again; what is wrong in it goes to the log. */
  async load(): Promise<void> {
    this.project = await readFolderProjectFile(this.folder);
    for (const line of projectFileProblemLines(this.folder, this.project)) this.services.log(line);
    const names = new Set(this.list.map((environment) => environment.name));
    this.statuses = new Map([...this.statuses].filter(([name]) => names.has(name)));
  }

  /** Reads where every environment stands, each run with the settings `runSettings` gives it. */
  async refresh(runSettings: (environment: EnvironmentSpec) => EnvironmentRunSettings): Promise<void> {
    const generation = ++this.generation;
    this.reading = true;
    const statuses = new Map<string, EnvironmentStatus>();
    try {
      for (const spec of this.list) {
        this.services.onConnect();
        const status = await environmentStatus(
          spec,
          () => environmentWithStoredPassword(this.folder, spec, this.services.secrets),
          runSettings(spec),
        );
        if (status.problem !== undefined) this.services.log(`${this.folder.name}: ${spec.name}: ${status.problem}`);
        statuses.set(spec.name, status);
      }
    } finally {
      if (generation === this.generation) {
        this.statuses = statuses;
        this.reading = false;
      }
    }
  }

  /** Forgets every reading (untrusted, or nothing to read). */
  clear(): void {
    this.generation++;
    this.statuses = new Map();
    this.reading = false;
  }
}
