// A proxy between the checker and a good server that breaks one behaviour at a time, so that
// each check is seen failing: one breakage per check id, written from what that check sends.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyRequest {
  method: string;
  /** Relative to the base path: "/Users/123". */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: any;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export interface Breakage {
  /** Changes the request before it goes on; a Reply answers it instead. */
  request?(req: ProxyRequest): Reply | void;
  /** Changes the answer. */
  response?(req: ProxyRequest, res: Reply): void;
}

export async function startProxy(target: string, basePath: string): Promise<{ url: string; use(b?: Breakage): void; close(): Promise<void> }> {
  let breakage: Breakage | undefined;
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', async () => {
      const url = new URL(incoming.url ?? '/', 'http://proxy');
      const text = Buffer.concat(chunks).toString();
      const req: ProxyRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname.slice(basePath.length),
        query: url.searchParams,
        headers: Object.fromEntries(Object.entries(incoming.headers).map(([k, v]) => [k, String(v)])),
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      let reply = breakage?.request?.(req) ?? undefined;
      if (!reply) {
        const { host: _host, 'content-length': _length, ...headers } = req.headers;
        const query = req.query.toString();
        const res = await fetch(`${target}${basePath}${req.path}${query ? `?${query}` : ''}`, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
        });
        const body = await res.text();
        reply = { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' }, body: body ? (JSON.parse(body) as unknown) : undefined };
        breakage?.response?.(req, reply);
      }
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      outgoing.writeHead(reply.status, reply.headers).end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    use: (b) => void (breakage = b),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SCIM = { 'content-type': 'application/scim+json' };

const scimError = (status: number, scimType?: string): Reply => ({
  status,
  headers: SCIM,
  body: { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail: 'Broken by the test proxy' },
});
const emptyList: Reply = { status: 200, headers: SCIM, body: { schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] } };
const noContent: Reply = { status: 204, headers: {}, body: undefined };

const ops = (r: ProxyRequest): any[] => (r.method === 'PATCH' ? (r.body?.Operations ?? []) : []);
const anyOp = (r: ProxyRequest, test: (op: any) => boolean) => ops(r).some(test);
const filter = (r: ProxyRequest) => r.query.get('filter') ?? '';
const isList = (r: ProxyRequest, type: string) => r.method === 'GET' && r.path === `/${type}`;
const isOne = (r: ProxyRequest, type: string) => r.path.startsWith(`/${type}/`);

/** One breakage per check id: each makes that check fail. `token` is the valid credential. */
export function breakages(token: string): Record<string, Breakage> {
  return {
    'discovery.service-provider-config': { response: (r, res) => void (r.path === '/ServiceProviderConfig' && delete res.body.patch) },
    'discovery.resource-types': { response: (r, res) => void (r.path === '/ResourceTypes' && Object.assign(res.body, { Resources: [], totalResults: 0 })) },
    'discovery.schemas': {
      response: (r, res) => {
        if (r.path !== '/Schemas') return;
        for (const s of res.body.Resources) for (const a of s.attributes ?? []) if (a.name === 'userName') a.caseExact = true;
      },
    },
    'discovery.content-type': { response: (_, res) => void (res.headers['content-type'] &&= 'application/json') },
    'auth.no-credentials': { request: (r) => void (r.headers.authorization ??= `Bearer ${token}`) },
    'auth.wrong-credentials': { request: (r) => void (r.headers.authorization && (r.headers.authorization = `Bearer ${token}`)) },
    'errors.not-found': {
      response: (r, res) => void (isOne(r, 'Users') && res.status === 404 && Object.assign(res, { headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' })),
    },
    'errors.invalid-filter': { request: (r) => (filter(r) === 'userName eq' ? emptyList : undefined) },
    'errors.missing-required': { response: (r, res) => void (r.method === 'POST' && res.status === 400 && (res.body.status = 400)) },
    'errors.invalid-patch': { request: (r) => (anyOp(r, (o) => o.op === 'merge') ? scimError(500) : undefined) },
    'okta.lookup-unknown': { request: (r) => (filter(r).includes('-nobody@') ? scimError(404) : undefined) },
    'okta.create-user': { response: (r, res) => void (r.method === 'POST' && r.body?.password && res.status === 201 && (res.body.password = r.body.password)) },
    'okta.lookup-user': { request: (r) => (filter(r).includes('-okta@') ? emptyList : undefined) },
    'okta.lookup-case': { request: (r) => (filter(r).includes('-OKTA@') ? emptyList : undefined) },
    'okta.duplicate-user': { response: (r, res) => void (r.method === 'POST' && res.status === 409 && Object.assign(res, scimError(400, 'invalidValue'))) },
    'okta.get-user': { response: (r, res) => void (r.method === 'GET' && isOne(r, 'Users') && res.status === 200 && delete res.body.name) },
    'okta.put-user': { request: (r) => void (r.method === 'PUT' && r.body?.name?.givenName === 'Renamed' && (r.body.name.givenName = 'Check')) },
    'okta.deactivate-patch': { request: (r) => void ops(r).forEach((o) => !o.path && o.value?.active === false && (o.value.active = true)) },
    'okta.reactivate-patch': { request: (r) => void ops(r).forEach((o) => !o.path && o.value?.active === true && (o.value.active = false)) },
    'okta.deactivate-put': { request: (r) => void (r.method === 'PUT' && isOne(r, 'Users') && r.body.active === false && (r.body.active = true)) },
    'okta.reactivate-put': { request: (r) => void (r.method === 'PUT' && isOne(r, 'Users') && r.body.active === true && (r.body.active = false)) },
    'okta.create-group': { request: (r) => (r.method === 'POST' && r.path === '/Groups' && r.body?.members?.length === 0 ? scimError(400, 'invalidValue') : undefined) },
    'okta.lookup-group': { request: (r) => (isList(r, 'Groups') && filter(r).includes('Okta group') ? emptyList : undefined) },
    'okta.add-members': { request: (r) => void ops(r).forEach((o) => o.op === 'add' && o.value?.[0]?.display && (o.value = [])) },
    'okta.rename-group': { request: (r) => (anyOp(r, (o) => !o.path && o.value?.id) ? scimError(400, 'mutability') : undefined) },
    'okta.remove-member': { request: (r) => void ops(r).forEach((o) => o.op === 'remove' && o.path?.startsWith('members[') && (o.path = 'members')) },
    'okta.replace-members': { request: (r) => (anyOp(r, (o) => o.op === 'replace' && o.path === 'members' && o.value?.length === 0) ? scimError(400, 'invalidValue') : undefined) },
    'okta.put-group': { request: (r) => void (r.method === 'PUT' && isOne(r, 'Groups') && delete r.body.members) },
    'okta.delete-group': { response: (r, res) => void (r.method === 'DELETE' && isOne(r, 'Groups') && Object.assign(res, { status: 200, headers: SCIM, body: {} })) },
    'entra.lookup-unknown': { request: (r) => (filter(r).startsWith('externalId eq') && filter(r).includes('nobody') ? scimError(400, 'invalidFilter') : undefined) },
    'entra.create-user': { request: (r) => (r.method === 'POST' && Array.isArray(r.body?.roles) ? scimError(400, 'invalidValue') : undefined) },
    'entra.filter-matching': { request: (r) => (filter(r).startsWith('emails[') ? scimError(400, 'invalidFilter') : undefined) },
    'entra.patch-replace': {
      request: (r) => void (r.method === 'PATCH' && (r.body.Operations = ops(r).filter((o) => !(o.op === 'Replace' && String(o.path).startsWith('emails['))))),
    },
    'entra.patch-add': { request: (r) => (anyOp(r, (o) => o.op === 'Add' && o.path === 'nickName') ? scimError(400, 'invalidPath') : undefined) },
    'entra.disable-string': { request: (r) => (anyOp(r, (o) => o.value === 'False') ? scimError(400, 'invalidValue') : undefined) },
    'entra.aadopt-disable': { request: (r) => void ops(r).forEach((o) => o.op === 'replace' && o.path === 'active' && o.value === false && (o.value = true)) },
    'entra.aadopt-replace': { request: (r) => void ops(r).forEach((o) => !o.path && o.value && delete o.value['name.givenName']) },
    'entra.delete-user': { response: (r, res) => void (r.method === 'DELETE' && isOne(r, 'Users') && Object.assign(res, { status: 200, headers: SCIM, body: {} })) },
    'entra.create-group': {
      request: (r) => (r.method === 'POST' && r.path === '/Groups' && r.body?.schemas?.length > 1 ? scimError(400, 'invalidValue') : undefined),
    },
    'entra.get-group-excluded': { request: (r) => void (r.method === 'GET' && isOne(r, 'Groups') && r.query.delete('excludedAttributes')) },
    'entra.filter-group-excluded': { request: (r) => void (isList(r, 'Groups') && r.query.delete('excludedAttributes')) },
    'entra.add-members': { request: (r) => void ops(r).forEach((o) => o.op === 'Add' && o.path === 'members' && (o.value = o.value.slice(0, 1))) },
    'entra.remove-member-value': { request: (r) => void ops(r).forEach((o) => o.op === 'Remove' && o.path === 'members' && delete o.value) },
    'entra.aadopt-remove-member': { request: (r) => (anyOp(r, (o) => o.op === 'remove' && String(o.path).startsWith('members[')) ? noContent : undefined) },
    'entra.rename-group': { request: (r) => (isOne(r, 'Groups') && anyOp(r, (o) => o.op === 'Replace' && o.path === 'displayName') ? noContent : undefined) },
    'entra.delete-group': { response: (r, res) => void (r.method === 'DELETE' && isOne(r, 'Groups') && Object.assign(res, scimError(404))) },
    'paging.first-page': { response: (r, res) => void (isList(r, 'Users') && r.query.get('count') === '1' && (res.body.itemsPerPage = String(res.body.itemsPerPage))) },
    'paging.count-zero': { request: (r) => void (r.query.get('count') === '0' && r.query.set('count', '5')) },
    'paging.walk': { request: (r) => void (isList(r, 'Users') && r.query.get('startIndex') === '2' && r.query.set('startIndex', '1')) },
    // --profiles
    'interop.resource-type-ids': { response: (r, res) => void (r.path === '/ResourceTypes' && res.body.Resources?.[0] && (res.body.Resources[0].id = 'renamed')) },
    'interop.case-rules': { request: (r) => (filter(r).includes('-CASERULE@') ? emptyList : undefined) },
    'interop.unknown-attribute': { request: (r) => void (r.method === 'POST' && r.body?.favouriteColour && delete r.body.favouriteColour) },
    'interop.unknown-filter-attribute': { request: (r) => (filter(r).startsWith('favouriteColour') ? emptyList : undefined) },
    'interop.page-size': {
      response: (r, res) => void (isList(r, 'Users') && r.query.get('count') === '100' && Object.assign(res.body, { totalResults: 500, itemsPerPage: 0, Resources: [] })),
    },
    'interop.complex-replace': { request: (r) => void ops(r).forEach((o) => o.op === 'replace' && o.path === 'name' && (o.op = 'add')) },
    'interop.lifecycle': {
      response: (r, res) => void (r.method === 'GET' && isOne(r, 'Users') && res.status === 404 && Object.assign(res, { status: 200, headers: SCIM, body: { id: 'ghost' } })),
    },
    'ipsie.bulk': { response: (r, res) => void (r.path === '/ServiceProviderConfig' && (res.body.bulk = { supported: false })) },
    'ipsie.deactivate': { request: (r) => void ops(r).forEach((o) => o.path === 'active' && o.value === false && (o.value = true)) },
    'ipsie.user-filters': { request: (r) => (filter(r).startsWith('username eq') ? emptyList : undefined) },
    'ipsie.group-filters': { request: (r) => (isList(r, 'Groups') && filter(r).startsWith('members[value eq') ? emptyList : undefined) },
    'ipsie.fifty-members': { request: (r) => void (ops(r).length === 50 && r.body.Operations.pop()) },
  };
}
