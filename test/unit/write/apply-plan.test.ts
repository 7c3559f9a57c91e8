// decide(): every case of a new plan meeting a project on disk, without touching the disk.

import { describe, expect, it } from 'vitest';
import type { FilePlan } from '../../../src/emit/plan.js';
import { decide, type DiskEntry } from '../../../src/write/apply-plan.js';
import { sha256, type Manifest } from '../../../src/write/manifest.js';

const OLD = 'line 1\nline 2\nline 3\nline 4\n';
const NEW = 'line 1\nline 2\nline 3\nline 4 (new)\n';
const PATH = 'src/generated/x.ts';

function manifestOf(files: Record<string, { content: string; owner?: 'generated' | 'user' }>): Manifest {
  return {
    generatorVersion: '0.1.0',
    options: {},
    files: Object.fromEntries(Object.entries(files).map(([p, f]) => [p, { sha256: sha256(f.content), owner: f.owner ?? 'generated' }])),
  };
}

const disk = (entries: Record<string, Partial<DiskEntry>>) =>
  new Map(Object.entries(entries).map(([p, e]) => [p, { content: undefined, base: undefined, pendingNew: false, ...e }]));

const generated = (content: string, path = PATH): FilePlan => [{ path, content, owner: 'generated' }];

describe('decide: generated files', () => {
  const manifest = manifestOf({ [PATH]: { content: OLD } });

  it('leaves a file that already has the new content', () => {
    expect(decide(generated(NEW), manifest, disk({ [PATH]: { content: NEW } }))).toEqual([
      { path: PATH, owner: 'generated', action: 'unchanged' },
    ]);
  });

  it('replaces a file the user has not edited', () => {
    expect(decide(generated(NEW), manifest, disk({ [PATH]: { content: OLD, base: OLD } }))).toEqual([
      { path: PATH, owner: 'generated', action: 'update', content: NEW },
    ]);
  });

  it('creates a missing file, saying when the user deleted it', () => {
    expect(decide(generated(NEW), manifest, disk({}))).toEqual([
      { path: PATH, owner: 'generated', action: 'create', content: NEW, reason: 'was deleted' },
    ]);
    expect(decide(generated(NEW), manifestOf({}), disk({}))[0]).toEqual({ path: PATH, owner: 'generated', action: 'create', content: NEW });
  });

  it('merges a user edit that does not overlap the new output', () => {
    const edited = OLD.replace('line 1', 'line 1 (mine)');
    const [d] = decide(generated(NEW), manifest, disk({ [PATH]: { content: edited, base: OLD } }));
    expect(d).toMatchObject({ action: 'merge', content: 'line 1 (mine)\nline 2\nline 3\nline 4 (new)\n' });
  });

  it('keeps an edited file as it is when the generator has nothing new for it', () => {
    const edited = OLD.replace('line 1', 'line 1 (mine)');
    const [d] = decide(generated(OLD), manifest, disk({ [PATH]: { content: edited, base: OLD } }));
    expect(d).toMatchObject({ action: 'unchanged', reason: 'edited by you; nothing new to merge' });
    expect(d!.content).toBeUndefined();
  });

  it('reports an overlapping edit as a conflict and carries the new output for <file>.new', () => {
    const edited = OLD.replace('line 4', 'line 4 (mine)');
    const [d] = decide(generated(NEW), manifest, disk({ [PATH]: { content: edited, base: OLD } }));
    expect(d).toMatchObject({ action: 'conflict', content: NEW, reason: "edited by you; 1 change overlaps the generator's" });
  });

  it('without a base copy (older projects), an edited file is a conflict, never overwritten', () => {
    const edited = OLD.replace('line 1', 'line 1 (mine)');
    const [d] = decide(generated(NEW), manifest, disk({ [PATH]: { content: edited } }));
    expect(d).toMatchObject({ action: 'conflict', content: NEW });
    expect(d!.reason).toContain('no base copy');
  });

  it('a file the generator never wrote standing where it now generates one is a conflict', () => {
    const [d] = decide(generated(NEW), manifestOf({}), disk({ [PATH]: { content: 'my own file\n' } }));
    expect(d).toMatchObject({ action: 'conflict', content: NEW, reason: 'a file the generator did not write is in the way' });
  });

  it('rewrites an edited input file (scim.config.json): its edits are what was generated from', () => {
    const config = 'scim.config.json';
    const m = manifestOf({ [config]: { content: '{"port": 3000}\n' } });
    const [d] = decide(generated('{\n  "port": 4000\n}\n', config), m, disk({ [config]: { content: '{"port": 4000}\n' } }), {
      isInput: (path) => path === config,
    });
    expect(d).toMatchObject({ action: 'update', reason: 'your edits were read as input' });
  });

  it("rewrites the generator's own files under .scim-server/ whatever is on disk", () => {
    const path = '.scim-server/manifest.json';
    const [d] = decide(generated('{"new": true}\n', path), manifestOf({}), disk({ [path]: { content: 'edited\n' } }));
    expect(d).toMatchObject({ action: 'update', content: '{"new": true}\n' });
  });

  it('flags a <file>.new left from an earlier conflict', () => {
    const [d] = decide(generated(NEW), manifest, disk({ [PATH]: { content: NEW, pendingNew: true } }));
    expect(d).toMatchObject({ action: 'unchanged', pendingNew: true });
    expect(d!.reason).toContain(`${PATH}.new from an earlier run is still there`);
  });
});

describe('decide: files no longer generated', () => {
  it('deletes an unedited one and keeps an edited one', () => {
    const manifest = manifestOf({ 'src/generated/a.ts': { content: OLD }, 'src/generated/b.ts': { content: OLD }, 'src/generated/gone.ts': { content: OLD } });
    const decisions = decide([], manifest, disk({ 'src/generated/a.ts': { content: OLD }, 'src/generated/b.ts': { content: NEW } }));
    expect(decisions).toEqual([
      { path: 'src/generated/a.ts', owner: 'generated', action: 'delete' },
      { path: 'src/generated/b.ts', owner: 'generated', action: 'keep', reason: 'edited by you and no longer generated: it is yours now' },
    ]);
  });

  it('deletes a file it created for the user that is still as created, and keeps an edited one', () => {
    const manifest = manifestOf({
      'src/hooks/device.ts': { content: OLD, owner: 'user' },
      'src/hooks/printer.ts': { content: OLD, owner: 'user' },
      'src/hooks/gone.ts': { content: OLD, owner: 'user' },
    });
    const decisions = decide([], manifest, disk({ 'src/hooks/device.ts': { content: OLD }, 'src/hooks/printer.ts': { content: NEW } }));
    expect(decisions).toEqual([
      { path: 'src/hooks/device.ts', owner: 'user', action: 'delete', reason: 'unedited since it was created, and no longer applies' },
      { path: 'src/hooks/printer.ts', owner: 'user', action: 'keep', reason: 'yours; no longer generated' },
    ]);
  });

  it("never deletes the user's inputs (a schema file taken out of scim.config.json), edited or not", () => {
    const schema = 'schemas/Device.schema.json';
    const manifest = manifestOf({ [schema]: { content: OLD, owner: 'user' } });
    expect(decide([], manifest, disk({ [schema]: { content: OLD } }), { isInput: (path) => path.startsWith('schemas/') })).toEqual([
      { path: schema, owner: 'user', action: 'keep', reason: 'yours; no longer generated' },
    ]);
  });
});

describe('decide: files that were the user\'s and are now generated (an older project\'s test suite)', () => {
  const TEST = 'test/users.test.ts';
  const manifest = manifestOf({ [TEST]: { content: OLD, owner: 'user' } });

  it('takes over one still as it was created', () => {
    expect(decide(generated(NEW, TEST), manifest, disk({ [TEST]: { content: OLD } }))).toEqual([
      { path: TEST, owner: 'generated', action: 'update', content: NEW, reason: 'generated from now on; unedited since it was created' },
    ]);
  });

  it('leaves one that already has the new content', () => {
    expect(decide(generated(NEW, TEST), manifest, disk({ [TEST]: { content: NEW } }))).toEqual([
      { path: TEST, owner: 'generated', action: 'unchanged' },
    ]);
  });

  it('reports an edited one as a conflict: no base copy to merge against, the edit stays', () => {
    const edited = OLD.replace('line 1', 'line 1 (mine)');
    expect(decide(generated(NEW, TEST), manifest, disk({ [TEST]: { content: edited } }))).toEqual([
      {
        path: TEST,
        owner: 'generated',
        action: 'conflict',
        content: NEW,
        reason: 'generated from now on; edited by you, and there is no base copy to merge against',
      },
    ]);
  });

  it('creates one the user had deleted, saying so', () => {
    expect(decide(generated(NEW, TEST), manifest, disk({}))).toEqual([
      { path: TEST, owner: 'generated', action: 'create', content: NEW, reason: 'generated from now on; you had deleted it' },
    ]);
  });

  it('upgrades a project and switches its auth tests in one run (bearer -> header)', () => {
    const old = manifestOf({
      'test/auth-bearer.test.ts': { content: 'bearer\n', owner: 'user' },
      'test/users.test.ts': { content: OLD, owner: 'user' },
      'test/helpers/server.ts': { content: 'helper\n', owner: 'user' },
    });
    const plan: FilePlan = [
      { path: 'test/auth-header.test.ts', content: 'header\n', owner: 'generated' },
      { path: 'test/users.test.ts', content: NEW, owner: 'generated' },
      { path: 'test/helpers/server.ts', content: 'useScimServer\n', owner: 'generated' },
      { path: 'test/example.test.ts', content: 'example\n', owner: 'user' },
    ];
    const onDisk = disk({
      'test/auth-bearer.test.ts': { content: 'bearer\n' },
      'test/users.test.ts': { content: OLD },
      'test/helpers/server.ts': { content: 'helper, edited\n' },
    });
    expect(decide(plan, old, onDisk).map((d) => [d.path, d.action])).toEqual([
      ['test/auth-bearer.test.ts', 'delete'],
      ['test/auth-header.test.ts', 'create'],
      ['test/example.test.ts', 'create'],
      ['test/helpers/server.ts', 'conflict'],
      ['test/users.test.ts', 'update'],
    ]);
  });
});

describe('decide: user-owned files', () => {
  const user = (path: string, content: string): FilePlan => [{ path, content, owner: 'user' }];

  it('never touches an existing one, whatever the plan says', () => {
    const manifest = manifestOf({ 'src/hooks/user.ts': { content: OLD, owner: 'user' } });
    expect(decide(user('src/hooks/user.ts', NEW), manifest, disk({ 'src/hooks/user.ts': { content: 'my hooks\n' } }))).toEqual([
      { path: 'src/hooks/user.ts', owner: 'user', action: 'unchanged' },
    ]);
  });

  it('creates a new one (a hook file for a new resource type)', () => {
    expect(decide(user('src/hooks/device.ts', NEW), manifestOf({}), disk({}))).toEqual([
      { path: 'src/hooks/device.ts', owner: 'user', action: 'create', content: NEW },
    ]);
  });

  it('does not recreate one the user deleted', () => {
    const manifest = manifestOf({ 'Dockerfile': { content: OLD, owner: 'user' } });
    expect(decide(user('Dockerfile', NEW), manifest, disk({}))).toEqual([
      { path: 'Dockerfile', owner: 'user', action: 'unchanged', reason: 'you deleted Dockerfile; not recreated' },
    ]);
  });
});
