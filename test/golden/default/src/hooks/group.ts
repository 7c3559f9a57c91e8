// Hooks for Group resources. This file is yours: regeneration never touches it, and
// the GroupHooks type makes a schema change show up here as a compile error.

import type { GroupHooks } from '../generated/hooks.gen.js';

export const groupHooks: GroupHooks = {
  // afterCreate(resource, ctx) {
  //   ctx.log.info({ id: resource.id }, 'Group provisioned');
  // },
};
