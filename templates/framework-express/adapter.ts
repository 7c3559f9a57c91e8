import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'express',
  label: 'Express 5',
  rank: 1,
  dependencies: ['express', 'pino'],
  devDependencies: ['@types/express'],
  env: [],
  mountExample: {
    unit: 'an Express router (`scimRouter`)',
    code: ({ prefix, authRoutes }) =>
      [
        "import express from 'express';",
        "import { pino } from 'pino';",
        "import { createScim } from './generated/app.js';",
        `import { ${authRoutes ? 'authRouter, ' : ''}scimRouter } from './generated/framework/index.js';`,
        "import { hooks } from './hooks/index.js';",
        '',
        '// Your app, with its own logger and routes. With pino-http, the router logs through req.log.',
        'const logger = pino();',
        'const app = express();',
        "app.get('/hello', (_req, res) => void res.json({ hello: 'world' }));",
        '',
        'const scim = await createScim({ env: process.env, hooks });',
        `app.use('${prefix}', scimRouter(scim, { logger }));`,
        ...(authRoutes ? ['// The OAuth 2.0 endpoints, at the root: identity providers find them there.', 'app.use(authRouter(scim));'] : []),
        '',
        'const server = app.listen(3000);',
        "process.on('SIGTERM', () => server.close(() => void scim.close()));",
      ].join('\n'),
  },
});
