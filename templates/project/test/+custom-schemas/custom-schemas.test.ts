// The custom schemas in schemas/ end to end, derived from the schemas themselves: every custom
// resource type and every custom extension is discovered, created, read, replaced, filtered,
// sorted, patched, projected and deleted over HTTP, with uniqueness and required attributes
// enforced. Editing a schema file and regenerating changes what this file tests.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourceTypes, schemas } from '../src/generated/schemas.gen.js';
import { responseValidator } from './helpers/openapi.js';
import {
  bodyFor,
  customResourceTypes,
  customSections,
  endpointOf,
  freeStrings,
  holder,
  newTag,
  pathOf,
  sampleObject,
  sampleValue,
  shownByDefault,
  writable,
  type Section,
} from './helpers/schema-values.js';
import { expectScimError, ids, patchOp, URN, type Json } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';

const doc: Json = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
const validate = responseValidator(doc);

const { client } = useScimServer();

async function create(section: Section, values?: Json): Promise<Json> {
  const res = await client.post(endpointOf(section), bodyFor(section, values));
  expect(res.status, `POST ${endpointOf(section)}: ${res.text}`).toBe(201);
  validate('POST', endpointOf(section), 201, res.body);
  return res.body;
}

/** Resources of the section's type matching `filter`, by id. */
async function filtered(section: Section, filter: string): Promise<string[]> {
  const res = await client.get(endpointOf(section), { query: { filter } });
  expect(res.status, `filter ${filter}: ${res.text}`).toBe(200);
  return ids(res);
}

const quote = (value: string) => JSON.stringify(value);
/** Another case of the same string, so case-insensitive matching is really exercised. */
const otherCase = (value: string) => (value === value.toUpperCase() ? value.toLowerCase() : value.toUpperCase());

describe('discovery lists every schema file', () => {
  it('serves each schema at /Schemas/{id} with its attributes', async () => {
    for (const schema of schemas) {
      const res = await client.get(`/Schemas/${schema.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.attributes.map((a: Json) => a.name)).toEqual(schema.attributes.map((a) => a.name));
    }
  });

  it('serves each resource type at /ResourceTypes with its schema and extensions', async () => {
    const res = await client.get('/ResourceTypes');
    expect(res.status).toBe(200);
    for (const type of resourceTypes) {
      const served = res.body.Resources.find((r: Json) => r.id === type.id);
      expect(served, type.id).toMatchObject({ name: type.name, endpoint: type.endpoint, schema: type.schema });
      expect(served.schemaExtensions).toEqual(type.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })));
    }
  });
});

for (const type of customResourceTypes()) {
  const section: Section = { type, schema: schemas.find((s) => s.id === type.schema)! };

  describe(`${type.endpoint}: paging in Okta's list form`, () => {
    it(`answers GET ${type.endpoint}?count=1&startIndex=1 with a one-item ListResponse`, async () => {
      await create(section);
      await create(section);
      const res = await client.get(type.endpoint, { query: { count: 1, startIndex: 1 } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.schemas).toEqual([URN.listResponse]);
      expect(res.body).toMatchObject({ itemsPerPage: 1, startIndex: 1 });
      expect(res.body.totalResults).toBeGreaterThanOrEqual(2);
      expect(res.body.Resources).toHaveLength(1);
      validate('GET', type.endpoint, 200, res.body);

      const second = await client.get(type.endpoint, { query: { count: 1, startIndex: 2 } });
      expect(ids(second)).toHaveLength(1);
      expect(ids(second)).not.toEqual(ids(res));
    });
  });
}

for (const section of customSections()) {
  const { schema, type } = section;
  const attrs = schema.attributes;
  const label = section.extension ? `extension ${schema.name} on ${type.endpoint}` : `${type.endpoint} (${schema.name})`;

  describe(label, () => {
    it('creates, reads, replaces and deletes a resource with every writable attribute', async () => {
      const tag = newTag();
      const values = sampleObject(attrs, tag, true);
      // readOnly values a client sends are the server's to set: ignored, not stored.
      const readOnly = attrs.filter((a) => a.mutability === 'readOnly');
      const sent = { ...values, ...Object.fromEntries(readOnly.map((a) => [a.name, sampleValue(a, tag)])) };
      const created = await create(section, sent);
      for (const attr of readOnly) expect(holder(created, section)?.[attr.name], attr.name).toBeUndefined();
      const got = await client.get(`${type.endpoint}/${created.id}`);
      expect(got.status).toBe(200);
      validate('GET', `${type.endpoint}/{id}`, 200, got.body);
      for (const attr of writable(attrs)) {
        const shown = holder(got.body, section)?.[attr.name];
        if (shownByDefault(attr)) expect(shown, attr.name).toEqual(values[attr.name]);
        else expect(shown, `${attr.name} is returned "${attr.returned}"`).toBeUndefined();
      }

      const changeable = freeStrings(attrs).find((a) => a.mutability === 'readWrite');
      if (changeable) {
        const replaced = { ...values, [changeable.name]: `${changeable.name}-${newTag()}` };
        // Read, change, write back: the way a client replaces a resource it already has.
        const { id: _id, meta: _meta, ...body } = got.body;
        if (section.extension) body[section.extension] = replaced;
        else Object.assign(body, replaced);
        const put = await client.put(`${type.endpoint}/${created.id}`, body);
        expect(put.status, put.text).toBe(200);
        expect(holder(put.body, section)[changeable.name]).toBe(replaced[changeable.name]);
      }

      expect((await client.delete(`${type.endpoint}/${created.id}`)).status).toBe(204);
      expectScimError(await client.get(`${type.endpoint}/${created.id}`), 404);
    });

    for (const attr of freeStrings(attrs)) {
      const path = pathOf(section, attr);
      it(`filters on ${path} with eq and sw${attr.caseExact ? ', case-exact' : ', ignoring case'}`, async () => {
        const resource = await create(section);
        const value: string = holder(resource, section)[attr.name];
        expect(await filtered(section, `${path} eq ${quote(value)}`)).toEqual([resource.id]);
        expect(await filtered(section, `${path} sw ${quote(value.slice(0, -2))}`)).toContain(resource.id);
        const cased = await filtered(section, `${path} eq ${quote(otherCase(value))}`);
        expect(cased).toEqual(attr.caseExact ? [] : [resource.id]);
        expect(await filtered(section, `${path} pr and id eq ${quote(resource.id)}`)).toEqual([resource.id]);
        expect(await filtered(section, `not (${path} pr) and id eq ${quote(resource.id)}`)).toEqual([]);
      });

      it(`sorts by ${path} both ways`, async () => {
        const tag = newTag();
        const make = (suffix: string) => create(section, { ...sampleObject(attrs, newTag(), true), [attr.name]: `${attr.name}-${tag}-${suffix}` });
        const b = await make('b');
        const a = await make('a');
        const filter = `${path} sw ${quote(`${attr.name}-${tag}-`)}`;
        for (const [sortOrder, expected] of [['ascending', [a.id, b.id]], ['descending', [b.id, a.id]]] as const) {
          const res = await client.get(type.endpoint, { query: { filter, sortBy: path, sortOrder } });
          expect(res.status, res.text).toBe(200);
          expect(ids(res)).toEqual(expected);
        }
      });
    }

    for (const attr of writable(attrs).filter((a) => !a.multiValued && (a.type === 'integer' || a.type === 'decimal' || a.type === 'dateTime' || a.type === 'boolean'))) {
      const path = pathOf(section, attr);
      it(`filters on ${path} (${attr.type}) in the database`, async () => {
        const resource = await create(section);
        const value = sampleValue(attr, '');
        const only = ` and id eq ${quote(resource.id)}`;
        const literal = JSON.stringify(value);
        expect(await filtered(section, `${path} eq ${literal}${only}`)).toEqual([resource.id]);
        if (attr.type !== 'boolean') {
          expect(await filtered(section, `${path} ge ${literal}${only}`)).toEqual([resource.id]);
          expect(await filtered(section, `${path} gt ${literal}${only}`)).toEqual([]);
        }
      });
    }

    for (const attr of writable(attrs).filter((a) => a.type === 'complex' && shownByDefault(a))) {
      const sub = freeStrings(attr.subAttributes ?? [])[0];
      if (!sub) continue;
      const path = pathOf(section, attr, sub);
      it(`filters on the sub-attribute ${path}`, async () => {
        const resource = await create(section);
        const held = holder(resource, section)[attr.name];
        const value: string = (Array.isArray(held) ? held[0] : held)[sub.name];
        expect(await filtered(section, `${path} eq ${quote(value)}`)).toEqual([resource.id]);
      });
    }

    const patchable = writable(attrs).filter((a) => a.mutability === 'readWrite' && shownByDefault(a) && !a.required);
    if (patchable.length > 0) {
      it(`patches ${patchable.map((a) => a.name).join(', ')} by path: replace, add, remove`, async () => {
        const resource = await create(section);
        const url = `${type.endpoint}/${resource.id}`;
        for (const attr of patchable) {
          const path = pathOf(section, attr);
          const value = sampleValue(attr, newTag());
          const replaced = await client.patch(url, patchOp({ op: 'replace', path, value }));
          expect(replaced.status, replaced.text).toBe(200);
          expect(holder(replaced.body, section)?.[attr.name], path).toEqual(value);

          if (attr.multiValued) {
            const more = sampleValue(attr, newTag()) as unknown[];
            const added = await client.patch(url, patchOp({ op: 'add', path, value: more }));
            expect(added.status, added.text).toBe(200);
            const expected = attr.type === 'complex' ? [...(value as unknown[]), ...more].length : 2;
            expect(holder(added.body, section)[attr.name]).toHaveLength(expected);
          }

          const removed = await client.patch(url, patchOp({ op: 'remove', path }));
          expect(removed.status, removed.text).toBe(200);
          expect(holder(removed.body, section)?.[attr.name], path).toBeUndefined();
        }
      });
    }

    for (const attr of freeStrings(attrs).filter((a) => a.mutability === 'immutable')) {
      it(`refuses to change the immutable ${pathOf(section, attr)} with 400 mutability`, async () => {
        const resource = await create(section);
        const path = pathOf(section, attr);
        const res = await client.patch(`${type.endpoint}/${resource.id}`, patchOp({ op: 'replace', path, value: `${attr.name}-${newTag()}` }));
        expectScimError(res, 400, 'mutability');
        const same = await client.patch(`${type.endpoint}/${resource.id}`, patchOp({ op: 'replace', path, value: holder(resource, section)[attr.name] }));
        expect(same.status, same.text).toBe(200);
      });
    }

    const shown = writable(attrs).filter(shownByDefault).filter((a) => a.returned !== 'always');
    const first = shown[0];
    const other = shown[1];
    if (first) {
      it(`projects ${pathOf(section, first)} with attributes and excludedAttributes`, async () => {
        const resource = await create(section);
        const url = `${type.endpoint}/${resource.id}`;
        const only = await client.get(url, { query: { attributes: pathOf(section, first) } });
        expect(only.status, only.text).toBe(200);
        expect(only.body.id).toBe(resource.id);
        expect(holder(only.body, section)[first.name]).toEqual(holder(resource, section)[first.name]);
        if (other) expect(holder(only.body, section)[other.name]).toBeUndefined();

        const without = await client.get(url, { query: { excludedAttributes: pathOf(section, first) } });
        expect(without.status).toBe(200);
        expect(holder(without.body, section)?.[first.name]).toBeUndefined();
        if (other) expect(holder(without.body, section)[other.name]).toEqual(holder(resource, section)[other.name]);
      });
    }

    for (const attr of writable(attrs).filter((a) => a.returned === 'request' && a.mutability !== 'writeOnly')) {
      it(`returns ${pathOf(section, attr)} (returned "request") only when asked`, async () => {
        const resource = await create(section);
        expect(holder(resource, section)?.[attr.name]).toBeUndefined();
        const asked = await client.get(`${type.endpoint}/${resource.id}`, { query: { attributes: pathOf(section, attr) } });
        expect(holder(asked.body, section)[attr.name]).toBeDefined();
      });
    }

    for (const attr of freeStrings(attrs).filter((a) => a.uniqueness !== 'none')) {
      it(`refuses a second ${pathOf(section, attr)} with 409 uniqueness${attr.caseExact ? '' : ', ignoring case'}`, async () => {
        const first = await create(section);
        const value: string = holder(first, section)[attr.name];
        const taken = attr.caseExact ? value : otherCase(value);
        const clash = await client.post(type.endpoint, bodyFor(section, { ...sampleObject(attrs, newTag(), true), [attr.name]: taken }));
        expectScimError(clash, 409, 'uniqueness');
        if (attr.caseExact) {
          const other = await client.post(type.endpoint, bodyFor(section, { ...sampleObject(attrs, newTag(), true), [attr.name]: otherCase(value) }));
          expect(other.status, other.text).toBe(201);
        }
      });
    }

    for (const attr of writable(attrs).filter((a) => a.required)) {
      it(`refuses a resource without the required ${pathOf(section, attr)} with 400 invalidValue`, async () => {
        const { [attr.name]: _left, ...rest } = sampleObject(attrs, newTag(), true);
        const res = await client.post(type.endpoint, bodyFor(section, rest));
        expectScimError(res, 400, 'invalidValue');
        expect(res.body.detail).toContain(attr.name);
      });
    }
  });
}
