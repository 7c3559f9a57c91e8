// `npm run typecheck`, second half: every golden case (test/golden/cases.ts: the default project
// and each other adapter swapped in) generated whole into .typecheck/<case>/ and type-checked
// with the adapters' real framework and driver types (the repository's devDependencies), so a
// type error in any adapter's files fails the command. Cases whose tsconfig compiler options
// agree are checked in one TypeScript program.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { generate } from '../src/emit/generate.js';
import { loadSchemaModel } from '../src/model/load.js';
import { goldenCases } from '../test/golden/cases.js';

const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.typecheck');

await rm(OUT, { recursive: true, force: true });
const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: REPO });
const groups = new Map<string, { compilerOptions: object; cases: string[] }>();
for (const { name, options } of goldenCases()) {
  const plan = generate(options, model);
  for (const file of plan) {
    const path = join(OUT, name, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  const tsconfig = JSON.parse(plan.find((f) => f.path === 'tsconfig.json')!.content) as { compilerOptions: object };
  const key = JSON.stringify(tsconfig.compilerOptions);
  const group = groups.get(key) ?? { compilerOptions: tsconfig.compilerOptions, cases: [] };
  group.cases.push(name);
  groups.set(key, group);
}

let failed = false;
for (const [i, { compilerOptions, cases }] of [...groups.values()].entries()) {
  const config = join(OUT, `tsconfig.${i}.json`);
  const include = cases.flatMap((name) => [`${name}/src`, `${name}/test`]);
  await writeFile(config, JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, rootDir: '.' }, include }, null, 2));
  const result = await execa('npx', ['tsc', '-p', config], { cwd: REPO, reject: false, all: true });
  console.log(`${result.exitCode === 0 ? '✔' : '✖'} type-checked ${cases.join(', ')}`);
  if (result.exitCode !== 0) {
    console.error(result.all);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
