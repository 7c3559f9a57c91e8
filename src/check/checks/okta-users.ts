// What Okta sends for a user (developer.okta.com, "SCIM 2.0 protocol reference" and "Build your
// SCIM API service"): look up by userName eq, create with a password placeholder, 409 on a
// duplicate, read by id, update by PUT of the whole object, deactivate and reactivate by PATCH
// (OIN apps) or by PUT (App Integration Wizard apps). Okta never deletes users.

import { expectScimError, fail, listResources, patchOp, sameText, type CheckContext, type CheckGroup, type Json } from '../check.js';
import { afterWrite, create, oktaUser, read, usersPath, userNameFor } from '../resources.js';

const lookup = (ctx: CheckContext, userName: string) =>
  ctx.request('GET', usersPath(ctx), { query: { filter: `userName eq "${userName}"`, startIndex: 1, count: 100 } });

const userPath = (ctx: CheckContext) => `${usersPath(ctx)}/${(ctx.state.get('okta.user') as Json).id}`;

export const oktaUsers: CheckGroup = {
  name: 'Okta: users',
  checks: [
    {
      id: 'okta.lookup-unknown',
      title: 'filter=userName eq "<unknown>" gets 200 with totalResults 0',
      writes: false,
      hint: 'Okta looks every user up before creating it: an unknown userName is an empty ListResponse, not 404.',
      async run(ctx) {
        const found = listResources(await lookup(ctx, userNameFor(ctx, 'nobody')));
        if (found.length > 0) fail('no resources', `${found.length} resources`);
      },
    },
    {
      id: 'okta.create-user',
      title: 'POST /Users as Okta sends it (password placeholder, groups: []) gets 201 with the user',
      writes: true,
      hint: 'Accept the password Okta always sends (store nothing or hash it, never return it) and ignore the read-only groups: [].',
      async run(ctx) {
        const input = oktaUser(ctx, 'okta');
        const user = await create(ctx, usersPath(ctx), input);
        if (user.userName !== input.userName) fail(`userName "${input.userName}" as sent`, `userName ${JSON.stringify(user.userName)}`, 'Store userName exactly as sent.');
        if (user.active !== true) fail('active: true', `active: ${JSON.stringify(user.active)}`);
        if ('password' in user) fail('no password in the response', 'a password attribute', 'password is returned "never" (RFC 7643 §4.1.1).');
        ctx.state.set('okta.user', user);
      },
    },
    {
      id: 'okta.lookup-user',
      title: 'filter=userName eq finds the user Okta created',
      writes: false,
      needs: ['okta.user'],
      hint: 'Okta matches existing users only with userName eq: the filter must find a user just created.',
      async run(ctx) {
        const user = ctx.state.get('okta.user') as Json;
        const found = listResources(await lookup(ctx, user.userName));
        if (found.length !== 1 || found[0]!.id !== user.id) fail(`exactly the user ${user.id}`, `ids ${JSON.stringify(found.map((r) => r.id))}`);
      },
    },
    {
      id: 'okta.lookup-case',
      title: 'filter=userName eq with the userName uppercased finds the same user',
      writes: false,
      needs: ['okta.user'],
      hint: 'userName is caseExact false (RFC 7643 §4.1.1): compare it case-insensitively in filters and uniqueness.',
      async run(ctx) {
        const user = ctx.state.get('okta.user') as Json;
        const found = listResources(await lookup(ctx, String(user.userName).toUpperCase()));
        if (found.length !== 1 || found[0]!.id !== user.id) fail(`exactly the user ${user.id}`, `ids ${JSON.stringify(found.map((r) => r.id))}`);
      },
    },
    {
      id: 'okta.duplicate-user',
      title: 'POST /Users with a taken userName gets 409 uniqueness',
      writes: true,
      needs: ['okta.user'],
      hint: 'Answer a duplicate userName with 409 and scimType "uniqueness": Okta then looks the user up and links it.',
      async run(ctx) {
        const user = ctx.state.get('okta.user') as Json;
        const res = await ctx.request('POST', usersPath(ctx), { body: { ...oktaUser(ctx, 'okta'), userName: String(user.userName).toUpperCase() } });
        const id = (res.body as Json | undefined)?.id;
        if (res.status === 201 && typeof id === 'string') ctx.created(`${usersPath(ctx)}/${id}`);
        expectScimError(res, 409, 'uniqueness');
      },
    },
    {
      id: 'okta.get-user',
      title: 'GET /Users/{id} returns the fields Okta reads',
      writes: false,
      needs: ['okta.user'],
      hint: 'Return id, userName, name.givenName, name.familyName, emails and active on every user.',
      async run(ctx) {
        const user = await read(ctx, userPath(ctx));
        const missing = ['id', 'userName', 'active'].filter((k) => user[k] === undefined);
        if (!user.name?.givenName || !user.name?.familyName) missing.push('name.givenName', 'name.familyName');
        if (!Array.isArray(user.emails) || !user.emails[0]?.value) missing.push('emails[0].value');
        if (missing.length > 0) fail('id, userName, name.givenName, name.familyName, emails[0].value and active', `missing ${missing.join(', ')}`);
      },
    },
    {
      id: 'okta.put-user',
      title: 'PUT /Users/{id} with the whole object updates the profile',
      writes: true,
      needs: ['okta.user'],
      hint: 'Okta updates profiles by GET then PUT of the whole user: replace the resource with what PUT sends (RFC 7644 §3.5.1).',
      async run(ctx) {
        const current = await read(ctx, userPath(ctx));
        const res = await ctx.request('PUT', userPath(ctx), { body: { ...current, name: { ...current.name, givenName: 'Renamed' }, password: 'Placeholder-2!' } });
        const user = await afterWrite(ctx, userPath(ctx), res);
        if (user.name?.givenName !== 'Renamed') fail('name.givenName "Renamed"', `name.givenName ${JSON.stringify(user.name?.givenName)}`);
      },
    },
    {
      id: 'okta.deactivate-patch',
      title: 'PATCH replace {"active": false} (no path) deactivates; the user stays readable',
      writes: true,
      needs: ['okta.user'],
      hint: 'Okta deactivates with a path-less replace whose value is {"active": false}; keep the user and return it with active false.',
      async run(ctx) {
        await setActive(ctx, 'PATCH', false);
      },
    },
    {
      id: 'okta.reactivate-patch',
      title: 'PATCH replace {"active": true} (no path) reactivates',
      writes: true,
      needs: ['okta.user'],
      hint: 'Okta reactivates a user with the same path-less replace, {"active": true}.',
      async run(ctx) {
        await setActive(ctx, 'PATCH', true);
      },
    },
    {
      id: 'okta.deactivate-put',
      title: 'PUT with "active": false deactivates (App Integration Wizard apps)',
      writes: true,
      needs: ['okta.user'],
      hint: 'Apps made with Okta\'s App Integration Wizard deactivate by PUT of the whole user with active false.',
      async run(ctx) {
        await setActive(ctx, 'PUT', false);
      },
    },
    {
      id: 'okta.reactivate-put',
      title: 'PUT with "active": true reactivates',
      writes: true,
      needs: ['okta.user'],
      hint: 'Reactivation by PUT sends the whole user with active true.',
      async run(ctx) {
        await setActive(ctx, 'PUT', true);
      },
    },
  ],
};

async function setActive(ctx: CheckContext, method: 'PATCH' | 'PUT', active: boolean): Promise<void> {
  const path = userPath(ctx);
  const body = method === 'PATCH' ? patchOp({ op: 'replace', value: { active } }) : { ...(await read(ctx, path)), active };
  await afterWrite(ctx, path, await ctx.request(method, path, { body }));
  // Read it back, as Okta does: an inactive user must still be there (200), with the new state.
  const user = await read(ctx, path);
  if (user.active !== active) fail(`GET after ${method}: active ${active}`, `active ${JSON.stringify(user.active)}`);
  if (!sameText(user.userName, (ctx.state.get('okta.user') as Json).userName)) fail('the same user', `userName ${JSON.stringify(user.userName)}`);
}
