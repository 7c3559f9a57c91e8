// Hooks for Group resources. This file is yours: regeneration never touches it, and
// the GroupHooks type makes a schema change show up here as a compile error.
//
// The after-hooks run once the change is committed and are not retried: one that throws is
// logged and the SCIM request still succeeds. Every change is also an event (the audit log,
// `npm run audit`), written with the change: the durable path for what your app must not miss.

import type { GroupHooks } from '../generated/hooks.gen.js';

export const groupHooks: GroupHooks = {
  // afterCreate(resource, ctx) {
  //   ctx.log.info({ id: resource.id }, 'Group provisioned');
  // },
};
