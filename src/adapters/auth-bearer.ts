import { defineAdapter } from './types.js';

export const bearer = defineAdapter({
  layer: 'auth',
  id: 'bearer',
  label: 'Bearer token (Okta "HTTP Header", Entra ID "Secret Token")',
  templateDir: 'auth-bearer',
  target: 'src/generated/auth',
  dependencies: [],
  devDependencies: [],
  env: [
    {
      name: 'SCIM_BEARER_TOKEN',
      description: 'The token identity providers send as "Authorization: Bearer <token>".',
      secret: true,
      generate: 'token',
    },
  ],
});
