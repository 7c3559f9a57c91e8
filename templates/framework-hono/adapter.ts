import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'hono',
  label: 'Hono 4 (on @hono/node-server)',
  rank: 2,
  dependencies: ['hono', '@hono/node-server', 'pino'],
  devDependencies: [],
  env: [],
  mountExample: {
    unit: 'a Hono sub-app (`scimApp`)',
    code: ({ prefix, authRoutes }) =>
      [
        "import { serve } from '@hono/node-server';",
        "import { Hono } from 'hono';",
        "import { pino } from 'pino';",
        "import { createScim } from './generated/app.js';",
        `import { ${authRoutes ? 'authApp, ' : ''}scimApp } from './generated/framework/index.js';`,
        "import { hooks } from './hooks/index.js';",
        '',
        '// Your app, with its own logger and routes. Middleware that sets c.var.log wins over `logger`.',
        'const logger = pino();',
        'const app = new Hono();',
        "app.get('/hello', (c) => c.json({ hello: 'world' }));",
        '',
        'const scim = await createScim({ env: process.env, hooks });',
        `app.route('${prefix}', scimApp(scim, { logger }));`,
        ...(authRoutes ? ['// The OAuth 2.0 endpoints, at the root: identity providers find them there.', "app.route('/', authApp(scim));"] : []),
        '',
        'const server = serve({ fetch: app.fetch, port: 3000 });',
        "process.on('SIGTERM', () => server.close(() => void scim.close()));",
      ].join('\n'),
  },
});
