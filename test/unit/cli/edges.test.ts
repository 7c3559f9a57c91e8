// The CLI's edges (issue 16): flags npm kept for itself, a package manager that is not there,
// Ctrl-C during the install, typos in flags and values, --yes without a directory.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { choices } from '../../../src/adapters/index.js';
import { main } from '../../../src/cli/main.js';
import { fake, type Fake } from './fakes.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'scim-edges-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const NPM = 'npm/11.6.0 node/v22.20.0 linux x64 workspaces/false';

describe('flags npm kept for itself (npm create without "--")', () => {
  test('--no-install and --framework express: stop before anything, and show where "--" goes', async () => {
    // What `npm create scim-server my-scim --no-install --framework express` hands over.
    const f = fake({ cwd, env: { npm_config_user_agent: NPM, npm_config_install: '', npm_config_framework: 'true' } });
    expect(await main(['my-scim', 'express'], f.deps)).toBe(1);
    expect(f.stderr()).toContain(
      '✖ npm kept --framework <value>, --no-install for itself instead of passing them to create-scim-server. ' +
        'Put create-scim-server\'s flags after "--": npm create scim-server@latest my-scim -- --framework <value> --no-install',
    );
    expect(f.written).toEqual([]);
    expect(f.commands).toEqual([]);
    expect(await readdir(cwd)).toEqual([]);
  });

  test('only --yes: a warning (npx --yes sets it too), and the run goes on', async () => {
    const f = fake({ cwd, env: { npm_config_user_agent: NPM, npm_config_yes: 'true' } });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(f.stdout()).toContain('! npm kept --yes for itself');
    expect(f.stdout()).toContain('(ignore this if --yes was for npx)');
  });

  test('flags passed after "--" are ours, and pnpm passes everything on', async () => {
    const given = fake({ cwd, env: { npm_config_user_agent: NPM, npm_config_install: '' } });
    expect(await main(['app', '--no-install', '--no-git'], given.deps)).toBe(0);
    expect(given.stdout()).not.toContain('npm kept');
    const pnpm = fake({ cwd, env: { npm_config_user_agent: 'pnpm/9.0.0 npm/? node/v22.0.0 linux x64', npm_config_install: '' } });
    expect(await main(['other', '--no-install', '--no-git'], pnpm.deps)).toBe(0);
    expect(pnpm.stdout()).not.toContain('npm kept');
  });

  test('an .npmrc setting such as git=/usr/bin/git, or npm exec\'s own empty npm_config_yes, is no trace of a flag', async () => {
    const f = fake({ cwd, env: { npm_config_user_agent: NPM, npm_config_git: '/usr/bin/git', npm_config_yes: '' } });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(f.stdout()).not.toContain('npm kept');
  });
});

describe('before anything is written', () => {
  test('a package manager that is not installed is named, and nothing is written', async () => {
    const f = fake({ cwd, failing: ['missing:pnpm'] });
    expect(await main(['app', '--package-manager', 'pnpm', '--no-git'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('✖ --package-manager pnpm is not installed or not on PATH. Install it, choose another with --package-manager, or pass --no-install. Nothing was written.');
    expect(f.written).toEqual([]);
    expect(existsSync(join(cwd, 'app'))).toBe(false);
  });

  test('the one running create, when it is missing, is named as such', async () => {
    const f = fake({ cwd, failing: ['missing:bun'], env: { npm_config_user_agent: 'bun/1.2.0 npm/? node/v22.0.0 linux x64' } });
    expect(await main(['app', '--no-git'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('✖ bun (the one running create) is not installed or not on PATH.');
  });

  test('--no-install does not need the package manager', async () => {
    const f = fake({ cwd, failing: ['missing:pnpm'] });
    expect(await main(['app', '--package-manager', 'pnpm', '--no-install', '--no-git'], f.deps)).toBe(0);
  });
});

/** A fake whose install is interrupted by Ctrl-C: npm gets the signal too and fails. */
function interruptedInstall(): Fake {
  const f = fake({ cwd, failing: ['npm install'] });
  const exec = f.deps.exec;
  f.deps.exec = async (file, args, options) => {
    if (args[0] === 'install') f.interrupt();
    return exec(file, args, options);
  };
  return f;
}

describe('Ctrl-C during the install', () => {
  test('removes the directory this run created, says so, exits 130; the same command then works', async () => {
    const f = interruptedInstall();
    expect(await main(['app', '--no-git'], f.deps)).toBe(130);
    expect(f.stdout()).toContain(`! Interrupted: removed ${join(cwd, 'app')}, which this run had created. Run the same command again to start over.`);
    expect(existsSync(join(cwd, 'app'))).toBe(false);
    expect(f.commands.map((c) => c.args[0])).not.toContain('init');

    const again = fake({ cwd });
    expect(await main(['app', '--no-git'], again.deps)).toBe(0);
  });

  test('empties a directory that was empty (but for .git) again', async () => {
    await mkdir(join(cwd, 'app', '.git'), { recursive: true });
    const f = interruptedInstall();
    expect(await main(['app', '--no-git'], f.deps)).toBe(130);
    expect(await readdir(join(cwd, 'app'))).toEqual(['.git']);
    expect(f.stdout()).toContain('emptied');
  });

  test('leaves a directory that held the user\'s files (--force), and says how to finish', async () => {
    await mkdir(join(cwd, 'app'));
    await writeFile(join(cwd, 'app', 'notes.txt'), 'mine');
    const f = interruptedInstall();
    expect(await main(['app', '--force', '--no-git'], f.deps)).toBe(130);
    expect(await readdir(join(cwd, 'app'))).toContain('notes.txt');
    expect(f.stdout()).toContain('already held files, so nothing was removed; it now holds a partial project. Run again with --force to finish it.');
  });

  test('no longer listens once the run is over', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
    f.interrupt();
    expect(existsSync(join(cwd, 'app', 'src/server.ts'))).toBe(true);
  });
});

describe('did you mean', () => {
  test('an unknown flag names the one meant', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--framwork', 'express'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('✖ Unknown argument: framwork. Did you mean --framework?');
    const g = fake({ cwd });
    expect(await main(['app', '--no-instal'], g.deps)).toBe(1);
    expect(g.stderr()).toContain('Did you mean --no-install?');
  });

  test('a mistyped value names the choice meant', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--framework', 'expres'], f.deps)).toBe(1);
    const listed = choices('framework').map((id) => `"${id}"`).join(', ');
    expect(f.stderr()).toContain(`✖ Invalid --framework "expres": expected one of ${listed} (did you mean "express"?).`);
  });

  test('a mistyped value in a config file too', async () => {
    await writeFile(join(cwd, 'acme.json'), JSON.stringify({ directory: 'acme', database: 'postgress' }));
    const f = fake({ cwd });
    expect(await main(['--config', 'acme.json', '--no-install', '--no-git'], f.deps)).toBe(1);
    expect(f.stderr()).toMatch(/postgress.*(did you mean "postgres"\?|Did you mean "postgres"\?)/i);
  });
});

describe('--yes without a directory', () => {
  test('creates ./scim-server, the prompt\'s default', async () => {
    const f = fake({ cwd });
    expect(await main(['--yes', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(existsSync(join(cwd, 'scim-server', 'src/server.ts'))).toBe(true);
  });

  test('without --yes and without a terminal it is still an error that names both ways out', async () => {
    const f = fake({ cwd });
    expect(await main(['--no-install'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('pass --yes to create ./scim-server');
  });
});
