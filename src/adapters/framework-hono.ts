import { defineAdapter } from './types.js';

export const hono = defineAdapter({
  layer: 'framework',
  id: 'hono',
  label: 'Hono 4 (on @hono/node-server)',
  templateDir: 'http-hono',
  target: 'src/generated/http',
  dependencies: ['hono', '@hono/node-server', 'pino'],
  devDependencies: [],
  env: [],
});
