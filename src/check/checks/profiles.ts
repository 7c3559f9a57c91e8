// The 2026 profiles, with --profiles: the requirements of the SCIM 2.0 Interoperability Profile
// (draft-zollner-scim-interop-profile-01) and of the OpenID IPSIE SCIM profile (Draft 00, AL1
// and AL2) on a service provider that a client can observe without knowing the server. What
// Okta and Entra ID send against a profile (path-less PATCH) is not held against the server.

import { randomUUID } from 'node:crypto';
import { CheckSkipped, expectScimError, expectStatus, fail, jsonBody, listResources, patchOp, sameText, URN, type CheckGroup, type Json } from '../check.js';
import { afterWrite, create, groupsPath, memberUser, oktaUser, read, userNameFor, usersPath } from '../resources.js';

/** The ids a filter finds on an endpoint. */
async function idsFor(ctx: Parameters<CheckGroup['checks'][number]['run']>[0], endpoint: string, filter: string): Promise<string[]> {
  const res = await ctx.request('GET', endpoint, { query: { filter } });
  return listResources(res, `the results of filter=${filter}`).map((r) => String(r.id));
}

export const interopProfile: CheckGroup = {
  name: 'Interoperability profile (draft-zollner-scim-interop-profile-01)',
  checks: [
    {
      id: 'interop.resource-type-ids',
      title: '§5.1 every ResourceType has an id equal to its name, and its schemas are in /Schemas',
      writes: false,
      hint: 'Give each ResourceType `id` = `name`, and serve every schema it references at /Schemas.',
      async run(ctx) {
        const types = listResources(await ctx.request('GET', '/ResourceTypes'), '/ResourceTypes');
        const schemas = new Set(listResources(await ctx.request('GET', '/Schemas'), '/Schemas').map((s) => s.id));
        for (const type of types) {
          if (type.id !== type.name) fail(`ResourceType id "${type.name}"`, `id ${JSON.stringify(type.id)}`);
          for (const urn of [type.schema, ...((type.schemaExtensions ?? []) as Json[]).map((e) => e.schema)]) {
            if (!schemas.has(urn)) fail(`${urn} in /Schemas`, 'absent');
          }
        }
      },
    },
    {
      id: 'interop.case-rules',
      title: '§5.2 userName matches without case in filters and uniqueness; id does not',
      writes: true,
      hint: 'Compare userName case-insensitively both when filtering and when checking uniqueness (409); ids are case-exact.',
      async run(ctx) {
        const user = await create(ctx, usersPath(ctx), oktaUser(ctx, 'CaseRule'));
        const found = await idsFor(ctx, usersPath(ctx), `userName eq "${String(user.userName).toUpperCase()}"`);
        if (!found.includes(user.id)) fail('the user found by its upper-cased userName', `${found.length} results`);
        const twin = oktaUser(ctx, 'caserule');
        twin.userName = String(user.userName).toLowerCase();
        expectScimError(await ctx.request('POST', usersPath(ctx), { body: twin }), 409, 'uniqueness');
        const other = user.id.toUpperCase() === user.id ? user.id.toLowerCase() : user.id.toUpperCase();
        if (other !== user.id) expectScimError(await ctx.request('GET', `${usersPath(ctx)}/${other}`), 404);
      },
    },
    {
      id: 'interop.unknown-attribute',
      title: '§5.3 an undeclared attribute gets 400 invalidSyntax',
      writes: true,
      hint: 'Refuse attributes and schema URIs no schema declares with 400 and scimType "invalidSyntax".',
      async run(ctx) {
        const body = { ...oktaUser(ctx, 'unknown-attr'), favouriteColour: 'blue' };
        const res = await ctx.request('POST', usersPath(ctx), { body });
        if (res.status === 201 && typeof (res.body as Json | undefined)?.id === 'string') ctx.created(`${usersPath(ctx)}/${(res.body as Json).id}`);
        expectScimError(res, 400, 'invalidSyntax');
      },
    },
    {
      id: 'interop.unknown-filter-attribute',
      title: '§6.3 a filter on an undeclared attribute gets 400 invalidFilter',
      writes: false,
      hint: 'Answer a filter naming an attribute the resource type lacks with 400 invalidFilter, not an empty list.',
      async run(ctx) {
        expectScimError(await ctx.request('GET', usersPath(ctx), { query: { filter: 'favouriteColour eq "blue"' } }), 400, 'invalidFilter');
      },
    },
    {
      id: 'interop.page-size',
      title: '§6.4 count=100 is honoured',
      writes: false,
      hint: 'Support count up to at least 100; cap larger counts at a server maximum (returning fewer results).',
      async run(ctx) {
        const hundred = await ctx.request('GET', usersPath(ctx), { query: { count: 100 } });
        const body = jsonBody(hundred, 'a ListResponse');
        const page = listResources(hundred);
        if (page.length < Math.min(100, Number(body.totalResults))) fail('min(100, totalResults) resources', `${page.length}`);
      },
    },
    {
      id: 'interop.complex-replace',
      title: '§6.5.2.1 replace of a whole complex attribute replaces it; add merges',
      writes: true,
      hint: 'With "path": "name", replace swaps the whole name (sub-attributes not given are removed); add merges.',
      async run(ctx) {
        if (!ctx.server.patch) throw new CheckSkipped('the server does not advertise PATCH');
        const user = await create(ctx, usersPath(ctx), { ...oktaUser(ctx, 'complex'), name: { givenName: 'A', familyName: 'B', middleName: 'C' } });
        const path = `${usersPath(ctx)}/${user.id}`;
        const added = await afterWrite(ctx, path, await ctx.request('PATCH', path, { body: patchOp({ op: 'add', path: 'name', value: { honorificPrefix: 'Dr.' } }) }));
        if (added.name?.familyName !== 'B') fail('add of name to keep familyName', JSON.stringify(added.name));
        const replaced = await afterWrite(ctx, path, await ctx.request('PATCH', path, { body: patchOp({ op: 'replace', path: 'name', value: { givenName: 'X' } }) }));
        if (replaced.name?.familyName !== undefined) fail('replace of name to remove familyName', JSON.stringify(replaced.name));
      },
    },
    {
      id: 'interop.lifecycle',
      title: '§6.6 a deleted user is 404 and its userName can be used again',
      writes: true,
      hint: 'DELETE must delete (not deactivate); a deleted resource is 404 everywhere and frees its unique values.',
      async run(ctx) {
        const body = oktaUser(ctx, 'lifecycle');
        const user = await create(ctx, usersPath(ctx), body);
        const path = `${usersPath(ctx)}/${user.id}`;
        expectStatus(await ctx.request('DELETE', path), 204, '204 No Content');
        ctx.deleted(path);
        expectScimError(await ctx.request('GET', path), 404);
        const found = await idsFor(ctx, usersPath(ctx), `userName eq "${body.userName}"`);
        if (found.length > 0) fail('no user with the deleted userName', `${found.length}`);
        await create(ctx, usersPath(ctx), body);
      },
    },
  ],
};

export const ipsieProfile: CheckGroup = {
  name: 'OpenID IPSIE SCIM profile (Draft 00, AL1 and AL2)',
  checks: [
    {
      id: 'ipsie.bulk',
      title: '§4.3 /Bulk is supported',
      writes: false,
      hint: 'Support POST /Bulk (RFC 7644 §3.7) and advertise it in /ServiceProviderConfig.',
      async run(ctx) {
        const config = jsonBody(await ctx.request('GET', '/ServiceProviderConfig'), '/ServiceProviderConfig');
        if (config.bulk?.supported !== true) fail('bulk.supported: true', JSON.stringify(config.bulk));
      },
    },
    {
      id: 'ipsie.deactivate',
      title: '§5.1 PATCH active=false deactivates and active=true reactivates',
      writes: true,
      hint: 'Accept PATCH of active both ways; keep the deactivated user readable.',
      async run(ctx) {
        const user = await create(ctx, usersPath(ctx), oktaUser(ctx, 'deactivate'));
        const path = `${usersPath(ctx)}/${user.id}`;
        for (const active of [false, true]) {
          const after = await afterWrite(ctx, path, await ctx.request('PATCH', path, { body: patchOp({ op: 'replace', path: 'active', value: active }) }));
          if (after.active !== active) fail(`active: ${active}`, `active: ${JSON.stringify(after.active)}`);
        }
      },
    },
    {
      id: 'ipsie.user-filters',
      title: '§5.4 username, externalId, emails[value eq] and emails[type eq "work" and value eq] filters',
      writes: true,
      hint: 'Support these four filters on /Users; attribute names are case-insensitive (username).',
      async run(ctx) {
        const body: Json = { ...oktaUser(ctx, 'filters'), externalId: `ext-${randomUUID()}` };
        const user = await create(ctx, usersPath(ctx), body);
        const email = String(body.emails[0].value);
        for (const filter of [
          `username eq "${body.userName}"`,
          `externalId eq "${body.externalId}"`,
          `emails[value eq "${email}"]`,
          `emails[type eq "work" and value eq "${email}"]`,
        ]) {
          const found = await idsFor(ctx, usersPath(ctx), filter);
          if (!found.includes(user.id)) fail(`the user found by ${filter}`, `${found.length} results`);
        }
      },
    },
    {
      id: 'ipsie.group-filters',
      title: '§6.2.5 displayName, externalId and members[value eq] filters on /Groups',
      writes: true,
      hint: 'Support these three filters on /Groups.',
      async run(ctx) {
        const member = await memberUser(ctx, 'ipsie-member');
        const body = { schemas: [URN.group], displayName: userNameFor(ctx, 'ipsie-group'), externalId: `ext-${randomUUID()}`, members: [{ value: member.id }] };
        const group = await create(ctx, groupsPath(ctx), body);
        for (const filter of [`displayName eq "${body.displayName}"`, `externalId eq "${body.externalId}"`, `members[value eq "${member.id}"]`]) {
          const found = await idsFor(ctx, groupsPath(ctx), filter);
          if (!found.some((id) => sameText(id, group.id))) fail(`the group found by ${filter}`, `${found.length} results`);
        }
      },
    },
    {
      id: 'ipsie.fifty-members',
      title: '§6.2.6 one PATCH with 50 member adds',
      writes: true,
      hint: 'Accept at least 50 add or remove operations on members in one PATCH.',
      async run(ctx) {
        const users: Json[] = [];
        for (let i = 0; i < 50; i++) users.push(await memberUser(ctx, `fifty-${i}`));
        const group = await create(ctx, groupsPath(ctx), { schemas: [URN.group], displayName: userNameFor(ctx, 'fifty'), members: [] });
        const path = `${groupsPath(ctx)}/${group.id}`;
        const res = await ctx.request('PATCH', path, { body: patchOp(...users.map((u) => ({ op: 'add', path: 'members', value: [{ value: u.id }] }))) });
        expectStatus(res, [200, 204], '200 or 204');
        const members = ((await read(ctx, path)).members ?? []) as Json[];
        if (members.length !== 50) fail('50 members', `${members.length}`);
      },
    },
  ],
};
