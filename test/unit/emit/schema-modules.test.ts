// The schema-derived modules of the bundled schema sets are printed at build time so a scaffold
// never loads ts-morph (src/emit/schema-modules.ts). These tests hold the two paths together.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printSchemaModules, schemaModelKey, schemaModules } from '../../../src/emit/schema-modules.js';
import { loadSchemaModel } from '../../../src/model/load.js';

const load = (enterpriseUser: boolean, schemaFiles: string[] = []) =>
  loadSchemaModel({ enterpriseUser, schemaFiles, cwd: process.cwd() });

const BUILT = fileURLToPath(new URL('../../../dist/src/emit/schema-modules.json', import.meta.url));

describe('schema modules', () => {
  it('keys differ between schema sets and are stable for one', async () => {
    const [plain, enterprise, again] = await Promise.all([load(false), load(true), load(true)]);
    expect(schemaModelKey(plain)).not.toBe(schemaModelKey(enterprise));
    expect(schemaModelKey(again)).toBe(schemaModelKey(enterprise));
  });

  it('prints with ts-morph when nothing was built ahead (running from source)', async () => {
    const model = await load(true);
    expect(schemaModules(model)).toEqual(printSchemaModules(model));
  });

  it.skipIf(!existsSync(BUILT))('the built table (npm run build) is what the emitters print now', async () => {
    const table = JSON.parse(readFileSync(BUILT, 'utf8')) as Record<string, unknown>;
    const models = await Promise.all([load(false), load(true)]);
    expect(Object.keys(table).sort()).toEqual(models.map(schemaModelKey).sort());
    for (const model of models) expect(table[schemaModelKey(model)]).toEqual(printSchemaModules(model));
  });
});
