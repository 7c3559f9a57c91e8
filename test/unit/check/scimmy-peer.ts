// A third-party SCIM server to check: scimmy + scimmy-routers (npm), on Express, with the
// in-memory handlers their README describes and a bearer token. A peer as a team would write
// it from the libraries' documentation, not tuned to the checker.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export const PEER_TOKEN = 'scimmy-peer-token-1234567890';

type Stored = Record<string, any> & { id: string };

function store(uniqueKey: 'userName' | 'displayName') {
  const items = new Map<string, Stored>();
  return {
    ingress: (resource: { id?: string }, instance: Record<string, any>) => {
      const taken = [...items.values()].find(
        (i) => i.id !== resource.id && String(i[uniqueKey]).toLowerCase() === String(instance[uniqueKey]).toLowerCase(),
      );
      if (uniqueKey === 'userName' && taken) throw new SCIMMY.Types.Error(409, 'uniqueness', `${uniqueKey} is taken`);
      if (resource.id && !items.has(resource.id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      const now = new Date().toISOString();
      const id = resource.id ?? randomUUID();
      const item = { ...instance, id, meta: { created: items.get(id)?.meta?.created ?? now, lastModified: now } } as Stored;
      items.set(id, item);
      return item;
    },
    egress: (resource: { id?: string; filter?: { match(values: Stored[]): Stored[] } }) => {
      if (resource.id) {
        const item = items.get(resource.id);
        if (!item) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return item;
      }
      const all = [...items.values()];
      return resource.filter ? resource.filter.match(all) : all;
    },
    degress: (resource: { id?: string }) => {
      if (!resource.id || !items.delete(resource.id)) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    },
  };
}

let declared = false;

/** Starts the peer on a free loopback port; resolves its SCIM base URL and a close(). */
export async function startScimmyPeer(): Promise<{ url: string; close: () => Promise<void> }> {
  // SCIMMY's resource declarations are global to the process: declare them once.
  if (!declared) {
    const users = store('userName');
    const groups = store('displayName');
    SCIMMY.Resources.declare(SCIMMY.Resources.User).ingress(users.ingress as never).egress(users.egress as never).degress(users.degress as never);
    SCIMMY.Resources.declare(SCIMMY.Resources.Group).ingress(groups.ingress as never).egress(groups.egress as never).degress(groups.degress as never);
    SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);
    declared = true;
  }
  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://example.com/docs/auth',
      handler: (request: express.Request) => {
        if (request.header('authorization') !== `Bearer ${PEER_TOKEN}`) throw new Error('Authorization not recognised');
        return undefined as never;
      },
    }) as unknown as express.Router,
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((done) => server.once('listening', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
