// `create-scim-server check <base-url>`: a black-box compliance check of any SCIM 2.0 server
// against RFC 7643/7644 and what Okta and Microsoft Entra ID send. Returns the exit code:
// 0 all passed, 1 a check failed, 2 the server could not be checked.

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { styleText } from 'node:util';
import { GENERATOR_VERSION } from '../version.js';
import { parseCheckArgs } from './args.js';
import { authenticator, type Authenticator } from './auth.js';
import { authentication, errors } from './checks/errors.js';
import { discovery } from './checks/discovery.js';
import { entraGroups } from './checks/entra-groups.js';
import { entraUsers } from './checks/entra-users.js';
import { oktaGroups } from './checks/okta-groups.js';
import { oktaUsers } from './checks/okta-users.js';
import { interopProfile, ipsieProfile } from './checks/profiles.js';
import { paging } from './checks/paging.js';
import type { CheckGroup } from './check.js';
import { parseEnvFile } from './env-file.js';
import { scimHttp, TransportError } from './http.js';
import { resolveCheckOptions } from './options.js';
import { preflight, PreflightError } from './preflight.js';
import { jsonReport } from './report/json.js';
import { junitReport } from './report/junit.js';
import { plain, textReport, type Style } from './report/text.js';
import { runChecks } from './run.js';
import { TargetError } from './target.js';

/** In the order they run: discovery first (later checks use what it finds), paging last (it sees the users created). */
export const CHECK_GROUPS: readonly CheckGroup[] = [discovery, authentication, errors, oktaUsers, oktaGroups, entraUsers, entraGroups, paging];
/** With --profiles, after the others. */
export const PROFILE_GROUPS: readonly CheckGroup[] = [interopProfile, ipsieProfile];

export const EXIT_FAILED = 1;
export const EXIT_NOT_CHECKED = 2;

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CheckDeps {
  stdout: Output;
  stderr: Output;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  fetch: typeof fetch;
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  /** Ctrl-C: stop, clean up, report. */
  signal?: AbortSignal;
  /** The run's prefix; random by default. */
  prefix?: string;
}

export async function runCheck(argv: readonly string[], deps: CheckDeps): Promise<number> {
  let secrets: () => string[] = () => [];
  const scrub = (text: string) => secrets().reduce((t, s) => (s.length >= 4 ? t.split(s).join('****') : t), text);
  const error = (message: string) => deps.stderr.write(`✖ ${scrub(message)}\n`);
  try {
    const parsed = await parseCheckArgs(argv);
    if (parsed.kind === 'exit') {
      deps.stdout.write(parsed.output + '\n');
      return parsed.exitCode;
    }
    if (parsed.kind === 'error') {
      error(parsed.message);
      return EXIT_NOT_CHECKED;
    }
    const flags = parsed.flags;
    const env = flags.envFile ? { ...(await readEnvFile(deps, flags.envFile)), ...deps.env } : deps.env;
    const options = resolveCheckOptions(flags, env);
    const userAgent = `create-scim-server-check/${GENERATOR_VERSION}`;
    const timeoutMs = options.timeoutMs;
    const auth: Authenticator = authenticator(options.auth, { fetch: deps.fetch, timeoutMs, allowInsecure: options.allowInsecure, userAgent });
    secrets = () => auth.secrets();
    const http = scimHttp(options.baseUrl, { fetch: deps.fetch, timeoutMs, userAgent, auth });

    await preflight(http, auth);
    const { results, cleanup } = await runChecks(options.profiles ? [...CHECK_GROUPS, ...PROFILE_GROUPS] : CHECK_GROUPS, {
      http,
      prefix: deps.prefix ?? `scimcheck-${randomBytes(4).toString('hex')}`,
      readOnly: options.readOnly,
      authKind: options.auth.kind,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const header = { baseUrl: options.baseUrl.href, auth: auth.description, readOnly: options.readOnly };
    deps.stdout.write(scrub(options.json ? jsonReport(header, results, cleanup) : textReport(header, results, cleanup, style(deps))));
    if (options.junit) await deps.writeFile(resolve(deps.cwd, options.junit), scrub(junitReport(results)));
    if (deps.signal?.aborted) return 130;
    return results.some((r) => r.status === 'failed') ? EXIT_FAILED : 0;
  } catch (problem) {
    if (problem instanceof TargetError || problem instanceof PreflightError || problem instanceof TransportError) {
      error(problem.message);
      return EXIT_NOT_CHECKED;
    }
    throw problem;
  }
}

async function readEnvFile(deps: CheckDeps, path: string): Promise<Record<string, string>> {
  try {
    return parseEnvFile(await deps.readFile(resolve(deps.cwd, path)));
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === 'ENOENT') throw new TargetError(`--env-file ${path}: no such file.`);
    throw problem;
  }
}

function style(deps: CheckDeps): Style {
  if (!deps.stdout.isTTY || deps.env.NO_COLOR) return plain;
  const paint = (format: Parameters<typeof styleText>[0]) => (text: string) => styleText(format, text, { validateStream: false });
  return { pass: paint('green'), fail: paint('red'), dim: paint('dim') };
}
