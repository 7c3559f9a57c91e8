import type { SchemaModel } from '../../model/ir.js';
import type { ProjectOptions } from '../../options.js';
import type { CliDeps } from '../context.js';
import type { Log } from '../log.js';

/** Reads and validates the bundled schemas and the --schema files (as given, from the cwd). */
export async function loadSchemas(
  project: Pick<ProjectOptions, 'enterpriseUser'>,
  schemaPaths: readonly string[],
  cwd: string,
  load: CliDeps['loadSchemaModel'],
  log: Log,
): Promise<SchemaModel> {
  log.step('Loading schemas');
  const model = await load({ enterpriseUser: project.enterpriseUser, schemaFiles: schemaPaths, cwd });
  log.success(`Schemas: ${model.schemas.map((s) => s.name).join(', ')}`);
  return model;
}
