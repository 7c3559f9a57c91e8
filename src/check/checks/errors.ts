// Authentication and errors: requests identity providers get wrong, and the SCIM error body
// (RFC 7644 §3.12) they parse. Okta shows the `detail` of an error to the admin.

import { randomUUID } from 'node:crypto';
import { CheckSkipped, expectScimError, URN, type CheckGroup } from '../check.js';
import { create, usersPath, userNameFor } from '../resources.js';

export const authentication: CheckGroup = {
  name: 'Authentication',
  checks: [
    {
      id: 'auth.no-credentials',
      title: 'a request without credentials gets 401 with a SCIM error',
      writes: false,
      hint: 'Refuse unauthenticated requests with 401 and a SCIM error body whose status is "401" (Okta\'s SPEC test checks it).',
      async run(ctx) {
        expectScimError(await ctx.request('GET', usersPath(ctx), { credentials: 'none' }), 401);
      },
    },
    {
      id: 'auth.wrong-credentials',
      title: 'a request with a wrong secret gets 401 with a SCIM error',
      writes: false,
      hint: 'Compare the whole secret and refuse any other value with 401 (403 is for a known caller without permission).',
      async run(ctx) {
        if (ctx.state.get('auth') === 'none') throw new CheckSkipped('no credentials were given');
        expectScimError(await ctx.request('GET', usersPath(ctx), { credentials: 'wrong' }), 401);
      },
    },
  ],
};

export const errors: CheckGroup = {
  name: 'Errors (RFC 7644 §3.12)',
  checks: [
    {
      id: 'errors.not-found',
      title: 'GET of an unknown user id gets 404 with a SCIM error',
      writes: false,
      hint: 'Answer an unknown id with 404 and a SCIM error: Entra ID\'s Test Connection reads a random id and expects exactly that.',
      async run(ctx) {
        expectScimError(await ctx.request('GET', `${usersPath(ctx)}/${randomUUID()}`), 404);
      },
    },
    {
      id: 'errors.invalid-filter',
      title: 'an unparsable filter gets 400 invalidFilter',
      writes: false,
      hint: 'Answer a filter the server cannot parse with 400 and scimType "invalidFilter", not 500 or an empty list.',
      async run(ctx) {
        expectScimError(await ctx.request('GET', usersPath(ctx), { query: { filter: 'userName eq' } }), 400, 'invalidFilter');
      },
    },
    {
      id: 'errors.missing-required',
      title: 'POST /Users without userName gets 400 with a SCIM error',
      writes: true,
      hint: 'Validate required attributes: answer a User without userName with 400 (scimType "invalidValue"), creating nothing.',
      async run(ctx) {
        // Created anyway by a lenient server: create() would have scheduled it, so do the same.
        const res = await ctx.request('POST', usersPath(ctx), { body: { schemas: [URN.user], name: { givenName: 'No', familyName: 'UserName' } } });
        const id = (res.body as { id?: unknown } | undefined)?.id;
        if (res.status < 300 && typeof id === 'string') ctx.created(`${usersPath(ctx)}/${id}`);
        expectScimError(res, 400);
      },
    },
    {
      id: 'errors.invalid-patch',
      title: 'a PATCH with an unknown op gets 400 with a SCIM error',
      writes: true,
      hint: 'Answer a PatchOp whose op is not add, remove or replace with 400 (scimType "invalidSyntax" or "invalidValue").',
      async run(ctx) {
        const user = await create(ctx, usersPath(ctx), { schemas: [URN.user], userName: userNameFor(ctx, 'bad-patch') });
        const body = { schemas: [URN.patchOp], Operations: [{ op: 'merge', path: 'displayName', value: 'x' }] };
        expectScimError(await ctx.request('PATCH', `${usersPath(ctx)}/${user.id}`, { body }), 400);
      },
    },
  ],
};
