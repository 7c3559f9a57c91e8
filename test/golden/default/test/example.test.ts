// An example of a test of your own, to copy: it provisions a user the way Okta does and reads it
// back over HTTP from the real server. This file is yours; regeneration never touches it.
// `npm test` runs it with the generated suite.

import { describe, expect, it } from 'vitest';
import { createUser, fetchResource, newUser, URN } from './helpers/scim.js';
import { useScimServer } from './scim-server.js';

const { client } = useScimServer({
  // Already there when the tests start, as if provisioned earlier.
  seed: async (client) => {
    await createUser(client, { userName: 'grace@example.com', name: { givenName: 'Grace', familyName: 'Hopper' } });
  },
});

describe('provisioning a user the way Okta does', () => {
  it('looks the user up by userName, creates it when absent and reads it back', async () => {
    const user = newUser({ userName: 'ada@example.com' });

    // Okta first checks whether the user exists...
    const search = await client.get('/Users', { query: { filter: 'userName eq "ada@example.com"' } });
    expect(search.status).toBe(200);
    expect(search.body.totalResults).toBe(0);

    // ...then creates it.
    const created = await client.post('/Users', user);
    expect(created.status, created.text).toBe(201);

    const stored = await fetchResource(client, `/Users/${created.body.id}`);
    expect(stored).toMatchObject({
      schemas: expect.arrayContaining([URN.user]),
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      active: true,
    });
    // The placeholder password Okta sends is never returned.
    expect(stored.password).toBeUndefined();
  });

  it('finds the seeded user instead of creating it twice', async () => {
    const search = await client.get('/Users', { query: { filter: 'userName eq "grace@example.com"' } });
    expect(search.status).toBe(200);
    expect(search.body.totalResults).toBe(1);
    expect(search.body.Resources[0].name).toMatchObject({ givenName: 'Grace', familyName: 'Hopper' });
  });
});
