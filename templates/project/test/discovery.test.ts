// Discovery endpoints (RFC 7644 §4, RFC 7643 §5-7): what Okta's schema import, Entra's
// schema discovery and the SCIM validators read before they provision anything.

import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimContentType, expectScimError, URN, type Json } from './helpers/scim.js';

const { client } = useScimServer();

describe('GET /ServiceProviderConfig', () => {
  let config: Json;

  beforeAll(async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expectScimContentType(res);
    config = res.body;
  });

  it('uses the ServiceProviderConfig schema', () => {
    expect(config.schemas).toEqual([URN.serviceProviderConfig]);
  });

  it('advertises PATCH', () => {
    expect(config.patch).toEqual({ supported: true });
  });

  it('advertises filtering with an integer maxResults', () => {
    expect(config.filter.supported).toBe(true);
    expect(Number.isInteger(config.filter.maxResults)).toBe(true);
    expect(config.filter.maxResults).toBeGreaterThan(0);
  });

  it('advertises sorting and ETags', () => {
    expect(config.sort).toEqual({ supported: true });
    expect(config.etag).toEqual({ supported: true });
  });

  it('advertises bulk with its limits (RFC 7644 §3.7.4), not changePassword', () => {
    expect(config.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1024 * 1024 });
    expect(config.changePassword).toEqual({ supported: false });
  });

  it('lists at least one authentication scheme with type, name and description', () => {
    expect(Array.isArray(config.authenticationSchemes)).toBe(true);
    expect(config.authenticationSchemes.length).toBeGreaterThan(0);
    for (const scheme of config.authenticationSchemes) {
      expect(typeof scheme.type).toBe('string');
      expect(typeof scheme.name).toBe('string');
      expect(typeof scheme.description).toBe('string');
    }
  });

  it('describes itself in meta', () => {
    expect(config.meta.resourceType).toBe('ServiceProviderConfig');
  });
});

describe('GET /ResourceTypes', () => {
  let list: Json;

  beforeAll(async () => {
    const res = await client.get('/ResourceTypes');
    expect(res.status).toBe(200);
    expectScimContentType(res);
    list = res.body;
  });

  it('is a ListResponse whose counts match its resources', () => {
    expect(list.schemas).toEqual([URN.listResponse]);
    expect(list.totalResults).toBe(list.Resources.length);
    expect(Number.isInteger(list.itemsPerPage)).toBe(true);
    expect(list.startIndex).toBe(1);
  });

  it.each([
    { name: 'User', endpoint: '/Users', schema: URN.user },
    { name: 'Group', endpoint: '/Groups', schema: URN.group },
  ])('describes $name at $endpoint', ({ name, endpoint, schema }) => {
    const type = list.Resources.find((r: Json) => r.name === name);
    expect(type).toMatchObject({
      schemas: [URN.resourceType],
      id: name,
      name,
      endpoint,
      schema,
      meta: { resourceType: 'ResourceType' },
    });
    expect(Array.isArray(type.schemaExtensions ?? [])).toBe(true);
  });

  it.each(['User', 'Group'])('serves /ResourceTypes/%s alone', async (name) => {
    const res = await client.get(`/ResourceTypes/${name}`);
    expect(res.status).toBe(200);
    expectScimContentType(res);
    expect(res.body).toEqual(list.Resources.find((r: Json) => r.id === name));
  });

  it('answers 404 for an unknown resource type', async () => {
    expectScimError(await client.get('/ResourceTypes/Widget'), 404);
  });
});

describe('GET /Schemas', () => {
  let schemas: Json[];
  let resourceTypes: Json[];

  beforeAll(async () => {
    const res = await client.get('/Schemas');
    expect(res.status).toBe(200);
    expectScimContentType(res);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(res.body.totalResults).toBe(res.body.Resources.length);
    schemas = res.body.Resources;
    resourceTypes = (await client.get('/ResourceTypes')).body.Resources;
  });

  it('lists exactly the schemas the resource types use', () => {
    const used = new Set<string>();
    for (const type of resourceTypes) {
      used.add(type.schema);
      for (const extension of type.schemaExtensions ?? []) used.add(extension.schema);
    }
    expect(schemas.map((s) => s.id).sort()).toEqual([...used].sort());
  });

  it('gives each schema the Schema schema, a name and attributes', () => {
    for (const schema of schemas) {
      expect(schema.schemas).toEqual([URN.schema]);
      expect(typeof schema.name).toBe('string');
      expect(schema.attributes.length).toBeGreaterThan(0);
      expect(schema.meta.resourceType).toBe('Schema');
    }
  });

  it('describes userName as required, unique and case-insensitive', () => {
    const user = schemas.find((s) => s.id === URN.user);
    const userName = user.attributes.find((a: Json) => a.name === 'userName');
    expect(userName).toMatchObject({
      type: 'string',
      multiValued: false,
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
  });

  it('describes password as writeOnly and never returned', () => {
    const user = schemas.find((s) => s.id === URN.user);
    const password = user.attributes.find((a: Json) => a.name === 'password');
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });

  it('describes Group members with value, $ref and type', () => {
    const group = schemas.find((s) => s.id === URN.group);
    const members = group.attributes.find((a: Json) => a.name === 'members');
    expect(members).toMatchObject({ type: 'complex', multiValued: true });
    const subNames = members.subAttributes.map((a: Json) => a.name);
    expect(subNames).toEqual(expect.arrayContaining(['value', '$ref', 'type']));
  });

  it('gives every attribute all its characteristics', () => {
    const check = (attribute: Json, where: string) => {
      for (const key of ['name', 'type', 'multiValued', 'required', 'mutability', 'returned']) {
        expect(attribute[key], `${where}.${attribute.name}.${key}`).toBeDefined();
      }
      for (const sub of attribute.subAttributes ?? []) check(sub, `${where}.${attribute.name}`);
    };
    for (const schema of schemas) for (const a of schema.attributes) check(a, schema.id);
  });

  it('serves each schema at /Schemas/{urn}', async () => {
    for (const schema of schemas) {
      const res = await client.get(`/Schemas/${schema.id}`);
      expect(res.status, schema.id).toBe(200);
      expect(res.body).toEqual(schema);
    }
  });

  it('answers 404 for an unknown schema', async () => {
    expectScimError(await client.get('/Schemas/urn:example:params:scim:schemas:Nope'), 404);
  });
});

describe('filters on discovery endpoints', () => {
  // RFC 7644 §4: answering unfiltered would let a client believe its filter was applied.
  it.each(['/Schemas', '/ResourceTypes', '/ServiceProviderConfig'])('%s?filter=... answers 403', async (path) => {
    const res = await client.get(path, { query: { filter: 'id eq "x"' } });
    expectScimError(res, 403);
  });
});
