import { defineAdapter } from './types.js';

export const express = defineAdapter({
  layer: 'framework',
  id: 'express',
  label: 'Express 5',
  templateDir: 'http-express',
  target: 'src/generated/http',
  dependencies: ['express', 'pino'],
  devDependencies: ['@types/express'],
  env: [],
});
