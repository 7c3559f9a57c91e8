// Discovery (RFC 7644 §4): what the server says about itself. Okta's "Import User Schema" and
// Entra ID's schema discovery read /ResourceTypes and /Schemas; the rest of the run uses the
// endpoints and extensions found here.

import { clip, describeResponse, expectStatus, fail, jsonBody, listResources, URN, type CheckGroup, type Json } from '../check.js';

export const discovery: CheckGroup = {
  name: 'Discovery',
  checks: [
    {
      id: 'discovery.service-provider-config',
      title: 'GET /ServiceProviderConfig describes the server',
      writes: false,
      hint: 'Serve /ServiceProviderConfig (RFC 7643 §5) with patch, filter, sort, etag, bulk, changePassword and authenticationSchemes.',
      async run(ctx) {
        const res = await ctx.request('GET', '/ServiceProviderConfig');
        expectStatus(res, 200);
        const spc = jsonBody(res, 'the ServiceProviderConfig');
        if (!Array.isArray(spc.schemas) || !spc.schemas.includes(URN.serviceProviderConfig)) {
          fail(`schemas listing ${URN.serviceProviderConfig}`, `schemas ${JSON.stringify(spc.schemas)}`, undefined, res);
        }
        for (const feature of ['patch', 'filter', 'bulk', 'changePassword', 'sort', 'etag']) {
          if (typeof spc[feature]?.supported !== 'boolean') {
            fail(`${feature}.supported as a boolean (RFC 7643 §5)`, `${feature}: ${clip(JSON.stringify(spc[feature]) ?? 'absent', 60)}`, undefined, res);
          }
        }
        if (!Array.isArray(spc.authenticationSchemes)) {
          fail('authenticationSchemes as an array', `authenticationSchemes: ${JSON.stringify(spc.authenticationSchemes) ?? 'absent'}`, undefined, res);
        }
        ctx.server.patch = spc.patch.supported === true;
        if (spc.filter.supported !== true) {
          fail('filter.supported: true', 'filter.supported: false', 'Okta and Entra ID find users with filter=userName eq "...": support filtering.', res);
        }
      },
    },
    {
      id: 'discovery.resource-types',
      title: 'GET /ResourceTypes lists User (and Group) with their schemas',
      writes: false,
      hint: 'Serve /ResourceTypes as a ListResponse (RFC 7643 §6): Okta reads the User type\'s schemaExtensions to import custom attributes.',
      async run(ctx) {
        const res = await ctx.request('GET', '/ResourceTypes');
        const types = listResources(res, 'a ListResponse of ResourceTypes');
        const user = types.find((t) => t.schema === URN.user);
        if (!user || typeof user.endpoint !== 'string') {
          fail(`a ResourceType with schema ${URN.user} and an endpoint`, `types ${clip(JSON.stringify(types.map((t) => t.name ?? t.id)), 120)}`, undefined, res);
        }
        ctx.server.endpoints.User = endpoint(user.endpoint);
        const group = types.find((t) => t.schema === URN.group);
        ctx.server.endpoints.Group = typeof group?.endpoint === 'string' ? endpoint(group.endpoint) : undefined;
        const extensions = ((user.schemaExtensions ?? []) as Json[]).map((e) => e.schema);
        ctx.server.enterpriseUser = extensions.includes(URN.enterprise);
        ctx.state.set('schemaIds', [user.schema, ...extensions, ...(group ? [group.schema] : [])]);
      },
    },
    {
      id: 'discovery.schemas',
      title: 'GET /Schemas defines every schema the resource types name',
      writes: false,
      needs: ['schemaIds'],
      hint: 'Serve /Schemas as a ListResponse of schema definitions (RFC 7643 §7), one per schema and extension in /ResourceTypes.',
      async run(ctx) {
        const res = await ctx.request('GET', '/Schemas');
        const schemas = listResources(res, 'a ListResponse of Schemas');
        const ids = new Set(schemas.map((s) => s.id));
        const missing = (ctx.state.get('schemaIds') as string[]).filter((id) => !ids.has(id));
        if (missing.length > 0) fail(`definitions of ${missing.join(', ')}`, `only ${[...ids].join(', ') || 'none'}`, undefined, res);
        const user = schemas.find((s) => s.id === URN.user);
        const userName = ((user?.attributes ?? []) as Json[]).find((a) => a.name === 'userName');
        if (!userName) fail('the core User schema defining userName', describeResponse(res), undefined, res);
        if (userName.uniqueness !== 'server' || userName.caseExact !== false) {
          fail(
            'userName with uniqueness "server" and caseExact false (RFC 7643 §4.1)',
            `uniqueness ${JSON.stringify(userName.uniqueness)}, caseExact ${JSON.stringify(userName.caseExact)}`,
            'Okta checks that an uppercased userName finds the same user: userName is unique and not case-exact.',
            res,
          );
        }
      },
    },
    {
      id: 'discovery.content-type',
      title: 'responses are application/scim+json',
      writes: false,
      hint: 'Send Content-Type: application/scim+json on every SCIM response (RFC 7644 §3.1; Entra ID requires it).',
      async run(ctx) {
        const res = await ctx.request('GET', ctx.server.endpoints.User, { query: { count: 1 } });
        if (!/^application\/scim\+json\b/i.test(res.contentType)) {
          fail('Content-Type: application/scim+json', res.contentType ? `Content-Type: ${res.contentType}` : 'no Content-Type', undefined, res);
        }
      },
    },
  ],
};

/** "/Users", from an endpoint given relative ("/Users", "Users") or as a URL. */
function endpoint(value: string): string {
  const path = /^https?:\/\//i.test(value) ? new URL(value).pathname.replace(/^.*(\/[^/]+)$/, '$1') : value;
  return `/${path.replace(/^\/+/, '')}`;
}
