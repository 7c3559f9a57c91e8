// A database of its own for each test server: a fresh SQLite file in a temporary folder.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '../scim/testing.js';

export async function testDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'scim-test-'));
  return {
    env: { DATABASE_PATH: join(dir, 'scim.sqlite') },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
