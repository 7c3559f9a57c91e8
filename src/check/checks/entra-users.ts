// What Microsoft Entra ID sends for a user (learn.microsoft.com, "Tutorial: Develop and plan
// provisioning for a SCIM endpoint" and "Known issues ... SCIM 2.0 protocol compliance"): eq
// filters on userName, externalId and the work email; a create with the Enterprise extension;
// PATCH with capitalised ops and "True"/"False" strings by default, and with the
// aadOptscim062020 flag lowercase ops and a path-less replace whose keys are attribute paths.

import { fail, listResources, patchOp, URN, type CheckContext, type CheckGroup, type Json } from '../check.js';
import { afterWrite, create, read, usersPath, userNameFor } from '../resources.js';

const userPath = (ctx: CheckContext) => `${usersPath(ctx)}/${(ctx.state.get('entra.user') as Json).id}`;
const NEEDS = ['entra.user'] as const;

async function findBy(ctx: CheckContext, filter: string): Promise<Json[]> {
  return listResources(await ctx.request('GET', usersPath(ctx), { query: { filter } }));
}

async function patchUser(ctx: CheckContext, ...operations: Json[]): Promise<Json> {
  return afterWrite(ctx, userPath(ctx), await ctx.request('PATCH', userPath(ctx), { body: patchOp(...operations) }));
}

function expectValue(user: Json, path: string, want: unknown): void {
  const got = path.split('.').reduce<unknown>((v, key) => (v as Json | undefined)?.[key], user);
  if (got !== want) fail(`${path} ${JSON.stringify(want)}`, `${path} ${JSON.stringify(got)}`);
}

const workEmail = (user: Json) => ((user.emails ?? []) as Json[]).find((e) => e.type === 'work')?.value;

export const entraUsers: CheckGroup = {
  name: 'Entra ID: users',
  checks: [
    {
      id: 'entra.lookup-unknown',
      title: 'filter=userName eq and externalId eq for unknown values get empty ListResponses',
      writes: false,
      hint: 'Entra ID queries before creating, with eq only: answer no match with 200 and an empty ListResponse.',
      async run(ctx) {
        for (const filter of [`userName eq "${userNameFor(ctx, 'entra-nobody')}"`, `externalId eq "${ctx.prefix}-entra-nobody"`]) {
          const found = await findBy(ctx, filter);
          if (found.length > 0) fail(`no resources for ${filter}`, `${found.length}`);
        }
      },
    },
    {
      id: 'entra.create-user',
      title: 'POST /Users as Entra ID sends it (extension schema, meta, roles: []) gets 201',
      writes: true,
      hint: 'Accept what Entra ID sends on create: the Enterprise extension URN in schemas, a client-sent meta.resourceType, name.formatted and roles: [].',
      async run(ctx) {
        const userName = userNameFor(ctx, 'entra');
        const user = await create(ctx, usersPath(ctx), {
          schemas: [URN.user, ...(ctx.server.enterpriseUser ? [URN.enterprise] : [])],
          externalId: `${ctx.prefix}-entra-ext`,
          userName,
          active: true,
          emails: [{ primary: true, type: 'work', value: `${ctx.prefix}-entra.work@example.com` }],
          meta: { resourceType: 'User' },
          name: { formatted: 'Check Entra', familyName: 'Entra', givenName: 'Check' },
          roles: [],
        });
        expectValue(user, 'userName', userName);
        ctx.state.set('entra.user', user);
      },
    },
    {
      id: 'entra.filter-matching',
      title: 'filters on userName, externalId, the work email and "and" find the user',
      writes: false,
      needs: NEEDS,
      hint: 'Every attribute Entra ID matches on must be filterable with eq, and eq terms joined with and (the only operators it sends).',
      async run(ctx) {
        const user = ctx.state.get('entra.user') as Json;
        for (const filter of [
          `userName eq "${user.userName}"`,
          `externalId eq "${user.externalId}"`,
          `emails[type eq "work"].value eq "${ctx.prefix}-entra.work@example.com"`,
          `userName eq "${user.userName}" and externalId eq "${user.externalId}"`,
        ]) {
          const found = await findBy(ctx, filter);
          if (found.length !== 1 || found[0]!.id !== user.id) fail(`exactly the user ${user.id} for ${filter}`, `ids ${JSON.stringify(found.map((r) => r.id))}`);
        }
      },
    },
    {
      id: 'entra.patch-replace',
      title: 'PATCH "Replace" ops (capitalised) on paths, filtered paths and the extension',
      writes: true,
      needs: NEEDS,
      hint: 'Take op case-insensitively ("Replace"), and support emails[type eq "work"].value and URN-qualified extension paths.',
      async run(ctx) {
        const email = `${ctx.prefix}-entra.changed@example.com`;
        const user = await patchUser(
          ctx,
          { op: 'Replace', path: 'displayName', value: 'Check Entra Replaced' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
          { op: 'Replace', path: 'name.familyName', value: 'Replaced' },
          ...(ctx.server.enterpriseUser ? [{ op: 'Replace', path: `${URN.enterprise}:employeeNumber`, value: '1001' }] : []),
        );
        expectValue(user, 'displayName', 'Check Entra Replaced');
        expectValue(user, 'name.familyName', 'Replaced');
        if (workEmail(user) !== email) fail(`the work email ${email}`, `emails ${JSON.stringify(user.emails)}`);
        if (ctx.server.enterpriseUser && user[URN.enterprise]?.employeeNumber !== '1001') {
          fail('employeeNumber "1001" in the Enterprise extension', JSON.stringify(user[URN.enterprise] ?? null));
        }
      },
    },
    {
      id: 'entra.patch-add',
      title: 'PATCH "Add" of a single-valued attribute sets it',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID sends {"op": "Add", "path": "nickName", "value": "..."}: add on a single-valued attribute replaces it.',
      async run(ctx) {
        expectValue(await patchUser(ctx, { op: 'Add', path: 'nickName', value: 'Checky' }), 'nickName', 'Checky');
      },
    },
    {
      id: 'entra.disable-string',
      title: 'PATCH "Replace" active "False" (a string) disables, "True" enables',
      writes: true,
      needs: NEEDS,
      hint: 'Without aadOptscim062020 Entra ID sends booleans as "True"/"False" strings: accept them for boolean attributes.',
      async run(ctx) {
        await patchUser(ctx, { op: 'Replace', path: 'active', value: 'False' });
        expectValue(await read(ctx, userPath(ctx)), 'active', false);
        await patchUser(ctx, { op: 'Replace', path: 'active', value: 'True' });
        expectValue(await read(ctx, userPath(ctx)), 'active', true);
      },
    },
    {
      id: 'entra.aadopt-disable',
      title: 'aadOptscim062020: PATCH replace active false (a boolean) disables; the user stays readable',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID soft-deletes with active false and expects the user to stay readable until a DELETE.',
      async run(ctx) {
        await patchUser(ctx, { op: 'replace', path: 'active', value: false });
        expectValue(await read(ctx, userPath(ctx)), 'active', false);
        await patchUser(ctx, { op: 'replace', path: 'active', value: true });
      },
    },
    {
      id: 'entra.aadopt-replace',
      title: 'aadOptscim062020: path-less replace with "name.givenName" and URN-qualified keys',
      writes: true,
      needs: NEEDS,
      hint: 'With aadOptscim062020 Entra ID puts attribute paths as keys of a path-less replace: apply each key as a path.',
      async run(ctx) {
        const value: Json = { displayName: 'Check Entra Flagged', 'name.givenName': 'Flagged' };
        if (ctx.server.enterpriseUser) value[`${URN.enterprise}:employeeNumber`] = '2002';
        const user = await patchUser(ctx, { op: 'replace', value });
        expectValue(user, 'displayName', 'Check Entra Flagged');
        expectValue(user, 'name.givenName', 'Flagged');
        if (ctx.server.enterpriseUser && user[URN.enterprise]?.employeeNumber !== '2002') {
          fail('employeeNumber "2002" in the Enterprise extension', JSON.stringify(user[URN.enterprise] ?? null));
        }
      },
    },
    {
      id: 'entra.delete-user',
      title: 'DELETE /Users/{id} gets 204, then the user is 404',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID hard-deletes with DELETE: answer 204, and 404 for the id from then on.',
      async run(ctx) {
        const path = userPath(ctx);
        const res = await ctx.request('DELETE', path);
        if (res.status !== 204) fail('204 No Content', `${res.status}`);
        ctx.deleted(path);
        const after = await ctx.request('GET', path);
        if (after.status !== 404) fail('404 for the deleted user', `${after.status}`);
      },
    },
  ],
};
