// Your store: where SCIM resources are kept. The server calls createStore once at start (through
// src/generated/database/index.ts). This file is yours: regeneration never touches it.
//
// It starts with the in-memory reference store, which implements the whole contract but keeps
// everything in this process: the data is lost on restart and not shared between instances, so
// it is for development and tests. To serve users that live in your own service, return a store
// over that service instead; rest-api-store.example.ts is a complete one over a REST API, and
// docs/custom-store.md describes what each method must do. Switching to it is one line:
//
//   export { createRestApiStore as createStore } from './rest-api-store.example.js';

import type { ResourceStore, StoreOptions } from '../generated/scim/store.js';
import { createMemoryStore } from '../generated/database/memory-store.js';

export async function createStore(options: StoreOptions): Promise<ResourceStore> {
  return createMemoryStore(options);
}
