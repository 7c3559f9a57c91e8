// What Microsoft Entra ID sends for groups (learn.microsoft.com, "Tutorial: Develop and plan
// provisioning for a SCIM endpoint" and "Known issues ... SCIM 2.0 protocol compliance"):
// created with its ADSCIM schema and no members, read with excludedAttributes=members, members
// added as [{"$ref": null, "value": id}], removed with a value array by default or a value
// filter with aadOptscim062020, several in one PATCH; renamed with "Replace".

import { expectStatus, fail, listResources, patchOp, URN, type CheckContext, type CheckGroup, type Json } from '../check.js';
import { afterWrite, create, groupsPath, memberIds, memberUser, read } from '../resources.js';

const groupPath = (ctx: CheckContext) => `${groupsPath(ctx)}/${(ctx.state.get('entra.group') as Json).id}`;
const NEEDS = ['entra.group'] as const;

async function patchGroup(ctx: CheckContext, ...operations: Json[]): Promise<void> {
  const res = await ctx.request('PATCH', groupPath(ctx), { body: patchOp(...operations) });
  await afterWrite(ctx, groupPath(ctx), res, 'Answer membership PATCHes with 204 (Entra ID prefers it) or 200.');
}

async function expectMembers(ctx: CheckContext, want: readonly Json[]): Promise<void> {
  const ids = await memberIds(ctx, groupPath(ctx));
  const expected = want.map((u) => String(u.id)).sort();
  if (JSON.stringify(ids) !== JSON.stringify(expected)) fail(`members ${JSON.stringify(expected)}`, `members ${JSON.stringify(ids)}`);
}

const entraMember = (user: Json) => ({ $ref: null, value: user.id });

export const entraGroups: CheckGroup = {
  name: 'Entra ID: groups',
  checks: [
    {
      id: 'entra.create-group',
      title: 'POST /Groups with the ADSCIM schema URN and no members gets 201',
      writes: true,
      hint: `Entra ID lists ${URN.entraGroup} in a new group's schemas: accept it beside the core Group schema.`,
      async run(ctx) {
        const group = await create(ctx, groupsPath(ctx), {
          schemas: [URN.group, URN.entraGroup],
          externalId: `${ctx.prefix}-entra-group-ext`,
          displayName: `${ctx.prefix} Entra group`,
          meta: { resourceType: 'Group' },
        });
        ctx.state.set('entra.group', group);
      },
    },
    {
      id: 'entra.get-group-excluded',
      title: 'GET /Groups/{id}?excludedAttributes=members leaves members out',
      // It adds a member first, so that there is something to leave out.
      writes: true,
      needs: NEEDS,
      hint: 'Honour excludedAttributes=members (RFC 7644 §3.9): Entra ID reads groups that way and big groups must stay cheap.',
      async run(ctx) {
        const a = await memberUser(ctx, 'member-a');
        await patchGroup(ctx, { op: 'Add', path: 'members', value: [entraMember(a)] });
        const group = await read(ctx, groupPath(ctx), { excludedAttributes: 'members' });
        if ('members' in group) fail('no members attribute', `members ${JSON.stringify(group.members).slice(0, 80)}`);
        if (group.id !== (ctx.state.get('entra.group') as Json).id) fail('the group with its id', `id ${JSON.stringify(group.id)}`);
      },
    },
    {
      id: 'entra.filter-group-excluded',
      title: 'GET /Groups?excludedAttributes=members&filter=displayName eq finds the group without members',
      writes: false,
      needs: NEEDS,
      hint: 'Entra ID matches groups by displayName eq with excludedAttributes=members.',
      async run(ctx) {
        const group = ctx.state.get('entra.group') as Json;
        const res = await ctx.request('GET', groupsPath(ctx), { query: { excludedAttributes: 'members', filter: `displayName eq "${group.displayName}"` } });
        const found = listResources(res);
        if (found.length !== 1 || found[0]!.id !== group.id) fail(`exactly the group ${group.id}`, `ids ${JSON.stringify(found.map((r) => r.id))}`);
        if ('members' in found[0]!) fail('no members attribute', 'members in the result');
      },
    },
    {
      id: 'entra.add-members',
      title: 'PATCH "Add" members [{"$ref": null, "value"}], several in one operation',
      writes: true,
      needs: NEEDS,
      hint: 'Ignore a null $ref in members and add every value of one operation (Entra ID\'s gallery requires multi-member adds).',
      async run(ctx) {
        const [a, b, c] = [await memberUser(ctx, 'member-a'), await memberUser(ctx, 'member-b'), await memberUser(ctx, 'member-c')];
        await patchGroup(ctx, { op: 'Add', path: 'members', value: [entraMember(b), entraMember(c)] });
        await expectMembers(ctx, [a, b, c]);
      },
    },
    {
      id: 'entra.remove-member-value',
      title: 'PATCH "Remove" members with a value array removes only those members',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID (without aadOptscim062020) removes {"op":"Remove","path":"members","value":[{"value":id}]}: remove those ids only, never the whole list.',
      async run(ctx) {
        const [a, b, c] = [await memberUser(ctx, 'member-a'), await memberUser(ctx, 'member-b'), await memberUser(ctx, 'member-c')];
        await patchGroup(ctx, { op: 'Remove', path: 'members', value: [entraMember(a)] });
        await expectMembers(ctx, [b, c]);
      },
    },
    {
      id: 'entra.aadopt-remove-member',
      title: 'aadOptscim062020: PATCH remove members[value eq "<id>"] removes that member',
      writes: true,
      needs: NEEDS,
      hint: 'With aadOptscim062020 Entra ID removes a member with a value filter in the path.',
      async run(ctx) {
        const [b, c] = [await memberUser(ctx, 'member-b'), await memberUser(ctx, 'member-c')];
        await patchGroup(ctx, { op: 'remove', path: `members[value eq "${b.id}"]` });
        await expectMembers(ctx, [c]);
      },
    },
    {
      id: 'entra.rename-group',
      title: 'PATCH "Replace" displayName renames the group',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID renames with {"op":"Replace","path":"displayName"}.',
      async run(ctx) {
        const displayName = `${ctx.prefix} Entra group renamed`;
        await patchGroup(ctx, { op: 'Replace', path: 'displayName', value: displayName });
        const group = await read(ctx, groupPath(ctx), { excludedAttributes: 'members' });
        if (group.displayName !== displayName) fail(`displayName "${displayName}"`, `displayName ${JSON.stringify(group.displayName)}`);
      },
    },
    {
      id: 'entra.delete-group',
      title: 'DELETE /Groups/{id} gets 204',
      writes: true,
      needs: NEEDS,
      hint: 'Entra ID deletes groups that leave its scope: answer 204.',
      async run(ctx) {
        const path = groupPath(ctx);
        expectStatus(await ctx.request('DELETE', path), 204);
        ctx.deleted(path);
      },
    },
  ],
};
