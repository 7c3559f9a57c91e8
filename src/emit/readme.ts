// TEMPORARY placeholder by the lead so generate() runs; helper-5 replaces this file entirely.
import type { SchemaModel } from '../model/ir.js';
import type { ProjectOptions } from '../options.js';
export function buildReadme(options: ProjectOptions, _model: SchemaModel): string {
  return `# ${options.projectName}\n`;
}
