// Paging (RFC 7644 §3.4.2.4): Okta imports with startIndex/count pages of 100, Entra ID pages
// too; both need integer counts and a stable order across pages.

import { CheckSkipped, fail, listResources, type CheckGroup, type Json } from '../check.js';
import { usersPath } from '../resources.js';

export const paging: CheckGroup = {
  name: 'Paging',
  checks: [
    {
      id: 'paging.first-page',
      title: 'GET /Users?startIndex=1&count=1 gets one resource and integer counts',
      writes: false,
      hint: 'Honour count and echo startIndex and itemsPerPage as integers (RFC 7644 §3.4.2.4).',
      async run(ctx) {
        const res = await ctx.request('GET', usersPath(ctx), { query: { startIndex: 1, count: 1 } });
        const page = listResources(res);
        const body = res.body as Json;
        if (page.length > 1) fail('at most 1 resource for count=1', `${page.length} resources (count ignored)`);
        if (body.startIndex !== 1) fail('startIndex: 1', `startIndex: ${JSON.stringify(body.startIndex)}`);
        if (body.itemsPerPage !== page.length) fail(`itemsPerPage: ${page.length} (the resources on the page)`, `itemsPerPage: ${JSON.stringify(body.itemsPerPage)}`);
      },
    },
    {
      id: 'paging.count-zero',
      title: 'count=0 gets totalResults and no resources',
      writes: false,
      hint: 'count=0 asks only for totalResults: answer with no Resources (RFC 7644 §3.4.2.4).',
      async run(ctx) {
        const page = listResources(await ctx.request('GET', usersPath(ctx), { query: { count: 0 } }));
        if (page.length > 0) fail('no resources', `${page.length} resources`);
      },
    },
    {
      id: 'paging.walk',
      title: 'pages of 1 follow each other without repeats',
      writes: false,
      hint: 'Sort list results by something stable (creation order or id) so that startIndex pages never repeat or skip.',
      async run(ctx) {
        const first = await ctx.request('GET', usersPath(ctx), { query: { startIndex: 1, count: 1 } });
        listResources(first);
        const total = (first.body as Json).totalResults as number;
        if (total < 2) throw new CheckSkipped('fewer than 2 users on the server');
        const seen: string[] = [];
        for (let index = 1; index <= Math.min(total, 3); index++) {
          const res = await ctx.request('GET', usersPath(ctx), { query: { startIndex: index, count: 1 } });
          const page = listResources(res);
          if ((res.body as Json).startIndex !== index) fail(`startIndex: ${index}`, `startIndex: ${JSON.stringify((res.body as Json).startIndex)}`);
          if (page.length !== 1) fail(`1 resource on page ${index} of ${total}`, `${page.length} resources`);
          const id = String(page[0]!.id);
          if (seen.includes(id)) fail(`a new resource on page ${index}`, `${id} again (seen on page ${seen.indexOf(id) + 1})`);
          seen.push(id);
        }
      },
    },
  ],
};
