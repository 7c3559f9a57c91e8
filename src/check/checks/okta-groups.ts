// Okta's Group Push (developer.okta.com, "SCIM 2.0 protocol reference"): create with empty
// members, look up by displayName eq, rename by a path-less replace that carries the group's
// id, add members without a type, remove one by a value filter, replace the whole list (also
// with []), PUT the whole group (App Integration Wizard apps), DELETE when unlinked.

import { expectScimError, expectStatus, fail, listResources, patchOp, URN, type CheckContext, type CheckGroup, type Json } from '../check.js';
import { afterWrite, create, groupsPath, memberIds, memberUser, read } from '../resources.js';

const groupPath = (ctx: CheckContext) => `${groupsPath(ctx)}/${(ctx.state.get('okta.group') as Json).id}`;

async function patchGroup(ctx: CheckContext, ...operations: Json[]): Promise<Json> {
  return afterWrite(ctx, groupPath(ctx), await ctx.request('PATCH', groupPath(ctx), { body: patchOp(...operations) }));
}

async function expectMembers(ctx: CheckContext, want: readonly Json[], hint?: string): Promise<void> {
  const ids = await memberIds(ctx, groupPath(ctx));
  const expected = want.map((u) => String(u.id)).sort();
  if (JSON.stringify(ids) !== JSON.stringify(expected)) fail(`members ${JSON.stringify(expected)}`, `members ${JSON.stringify(ids)}`, hint);
}

const NEEDS = ['okta.group'] as const;

export const oktaGroups: CheckGroup = {
  name: 'Okta: Group Push',
  checks: [
    {
      id: 'okta.create-group',
      title: 'POST /Groups with "members": [] gets 201 with the group',
      writes: true,
      hint: 'Accept a Group with displayName and an empty members array and return it with its id.',
      async run(ctx) {
        const group = await create(ctx, groupsPath(ctx), { schemas: [URN.group], displayName: `${ctx.prefix} Okta group`, members: [] });
        ctx.state.set('okta.group', group);
      },
    },
    {
      id: 'okta.lookup-group',
      title: 'filter=displayName eq finds the group',
      writes: false,
      needs: NEEDS,
      hint: 'Okta links pushed groups by displayName eq: support that filter on /Groups.',
      async run(ctx) {
        const group = ctx.state.get('okta.group') as Json;
        const res = await ctx.request('GET', groupsPath(ctx), { query: { filter: `displayName eq "${group.displayName}"`, startIndex: 1, count: 100 } });
        const found = listResources(res);
        if (found.length !== 1 || found[0]!.id !== group.id) fail(`exactly the group ${group.id}`, `ids ${JSON.stringify(found.map((r) => r.id))}`);
      },
    },
    {
      id: 'okta.add-members',
      title: 'PATCH add members [{value, display}] (no type) adds them',
      writes: true,
      needs: NEEDS,
      hint: 'Okta adds members as {value, display} without type: take value as the user id.',
      async run(ctx) {
        const [a, b] = [await memberUser(ctx, 'member-a'), await memberUser(ctx, 'member-b')];
        await patchGroup(ctx, { op: 'add', path: 'members', value: [a, b].map((u) => ({ value: u.id, display: u.userName })) });
        await expectMembers(ctx, [a, b]);
      },
    },
    {
      id: 'okta.rename-group',
      title: 'PATCH replace {"id", "displayName"} (no path) renames the group',
      writes: true,
      needs: NEEDS,
      hint: 'Okta\'s rename puts the group\'s own id in the value: accept an unchanged id (readOnly, RFC 7644 §3.5.2) and rename.',
      async run(ctx) {
        const group = ctx.state.get('okta.group') as Json;
        const displayName = `${ctx.prefix} Okta group renamed`;
        await patchGroup(ctx, { op: 'replace', value: { id: group.id, displayName } });
        const now = await read(ctx, groupPath(ctx));
        if (now.displayName !== displayName) fail(`displayName "${displayName}"`, `displayName ${JSON.stringify(now.displayName)}`);
        ctx.state.set('okta.group', { ...group, displayName });
      },
    },
    {
      id: 'okta.remove-member',
      title: 'PATCH remove members[value eq "<id>"] removes that member only',
      writes: true,
      needs: NEEDS,
      hint: 'Apply a remove with a value filter to the matching member only; the others stay.',
      async run(ctx) {
        const [a, b] = [await memberUser(ctx, 'member-a'), await memberUser(ctx, 'member-b')];
        // Okta re-sends members the group has: adding one already there must change nothing.
        await patchGroup(ctx, { op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] });
        await expectMembers(ctx, [a, b], 'Adding a member the group already has changes nothing (RFC 7644 §3.5.2.1): keep one membership per user.');
        await patchGroup(ctx, { op: 'remove', path: `members[value eq "${a.id}"]` });
        await expectMembers(ctx, [b]);
      },
    },
    {
      id: 'okta.replace-members',
      title: 'PATCH replace members [...] sets the list, and [] empties it',
      writes: true,
      needs: NEEDS,
      hint: 'Okta\'s "Push now" replaces the whole member list, with [] for an empty group: accept both.',
      async run(ctx) {
        const a = await memberUser(ctx, 'member-a');
        await patchGroup(ctx, { op: 'replace', path: 'members', value: [{ value: a.id, display: a.userName }] });
        await expectMembers(ctx, [a]);
        await patchGroup(ctx, { op: 'replace', path: 'members', value: [] });
        await expectMembers(ctx, []);
      },
    },
    {
      id: 'okta.put-group',
      title: 'PUT /Groups/{id} with displayName and members sets both (App Integration Wizard apps)',
      writes: true,
      needs: NEEDS,
      hint: 'Apps made with the App Integration Wizard push groups by PUT of the whole group, members included.',
      async run(ctx) {
        const [a, b] = [await memberUser(ctx, 'member-a'), await memberUser(ctx, 'member-b')];
        const group = ctx.state.get('okta.group') as Json;
        const body = { schemas: [URN.group], id: group.id, displayName: group.displayName, members: [a, b].map((u) => ({ value: u.id, display: u.userName })) };
        await afterWrite(ctx, groupPath(ctx), await ctx.request('PUT', groupPath(ctx), { body }));
        await expectMembers(ctx, [a, b]);
      },
    },
    {
      id: 'okta.delete-group',
      title: 'DELETE /Groups/{id} gets 204, then the group is 404',
      writes: true,
      needs: NEEDS,
      hint: 'Okta deletes a pushed group when an admin unlinks it with "delete in target app": 204, then 404 for the id.',
      async run(ctx) {
        const path = groupPath(ctx);
        expectStatus(await ctx.request('DELETE', path), 204);
        ctx.deleted(path);
        expectScimError(await ctx.request('GET', path), 404);
      },
    },
  ],
};
