// The Enterprise User extension (RFC 7643 §4.3): discovery, storage under its URN, filtering
// and projection by URN-qualified names, and the PATCH forms Entra ID sends for it.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createUser,
  expectScimError,
  fetchResource,
  ids,
  newUser,
  patchOp,
  URN,
  type Json,
} from './helpers/scim.js';

const { client } = useScimServer();

const EXT = URN.enterpriseUser;

/** A user with enterprise data, the way Entra creates one. */
function enterpriseUser(extension: Record<string, unknown> = {}): Record<string, Json> {
  return newUser({
    schemas: [URN.user, EXT],
    [EXT]: { employeeNumber: '701984', department: 'Tour Operations', costCenter: '4130', ...extension },
  });
}

async function createEnterpriseUser(extension: Record<string, unknown> = {}): Promise<Json> {
  const res = await client.post('/Users', enterpriseUser(extension));
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function patchUser(id: string, ...operations: Json[]): Promise<Json> {
  const res = await client.patch(`/Users/${id}`, patchOp(...operations));
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('discovery', () => {
  it('lists the extension on the User resource type', async () => {
    const res = await client.get('/ResourceTypes/User');
    expect(res.body.schemaExtensions).toContainEqual({ schema: EXT, required: false });
  });

  it('serves the extension schema with its attributes', async () => {
    const res = await client.get(`/Schemas/${EXT}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(EXT);
    const names = res.body.attributes.map((a: Json) => a.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'employeeNumber',
        'costCenter',
        'organization',
        'division',
        'department',
        'manager',
      ]),
    );
  });

  it('lists the extension in /Schemas', async () => {
    const res = await client.get('/Schemas');
    expect(res.body.Resources.map((s: Json) => s.id)).toEqual(
      expect.arrayContaining([URN.user, URN.group, EXT]),
    );
  });
});

describe('create and read', () => {
  it('stores extension attributes under the URN and lists the URN in schemas', async () => {
    const created = await createEnterpriseUser();
    expect(created.schemas).toEqual(expect.arrayContaining([URN.user, EXT]));
    expect(created[EXT]).toMatchObject({
      employeeNumber: '701984',
      department: 'Tour Operations',
      costCenter: '4130',
    });
    expect(await fetchResource(client, `/Users/${created.id}`)).toEqual(created);
  });

  it('stores a manager reference', async () => {
    const manager = await createUser(client);
    const created = await createEnterpriseUser({ manager: { value: manager.id } });
    expect(created[EXT].manager.value).toBe(manager.id);
  });

  it('refuses an unknown extension attribute with 400', async () => {
    const res = await client.post('/Users', enterpriseUser({ favouriteColour: 'blue' }));
    expectScimError(res, 400);
  });

  it('PUT without the extension removes its data', async () => {
    const created = await createEnterpriseUser();
    const res = await client.put(`/Users/${created.id}`, newUser({ userName: created.userName }));
    expect(res.status, res.text).toBe(200);
    expect(res.body).not.toHaveProperty([EXT]);
  });
});

describe('filtering', () => {
  it('filters on a URN-qualified extension attribute', async () => {
    const department = `Dept ${randomUUID()}`;
    const created = await createEnterpriseUser({ department });
    await createEnterpriseUser({ department: `${department} other` });
    const res = await client.get('/Users', { query: { filter: `${EXT}:department eq "${department}"` } });
    expect(ids(res)).toEqual([created.id]);
  });

  it('filters on a URN-qualified sub-attribute (manager.value)', async () => {
    const manager = await createUser(client);
    const report = await createEnterpriseUser({ manager: { value: manager.id } });
    const res = await client.get('/Users', { query: { filter: `${EXT}:manager.value eq "${manager.id}"` } });
    expect(ids(res)).toEqual([report.id]);
  });

  it('treats the URN case-insensitively', async () => {
    const employeeNumber = randomUUID();
    const created = await createEnterpriseUser({ employeeNumber });
    const res = await client.get('/Users', {
      query: { filter: `${EXT.toUpperCase()}:employeeNumber eq "${employeeNumber}"` },
    });
    expect(ids(res)).toEqual([created.id]);
  });
});

describe('projection', () => {
  it('attributes=<urn>:department returns only that extension attribute', async () => {
    const created = await createEnterpriseUser();
    const res = await client.get(`/Users/${created.id}`, { query: { attributes: `${EXT}:department` } });
    expect(res.body[EXT]).toEqual({ department: 'Tour Operations' });
    expect(res.body).not.toHaveProperty('userName');
  });

  it('excludedAttributes=<urn> leaves the extension out', async () => {
    const created = await createEnterpriseUser();
    const res = await client.get(`/Users/${created.id}`, { query: { excludedAttributes: EXT } });
    expect(res.body).not.toHaveProperty([EXT]);
    expect(res.body.userName).toBe(created.userName);
  });
});

describe('PATCH (Entra forms)', () => {
  it('Replace with a URN-qualified path', async () => {
    const created = await createEnterpriseUser();
    const body = await patchUser(created.id, { op: 'Replace', path: `${EXT}:employeeNumber`, value: '42' });
    expect(body[EXT].employeeNumber).toBe('42');
    expect(body[EXT].department).toBe('Tour Operations');
  });

  it('Add with a URN-qualified path on a user without the extension adds it to schemas', async () => {
    const created = await createUser(client);
    const body = await patchUser(created.id, { op: 'Add', path: `${EXT}:department`, value: 'Sales' });
    expect(body[EXT]).toEqual({ department: 'Sales' });
    expect(body.schemas).toEqual(expect.arrayContaining([URN.user, EXT]));
  });

  it('path-less replace with URN-qualified and dotted keys (aadOptscim062020)', async () => {
    const created = await createEnterpriseUser();
    const body = await patchUser(created.id, {
      op: 'replace',
      value: {
        [`${EXT}:employeeNumber`]: '1000',
        'name.givenName': 'Barbara',
        [`${EXT}:department`]: 'Finance',
      },
    });
    expect(body[EXT]).toMatchObject({ employeeNumber: '1000', department: 'Finance', costCenter: '4130' });
    expect(body.name.givenName).toBe('Barbara');
    expect(body).not.toHaveProperty([`${EXT}:employeeNumber`]);
  });

  it('path-less replace with the extension as a nested object merges it', async () => {
    const created = await createEnterpriseUser();
    const body = await patchUser(created.id, { op: 'replace', value: { [EXT]: { division: 'North' } } });
    expect(body[EXT]).toMatchObject({ division: 'North', employeeNumber: '701984' });
  });

  it('Remove with a URN-qualified path', async () => {
    const created = await createEnterpriseUser();
    const body = await patchUser(created.id, { op: 'Remove', path: `${EXT}:costCenter` });
    expect(body[EXT]).not.toHaveProperty('costCenter');
    expect(body[EXT].employeeNumber).toBe('701984');
  });

  it('sets and removes the manager', async () => {
    const manager = await createUser(client);
    const created = await createEnterpriseUser();
    const added = await patchUser(created.id, {
      op: 'Add',
      path: `${EXT}:manager`,
      value: { value: manager.id },
    });
    expect(added[EXT].manager.value).toBe(manager.id);

    const removed = await patchUser(created.id, { op: 'Remove', path: `${EXT}:manager` });
    expect(removed[EXT]?.manager).toBeUndefined();
  });

  it('removes the manager with manager[value eq "id"] (seen from Entra)', async () => {
    const manager = await createUser(client);
    const created = await createEnterpriseUser({ manager: { value: manager.id } });
    const body = await patchUser(created.id, {
      op: 'Remove',
      path: `${EXT}:manager[value eq "${manager.id}"]`,
    });
    expect(body[EXT]?.manager).toBeUndefined();
  });

  it('refuses an unknown attribute of the extension with 400 invalidSyntax', async () => {
    const created = await createEnterpriseUser();
    const res = await client.patch(
      `/Users/${created.id}`,
      patchOp({ op: 'Replace', path: `${EXT}:favouriteColour`, value: 'x' }),
    );
    expectScimError(res, 400, 'invalidSyntax');
  });
});
