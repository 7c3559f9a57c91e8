// Hooks for User resources. This file is yours: regeneration never touches it, and
// the UserHooks type makes a schema change show up here as a compile error.

import type { UserHooks } from '../generated/hooks.gen.js';

export const userHooks: UserHooks = {
  // afterCreate(resource, ctx) {
  //   ctx.log.info({ id: resource.id }, 'User provisioned');
  // },
};
