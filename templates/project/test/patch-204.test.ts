// SCIM_PATCH_STATUS=204: PATCH answers 204 No Content (what Entra prefers for membership
// changes) while still applying the change; errors keep their SCIM bodies.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  fetchResource,
  memberIds,
  patchOp,
} from './helpers/scim.js';

const { client } = useScimServer({ SCIM_PATCH_STATUS: '204' });

describe('PATCH with SCIM_PATCH_STATUS=204', () => {
  it('answers a user PATCH with 204 and no body, and applies it', async () => {
    const user = await createUser(client);
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await fetchResource(client, `/Users/${user.id}`)).active).toBe(false);
  });

  it('answers a group membership PATCH with 204 and applies it', async () => {
    const user = await createUser(client);
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] }),
    );
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([user.id]);
  });

  it('still answers errors with a SCIM body', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'noSuchAttribute', value: 1 }),
    );
    expectScimError(res, 400, 'invalidSyntax');
  });

  it('leaves the other methods unchanged (PUT answers 200 with the resource)', async () => {
    const user = await createUser(client);
    const res = await client.put(`/Users/${user.id}`, { ...user, title: 'Still 200' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Still 200');
  });
});
