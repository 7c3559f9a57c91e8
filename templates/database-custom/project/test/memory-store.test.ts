// The in-memory store is for development and tests: a server that runs it anywhere else says
// at start that its data lives only in this process.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../src/generated/database/memory-store.js';
import { buildRegistry } from '../src/generated/scim/registry.js';
import { resourceTypes, schemas } from '../src/generated/schemas.gen.js';

const registry = buildRegistry(resourceTypes, schemas);

describe('the in-memory store outside tests', () => {
  const saved = { VITEST: process.env.VITEST, NODE_ENV: process.env.NODE_ENV };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    vi.restoreAllMocks();
  });

  it('warns once, at creation, that the data is lost on restart', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    delete process.env.VITEST;
    process.env.NODE_ENV = 'development';
    createMemoryStore({ registry, env: {} });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/in-memory store .* lost on restart .* src\/store\/index\.ts/);
  });

  it('stays quiet in tests', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createMemoryStore({ registry, env: {} });
    expect(warn).not.toHaveBeenCalled();
  });
});
