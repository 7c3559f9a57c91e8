// What the SCIM module's classes are given by Nest's injector.

/** The ScimEndpoints of createScim() (../scim/routes.ts). */
export const SCIM_ENDPOINTS = Symbol('ScimEndpoints');
/** The HookLogger for requests that bring no logger of their own (req.log). */
export const SCIM_LOGGER = Symbol('ScimLogger');
