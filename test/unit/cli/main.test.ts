import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { ENV_FILE_HEADER } from '../../../src/cli/steps/env.js';
import { SchemaValidationError } from '../../../src/model/errors.js';
import { fake, TOKEN } from './fakes.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'scim-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('main: refusals', () => {
  test('without a TTY, a missing directory names the argument', async () => {
    const f = fake({ cwd });
    expect(await main(['--base-path', '/scim/v2'], f.deps)).toBe(1);
    expect(f.stderr()).toMatch(/^✖ No project directory given\. Pass it as the first argument, e\.g\. `npm create scim-server@latest my-scim-server`/);
    expect(await readdir(cwd)).toEqual([]);
  });

  test('a base path with "_" is refused because of Okta', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--base-path', '/scim_v2'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('Invalid --base-path "/scim_v2": it must not contain "_" because Okta rejects base URLs with underscores.');
    expect(f.written).toEqual([]);
  });

  test('a non-empty target is refused with the flag that allows it', async () => {
    await mkdir(join(cwd, 'app'));
    await writeFile(join(cwd, 'app', 'notes.txt'), 'mine');
    const f = fake({ cwd });
    expect(await main(['app'], f.deps)).toBe(1);
    expect(f.stderr()).toContain(`The directory ${join(cwd, 'app')} is not empty (notes.txt).`);
    expect(f.stderr()).toContain('pass --force to generate into it anyway');
    expect(f.written).toEqual([]);
  });

  test('--force generates into a non-empty target', async () => {
    await mkdir(join(cwd, 'app'));
    await writeFile(join(cwd, 'app', 'notes.txt'), 'mine');
    const f = fake({ cwd });
    expect(await main(['app', '--force', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(f.written).toHaveLength(1);
  });

  test('a directory holding only .git is fine', async () => {
    await mkdir(join(cwd, 'app', '.git'), { recursive: true });
    const f = fake({ cwd });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
  });

  test('schema problems are printed in full, exit 1', async () => {
    const issues = [{ file: 'ext.json', path: '$.id', message: 'expected a URN' }];
    const f = fake({ cwd, loadSchemaModel: async () => Promise.reject(new SchemaValidationError(issues)) });
    expect(await main(['app', '--schema', 'ext.json'], f.deps)).toBe(1);
    expect(f.stderr()).toBe('✖ Invalid SCIM schema (1 problem):\n  - ext.json: $.id: expected a URN\n');
  });

  test('cancelling a prompt prints "Operation cancelled." and exits 130', async () => {
    const f = fake({ cwd, tty: true, answers: { directory: 'cancel' } });
    expect(await main([], f.deps)).toBe(130);
    expect(f.stderr()).toBe('✖ Operation cancelled.\n');
  });

  test('an unexpected error prints its message without a stack unless DEBUG', async () => {
    const boom = async () => Promise.reject(new TypeError('boom'));
    const quiet = fake({ cwd, loadSchemaModel: boom });
    expect(await main(['app'], quiet.deps)).toBe(1);
    expect(quiet.stderr()).toBe('✖ Unexpected error: boom\n');
    expect(quiet.stdout()).toContain('Run again with DEBUG=1 to see the stack trace.');
    expect(quiet.stdout()).not.toContain('at ');

    const debug = fake({ cwd, loadSchemaModel: boom, env: { DEBUG: '1' } });
    expect(await main(['app'], debug.deps)).toBe(1);
    expect(debug.stdout()).toContain('TypeError: boom\n    at ');
  });
});

describe('main: --dry-run', () => {
  test('prints the sorted plan and writes nothing', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--dry-run'], f.deps)).toBe(0);
    expect(f.written).toEqual([]);
    expect(f.commands).toEqual([]);
    expect(existsSync(join(cwd, 'app'))).toBe(false);
    const table = f.stdout().slice(f.stdout().indexOf('Dry run'));
    expect(table).toBe(
      [
        `Dry run: 3 files would be written to ${join(cwd, 'app')}. Nothing was written.`,
        '',
        '  path                         owner        size',
        '  .env.example                 user         64 B',
        '  src/generated/scim/a.gen.ts  generated  1.5 kB',
        '  src/server.ts                user         11 B',
        '',
      ].join('\n'),
    );
  });
});

describe('main: a full run', () => {
  test('writes, creates .env with a token it never prints, installs, commits, explains next steps', async () => {
    const f = fake({ cwd, env: { npm_config_user_agent: 'pnpm/9.0.0 npm/? node/v22.0.0 linux x64' } });
    expect(await main(['my app', '--port', '8080'], f.deps)).toBe(1);
    // "my app" is no npm package name; the error suggests one.
    expect(f.stderr()).toContain('e.g. "my-app"');

    const ok = fake({ cwd, env: { npm_config_user_agent: 'pnpm/9.0.0 npm/? node/v22.0.0 linux x64' } });
    await mkdir(join(cwd, 'dir with space'));
    const target = join(cwd, 'dir with space', 'my-app');
    expect(await main([join('dir with space', 'my-app'), '--port', '8080'], ok.deps)).toBe(0);

    const env = await readFile(join(target, '.env'), 'utf8');
    expect(env).toBe(`${ENV_FILE_HEADER.join('\n')}\n# Bearer token.\n# generate: token\nSCIM_BEARER_TOKEN=${TOKEN}\n\nPORT=3000\n`);
    if (process.platform !== 'win32') expect((await stat(join(target, '.env'))).mode & 0o777).toBe(0o600);
    expect(ok.stdout()).not.toContain(TOKEN);

    expect(ok.commands.map((c) => [c.file, ...c.args].join(' '))).toEqual([
      // The package manager is looked for before anything is written.
      'pnpm --version',
      'pnpm install',
      'git --version',
      'git rev-parse --is-inside-work-tree',
      'git init --quiet',
      'git add --all',
      'git commit --quiet --message Initial commit from create-scim-server',
    ]);
    expect(ok.commands[1]?.options).toEqual({ cwd: target, stream: true });

    const closing = ok.stdout().slice(ok.stdout().indexOf('Created my-app'));
    expect(closing).toBe(
      [
        `Created my-app in ${target}.`,
        '',
        'Next steps:',
        '  1. cd "dir with space/my-app"',
        '  2. pnpm dev',
        '',
        'SCIM base URL: http://localhost:8080/scim/v2',
        'API docs:      http://localhost:8080/docs (while the server runs in development)',
        'The secret was generated into .env (SCIM_BEARER_TOKEN). docs/idp-setup.md says which of them Okta and Microsoft Entra ID need, and where; keep them secret.',
        '',
      ].join('\n'),
    );
  });

  test('an existing .env is kept', async () => {
    await mkdir(join(cwd, 'app'));
    await writeFile(join(cwd, 'app', '.env'), 'SCIM_BEARER_TOKEN=mine\n');
    const f = fake({ cwd });
    expect(await main(['app', '--force', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(await readFile(join(cwd, 'app', '.env'), 'utf8')).toBe('SCIM_BEARER_TOKEN=mine\n');
    expect(f.stdout()).toContain('The secret is in .env (SCIM_BEARER_TOKEN).');
  });

  test('--no-install adds the install command to the next steps', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(f.commands).toEqual([]);
    expect(f.stdout()).toContain('  1. cd app\n  2. npm install\n  3. npm run dev\n');
  });

  test('next steps name what the variant needs first: the database to create, the OAuth redirect URIs', async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--yes', '--no-install', '--no-git', '--database', 'postgres', '--auth', 'oauth2'], f.deps)).toBe(0);
    const out = f.stdout();
    expect(out).toContain('  3. createdb -h 127.0.0.1 -p 5432 -U postgres scim   # Create the PostgreSQL database named in DATABASE_URL');
    expect(out).toContain('  4. npm run dev\n');
    expect(out).toContain('OAUTH_REDIRECT_URIS=https://portal.azure.com/TokenAuthorize for Entra ID');

    const m = fake({ cwd });
    expect(await main(['app2', '--yes', '--no-install', '--no-git', '--database', 'mysql'], m.deps)).toBe(0);
    expect(m.stdout()).toContain("mysql -h 127.0.0.1 -P 3306 -u root -e 'CREATE DATABASE scim CHARACTER SET utf8mb4'");

    const c = fake({ cwd });
    expect(await main(['app3', '--yes', '--no-install', '--no-git', '--database', 'custom'], c.deps)).toBe(0);
    expect(c.stdout()).toContain('  - The in-memory store loses everything on restart: return your own store from src/store/index.ts');
  });

  test(".env says it is the user's file, not a generated one", async () => {
    const f = fake({ cwd });
    expect(await main(['app', '--no-install', '--no-git'], f.deps)).toBe(0);
    const env = await readFile(join(cwd, 'app', '.env'), 'utf8');
    expect(env.split('\n')[0]).toBe('# Your local settings: this file is yours. create-scim-server wrote it once; regenerating never');
    expect(env).not.toMatch(/Generated by create-scim-server|Copy to \.env/);
    expect(env).toMatch(/^SCIM_BEARER_TOKEN=.{20,}$/m);
  });

  test('a failed install prints the exact retry command and exits 1', async () => {
    const f = fake({ cwd, failing: ['npm install'] });
    expect(await main(['app', '--no-git'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('✖ Installing dependencies failed: Command failed with exit code 1: npm install');
    expect(f.stdout()).toContain('The project is complete except its dependencies: keep it, and finish the install with:\n  cd app && npm install');
    expect(f.stdout()).toContain('  2. npm install\n');
  });

  test('without git, the repository step is skipped with a note', async () => {
    const f = fake({ cwd, failing: ['missing:git'] });
    expect(await main(['app', '--no-install'], f.deps)).toBe(0);
    expect(f.stdout()).toContain('Note: git is not installed, so no repository was created.');
    expect(f.commands.map((c) => c.args.join(' '))).toEqual(['--version']);
  });

  test('a failed first commit leaves the repository and says how to commit', async () => {
    const f = fake({ cwd, failing: ['git commit'] });
    expect(await main(['app', '--no-install'], f.deps)).toBe(0);
    expect(f.stdout()).toContain('the first commit failed');
    expect(f.stdout()).toContain('Commit yourself: git add --all && git commit -m "Initial commit from create-scim-server"');
  });

  test('inside an existing repository no new one is created', async () => {
    const f = fake({ cwd, insideGitRepo: true });
    expect(await main(['app', '--no-install'], f.deps)).toBe(0);
    expect(f.commands.map((c) => c.args.join(' '))).toEqual(['--version', 'rev-parse --is-inside-work-tree']);
  });
});

describe('main: --help', () => {
  test('prints help to stdout and exits 0 without touching anything', async () => {
    const f = fake({ cwd });
    expect(await main(['--help'], f.deps)).toBe(0);
    expect(f.stdout()).toMatch(/^create-scim-server \[directory\]/);
    expect(f.stdout().trimEnd()).toMatch(/Non-interactive usage:[\s\S]*npx create-scim-server my-scim --yes --dry-run\n\n[\s\S]*--config FILE[\s\S]*npx create-scim-server globex-scim --config acme-scim\/scim\.config\.json --no-install$/);
  });
});
