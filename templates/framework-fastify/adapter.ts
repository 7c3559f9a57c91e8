import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'fastify',
  label: 'Fastify 5',
  rank: 0,
  dependencies: ['fastify'],
  devDependencies: [],
  env: [],
});
