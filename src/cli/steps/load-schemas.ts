import { credentialLikeAttributes } from '../../model/credentials.js';
import type { SchemaModel } from '../../model/ir.js';
import type { ProjectOptions } from '../../options.js';
import type { CliDeps } from '../context.js';
import type { Log } from '../log.js';

/** The user's schema and resource type files as given, relative to the cwd. */
export interface SchemaPaths {
  schemaPaths: readonly string[];
  resourceTypePaths: readonly string[];
  /** On regenerate, the project's schemas/ folder (see LoadSchemaOptions.coreSchemasDir). */
  coreSchemasDir?: string;
}

/** Reads and validates the bundled schemas, the --schema and the --resource-type files. */
export async function loadSchemas(
  project: Pick<ProjectOptions, 'enterpriseUser' | 'extend'>,
  paths: SchemaPaths,
  cwd: string,
  load: CliDeps['loadSchemaModel'],
  log: Log,
): Promise<SchemaModel> {
  log.step('Loading schemas');
  const model = await load({
    enterpriseUser: project.enterpriseUser,
    schemaFiles: paths.schemaPaths,
    resourceTypeFiles: paths.resourceTypePaths,
    ...(project.extend ? { extend: project.extend } : {}),
    ...(paths.coreSchemasDir ? { coreSchemasDir: paths.coreSchemasDir } : {}),
    cwd,
  });
  log.success(`Schemas: ${model.schemas.map((s) => s.name).join(', ')}`);
  const custom = model.resourceTypes.filter((rt) => !['user', 'group'].includes(rt.name.toLowerCase()));
  if (custom.length > 0) log.success(`Resource types: ${model.resourceTypes.map((rt) => `${rt.name} (${rt.endpoint})`).join(', ')}`);
  for (const path of credentialLikeAttributes(model)) {
    log.warn(
      `${path} looks like a credential. The OpenID IPSIE SCIM profile (§6.1.2) forbids credentials in custom schemas: ` +
        'keep passwords, keys and MFA seeds out of provisioning.',
    );
  }
  return model;
}
