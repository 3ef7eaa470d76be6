import { readProjectFile } from '../adapters/project-file';
import { describeProjectFileProblem, type ProjectConfig } from '../core/project-file';
import type { CliContext } from './context';

/** The project's `migration-lens.json` for the migrations folder; what is wrong in it is logged as warnings. */
export async function projectConfig(context: CliContext, folder: string): Promise<ProjectConfig> {
  const { config, problems } = await readProjectFile(folder);
  for (const problem of problems) context.log(`warning: ${describeProjectFileProblem(problem)}`);
  return config;
}
