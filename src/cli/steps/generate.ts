import type { FilePlan } from '../../emit/plan.js';
import type { SchemaModel } from '../../model/ir.js';
import type { ProjectOptions } from '../../options.js';
import type { CliDeps } from '../context.js';
import type { Log } from '../log.js';

/** Builds the file plan in memory; nothing is written yet. */
export async function generatePlan(
  project: ProjectOptions,
  model: SchemaModel,
  deps: Pick<CliDeps, 'generate' | 'generatorSource'>,
  log: Log,
): Promise<FilePlan> {
  log.step('Generating files');
  return deps.generate(project, model, deps.generatorSource);
}
