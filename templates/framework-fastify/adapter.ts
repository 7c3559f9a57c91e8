import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'fastify',
  label: 'Fastify 5',
  rank: 0,
  dependencies: ['fastify'],
  devDependencies: [],
  env: [],
  mountExample: {
    unit: 'a Fastify plugin (`scimPlugin`)',
    code: ({ prefix, authRoutes }) =>
      [
        "import Fastify from 'fastify';",
        "import { createScim } from './generated/app.js';",
        `import { ${authRoutes ? 'authPlugin, ' : ''}scimPlugin } from './generated/framework/index.js';`,
        "import { hooks } from './hooks/index.js';",
        '',
        '// Your app, with its own logger and routes.',
        'const app = Fastify({ logger: true });',
        "app.get('/hello', async () => ({ hello: 'world' }));",
        '',
        'const scim = await createScim({ env: process.env, hooks });',
        `await app.register(scimPlugin(scim), { prefix: '${prefix}' });`,
        ...(authRoutes ? ['// The OAuth 2.0 endpoints, at the root: identity providers find them there.', 'await app.register(authPlugin(scim));'] : []),
        "app.addHook('onClose', () => scim.close());",
        '',
        'await app.listen({ port: 3000 });',
      ].join('\n'),
  },
});
