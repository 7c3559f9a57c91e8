import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'framework',
  id: 'express',
  label: 'Express 5',
  rank: 1,
  dependencies: ['express', 'pino'],
  devDependencies: ['@types/express'],
  env: [],
});
