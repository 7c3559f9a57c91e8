// The yardstick: a bare node:http server answering every request with one fixed SCIM user,
// the ceiling for any server on this machine. The benchmark reports each SCIM server's rate as
// a fraction of this one's, measured in the same run, so the numbers travel between machines.

import { createServer } from 'node:http';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '2819c223-7f76-453a-919d-413861904646',
  userName: 'bjensen@example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Barbara Jensen' },
  displayName: 'Barbara Jensen',
  emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
  active: true,
  groups: [],
  meta: {
    resourceType: 'User',
    created: '2024-01-23T04:56:22.000Z',
    lastModified: '2024-01-23T04:56:22.000Z',
    version: 'W/"1"',
    location: 'http://127.0.0.1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
};
const body = Buffer.from(JSON.stringify(user));
const headers = { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': body.length, etag: 'W/"1"' };

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
