// Lifecycle hooks by resource type. Yours to edit; never regenerated.

import type { Hooks } from '../generated/hooks.gen.js';
import { userHooks } from './user.js';
import { groupHooks } from './group.js';

export const hooks: Hooks = {
  User: userHooks,
  Group: groupHooks,
};
