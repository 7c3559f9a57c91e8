// Part of `npm run build`: prints the schema-derived modules of the bundled schema sets (with
// and without the Enterprise User extension) into dist/, so scaffolding from them never loads
// ts-morph (src/emit/schema-modules.ts). Runs the compiled emitters: the output is theirs.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/src/', import.meta.url);
const { loadSchemaModel } = await import(new URL('model/load.js', dist).href);
const { PREBUILT_FILE, printSchemaModules, schemaModelKey } = await import(new URL('emit/schema-modules.js', dist).href);

const table = {};
for (const enterpriseUser of [false, true]) {
  const model = await loadSchemaModel({ enterpriseUser, schemaFiles: [], cwd: process.cwd() });
  table[schemaModelKey(model)] = printSchemaModules(model);
}
writeFileSync(PREBUILT_FILE, `${JSON.stringify(table)}\n`);
console.log(`schema modules of ${Object.keys(table).length} bundled schema sets -> ${fileURLToPath(PREBUILT_FILE)}`);
