// Hooks for User resources. This file is yours: regeneration never touches it, and
// the UserHooks type makes a schema change show up here as a compile error.
//
// The after-hooks run once the change is committed and are not retried: one that throws is
// logged and the SCIM request still succeeds. Every change is also an event (the audit log,
// `npm run audit`), written with the change: the durable path for what your app must not miss.

import type { UserHooks } from '../generated/hooks.gen.js';

export const userHooks: UserHooks = {
  // afterCreate(resource, ctx) {
  //   ctx.log.info({ id: resource.id }, 'User provisioned');
  // },
  // Okta and Entra ID deprovision by setting active to false: end the User's access here.
  // async afterDeactivate(resource, ctx) {
  //   await sessions.revokeAll(resource.id); // your app's sessions
  //   await apiKeys.revokeAll(resource.id); // and API keys
  // },
};
