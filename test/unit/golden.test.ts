// Golden snapshot of the default generated tree: every file generate() plans for the default
// answers, compared with test/golden/default/. Review a change to the output as a diff there;
// update it with `npx vitest run test/unit/golden.test.ts -u`.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/emit/generate.js';
import { loadSchemaModel } from '../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS } from '../../src/options.js';

const GOLDEN = join(import.meta.dirname, '../golden/default');

describe('golden: default project (fastify + sqlite + bearer, enterprise user)', async () => {
  const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
  const plan = generate({ ...DEFAULT_PROJECT_OPTIONS, projectName: 'my-scim' }, model);

  it('plans the same files', async () => {
    await expect(plan.map((f) => `${f.owner.padEnd(9)} ${f.path}`).join('\n') + '\n').toMatchFileSnapshot(
      join(GOLDEN, '..', 'default.files.txt'),
    );
  });

  for (const file of plan) {
    it(file.path, async () => {
      await expect(file.content).toMatchFileSnapshot(join(GOLDEN, file.path));
    });
  }
});
