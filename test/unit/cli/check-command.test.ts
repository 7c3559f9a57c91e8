// `create-scim-server check` through the CLI's entry: its own help, and the checker's exit codes.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { fake } from './fakes.js';

describe('create-scim-server check', () => {
  test('--help is the checker\'s own, with every auth mode', async () => {
    const f = fake({ cwd: process.cwd() });
    expect(await main(['check', '--help'], f.deps)).toBe(0);
    for (const flag of ['--token-env', '--header', '--basic-env', '--oauth-token-url', '--client-secret-env', '--read-only', '--json', '--junit', '--allow-insecure', '--timeout']) {
      expect(f.stdout()).toContain(flag);
    }
    expect(f.stdout()).not.toContain('--framework');
  });

  test('a server that is not there: one line, exit 2', async () => {
    // A port that was free a moment ago.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((done) => server.close(done));
    const f = fake({ cwd: process.cwd() });
    expect(await main(['check', `http://127.0.0.1:${port}/scim/v2`, '--timeout', '2'], f.deps)).toBe(2);
    expect(f.stderr().trim().split('\n')).toHaveLength(1);
    expect(f.stderr()).toContain(`✖ GET http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig: connection refused. Is the server running, and on that port?`);
  });

  test('the main --help lists it', async () => {
    const f = fake({ cwd: process.cwd() });
    expect(await main(['--help'], f.deps)).toBe(0);
    expect(f.stdout()).toContain('create-scim-server check <base-url>');
  });
});
