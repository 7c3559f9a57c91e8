import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'hono',
  label: 'Hono 4 (on @hono/node-server)',
  rank: 2,
  dependencies: ['hono', '@hono/node-server', 'pino'],
  devDependencies: [],
  env: [],
});
