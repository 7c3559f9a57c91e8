// Golden snapshots of generated trees (test/golden/cases.ts): the default project whole, and for
// every other adapter the files that differ from the default once that adapter is swapped in.
// Review a change to the output as a diff there; update with
// `npx vitest run test/unit/golden.test.ts -u` (delete test/golden/<case>/ first when files go).
// `npm run typecheck` type-checks every case's whole tree (scripts/typecheck-adapters.ts).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/emit/generate.js';
import { loadSchemaModel } from '../../src/model/load.js';
import { goldenCases } from '../golden/cases.js';

const GOLDEN = join(import.meta.dirname, '../golden');
const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
const [defaultCase, ...others] = goldenCases();
const defaultPlan = generate(defaultCase!.options, model);
const defaultContent = new Map(defaultPlan.map((f) => [f.path, f.content]));
const listing = (plan: typeof defaultPlan) => plan.map((f) => `${f.owner.padEnd(9)} ${f.path}`).join('\n') + '\n';

describe('golden: default project (fastify + sqlite + bearer, enterprise user)', () => {
  it('plans the same files', async () => {
    await expect(listing(defaultPlan)).toMatchFileSnapshot(join(GOLDEN, 'default.files.txt'));
  });

  for (const file of defaultPlan) {
    it(file.path, async () => {
      await expect(file.content).toMatchFileSnapshot(join(GOLDEN, 'default', file.path));
    });
  }
});

describe.each(others)('golden: $name (what differs from the default)', ({ name, options }) => {
  const plan = generate(options, model);
  const differing = plan.filter((f) => defaultContent.get(f.path) !== f.content);

  it('plans the same files', async () => {
    await expect(listing(plan)).toMatchFileSnapshot(join(GOLDEN, `${name}.files.txt`));
  });

  it('differs from the default where the adapter lives', () => {
    // A swapped adapter that changes nothing would make its case (and its type-check) hollow.
    expect(differing.some((f) => f.path.startsWith('src/generated/'))).toBe(true);
  });

  for (const file of differing) {
    it(file.path, async () => {
      await expect(file.content).toMatchFileSnapshot(join(GOLDEN, name, file.path));
    });
  }
});
