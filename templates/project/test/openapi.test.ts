// openapi.json describes what the server really answers: live responses of every endpoint are
// checked against the document's response schemas.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { responseValidator } from './helpers/openapi.js';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  newGroup,
  newUser,
  patchOp,
  searchRequest,
  URN,
  type Json,
  type ScimResponse,
} from './helpers/scim.js';

const doc: Json = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
const validate = responseValidator(doc);

const { server, client } = useScimServer();
let user: Json;
let group: Json;

beforeAll(async () => {
  user = await createUser(client);
  group = await createGroup(client, { members: [{ value: user.id }] });
});

/**
 * The document's path template for `path` ("/Users/{}"), whatever it calls its parameters,
 * whether or not its paths include the base path, and in a multi-tenant project's document
 * (every SCIM path under /{tenant}) the tenant's.
 */
function template(path: string): string {
  const shape = (p: string) => p.replace(/\{[^}]*\}/g, '{}');
  const found = Object.keys(doc.paths ?? {}).find(
    (p) => shape(p) === path || shape(p) === `${server.basePath}${path}` || shape(p) === `/{}${path}`,
  );
  if (!found) throw new Error(`openapi.json has no path for ${path}`);
  return found;
}

function check(method: string, path: string, res: ScimResponse): void {
  expect(
    () => validate(method, template(path), res.status, res.body),
    `${method} ${path} ${res.status}`,
  ).not.toThrow();
}

describe('openapi.json', () => {
  it('is an OpenAPI 3 document with the SCIM paths', () => {
    expect(String(doc.openapi)).toMatch(/^3\./);
    for (const path of [
      '/Users',
      '/Users/{}',
      '/Groups',
      '/Groups/{}',
      '/ServiceProviderConfig',
      '/ResourceTypes',
      '/Schemas',
    ]) {
      expect(() => template(path)).not.toThrow();
    }
  });

  it('the validator rejects a body that does not match (so the checks below can fail)', () => {
    expect(() => validate('get', template('/Users/{}'), 200, { userName: 42, emails: 'nope' })).toThrow();
  });
});

describe('live responses match openapi.json', () => {
  it('users: list, get, create, replace, patch, delete', async () => {
    check('get', '/Users', await client.get('/Users'));
    check('get', '/Users', await client.get('/Users', { query: { filter: 'userName eq "nobody"' } }));
    check('get', '/Users/{}', await client.get(`/Users/${user.id}`));
    const created = await client.post('/Users', newUser());
    check('post', '/Users', created);
    check(
      'put',
      '/Users/{}',
      await client.put(`/Users/${created.body.id}`, newUser({ userName: created.body.userName })),
    );
    check(
      'patch',
      '/Users/{}',
      await client.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', value: { active: false } })),
    );
    check('delete', '/Users/{}', await client.delete(`/Users/${created.body.id}`));
  });

  it('groups: list, get, create, replace, patch, delete', async () => {
    check('get', '/Groups', await client.get('/Groups'));
    check('get', '/Groups/{}', await client.get(`/Groups/${group.id}`));
    const created = await client.post('/Groups', newGroup({ members: [{ value: user.id }] }));
    check('post', '/Groups', created);
    check(
      'put',
      '/Groups/{}',
      await client.put(`/Groups/${created.body.id}`, newGroup({ displayName: created.body.displayName })),
    );
    check(
      'patch',
      '/Groups/{}',
      await client.patch(
        `/Groups/${created.body.id}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] }),
      ),
    );
    check('delete', '/Groups/{}', await client.delete(`/Groups/${created.body.id}`));
  });

  it('discovery endpoints', async () => {
    check('get', '/ServiceProviderConfig', await client.get('/ServiceProviderConfig'));
    check('get', '/ResourceTypes', await client.get('/ResourceTypes'));
    check('get', '/ResourceTypes/{}', await client.get('/ResourceTypes/User'));
    check('get', '/Schemas', await client.get('/Schemas'));
    check('get', '/Schemas/{}', await client.get(`/Schemas/${URN.user}`));
  });

  it('searches', async () => {
    check(
      'post',
      '/Users/.search',
      await client.post('/Users/.search', searchRequest({ filter: `id eq "${user.id}"` })),
    );
    check('post', '/.search', await client.post('/.search', searchRequest({ filter: `id eq "${user.id}"` })));
  });

  it('/Bulk and /Me', async () => {
    const bulk = (Operations: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations });
    const ok = await client.post('/Bulk', bulk([
      { method: 'POST', path: '/Users', bulkId: 'u', data: newUser() },
      { method: 'POST', path: '/Users', bulkId: 'taken', data: newUser({ userName: user.userName }) },
      { method: 'DELETE', path: '/Users/bulkId:u' },
    ]));
    expect(ok.body.Operations.map((op: Json) => op.status)).toEqual(['201', '409', '204']);
    check('post', '/Bulk', ok);
    check('post', '/Bulk', await client.post('/Bulk', { Operations: [] }));
    check('get', '/Me', await client.get('/Me'));
  });

  it('errors: 400, 401, 404, 409, 412', async () => {
    check('get', '/Users', await client.get('/Users', { query: { filter: 'userName eq' } }));
    check('get', '/Users', await client.get('/Users', { authorization: null }));
    check('get', '/Users/{}', await client.get('/Users/00919288221112222'));
    check('post', '/Users', await client.post('/Users', newUser({ userName: user.userName })));
    check('patch', '/Users/{}', await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove' })));
    check(
      'put',
      '/Users/{}',
      await client.put(`/Users/${user.id}`, newUser({ userName: user.userName }), {
        headers: { 'If-Match': 'W/"stale"' },
      }),
    );
  });
});
