import { defineAdapter } from './types.js';

export const fastify = defineAdapter({
  layer: 'framework',
  id: 'fastify',
  label: 'Fastify 5',
  templateDir: 'http-fastify',
  target: 'src/generated/http',
  dependencies: ['fastify'],
  devDependencies: [],
  env: [],
});
