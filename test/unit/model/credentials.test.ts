// Custom-schema attributes that look like credentials (the IPSIE SCIM profile §6.1.2 forbids
// them): found in the user's own schemas, never in the bundled RFC ones (User's `password`).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { credentialLikeAttributes } from '../../../src/model/credentials.js';
import { loadSchemaModel } from '../../../src/model/load.js';

const URN = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-credentials-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modelWith(attributes: unknown[]) {
  await writeFile(join(dir, 'acme.json'), JSON.stringify({ id: URN, name: 'Acme', attributes }));
  return loadSchemaModel({ enterpriseUser: true, schemaFiles: ['acme.json'], extend: { [URN]: 'User' }, cwd: dir });
}

describe('credentialLikeAttributes', () => {
  test('names password, key, token and MFA-seed attributes of custom schemas, sub-attributes included', async () => {
    const model = await modelWith([
      { name: 'badge', type: 'string' },
      { name: 'pinPasscode', type: 'string' },
      { name: 'apiKey', type: 'string' },
      { name: 'mfa', type: 'complex', subAttributes: [{ name: 'totpSeed', type: 'string' }, { name: 'device', type: 'string' }] },
      { name: 'sshKey', type: 'string' },
    ]);
    expect(credentialLikeAttributes(model)).toEqual([`${URN}:pinPasscode`, `${URN}:apiKey`, `${URN}:mfa.totpSeed`, `${URN}:sshKey`]);
  });

  test('ignores the bundled RFC schemas, whose User declares password', async () => {
    expect(credentialLikeAttributes(await modelWith([{ name: 'badge', type: 'string' }]))).toEqual([]);
  });
});
