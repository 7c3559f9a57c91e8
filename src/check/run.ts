// Runs the check groups in order against one server, and deletes what they created afterwards,
// whatever happened (a failed check, a dead server, Ctrl-C).

import { CheckFailure, CheckSkipped, clip, type Check, type CheckContext, type CheckGroup, type ServerInfo } from './check.js';
import { TransportError, type Exchange, type ScimHttp } from './http.js';

export interface Failure {
  /** `PATCH /Groups/123`, and the body sent, when the failure is about a request. */
  request?: string;
  requestBody?: string;
  expected: string;
  actual: string;
  hint: string;
}

export interface CheckResult {
  id: string;
  group: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** Why it was skipped. */
  reason?: string;
  failure?: Failure;
}

export interface Cleanup {
  deleted: string[];
  /** Resources the run created and could not delete, with why: the user must delete them. */
  left: Array<{ path: string; why: string }>;
}

export interface RunOptions {
  http: ScimHttp;
  prefix: string;
  readOnly: boolean;
  /** Aborted by Ctrl-C: no new check starts; cleanup still runs. */
  signal?: AbortSignal;
  /** Set in the shared state before the first check ("none" skips the wrong-credentials check). */
  authKind: string;
}

export async function runChecks(groups: readonly CheckGroup[], options: RunOptions): Promise<{ results: CheckResult[]; cleanup: Cleanup }> {
  const { http } = options;
  const server: ServerInfo = { endpoints: { User: '/Users', Group: '/Groups' }, enterpriseUser: false, patch: true };
  const state = new Map<string, unknown>([['auth', options.authKind]]);
  const created: string[] = [];
  const results: CheckResult[] = [];
  let stopped: string | undefined;

  for (const group of groups) {
    for (const check of group.checks) {
      const base = { id: check.id, group: group.name, title: check.title };
      const skip = skipReason(check, state, options.readOnly, options.signal, stopped);
      if (skip) {
        results.push({ ...base, status: 'skipped', durationMs: 0, reason: skip });
        continue;
      }
      let last: Exchange | undefined;
      const ctx: CheckContext = {
        http,
        prefix: options.prefix,
        server,
        state,
        async request(method, path, requestOptions) {
          const res = await http.request(method, path, requestOptions);
          last = res;
          return res;
        },
        created(path) {
          if (!created.includes(path)) created.push(path);
        },
        deleted(path) {
          const at = created.indexOf(path);
          if (at >= 0) created.splice(at, 1);
        },
      };
      const started = performance.now();
      try {
        await check.run(ctx);
        results.push({ ...base, status: 'passed', durationMs: performance.now() - started });
      } catch (error) {
        const durationMs = performance.now() - started;
        if (error instanceof CheckSkipped) {
          results.push({ ...base, status: 'skipped', durationMs, reason: error.message });
        } else if (error instanceof CheckFailure) {
          results.push({ ...base, status: 'failed', durationMs, failure: failure(error, check, error.exchange ?? last) });
        } else if (error instanceof TransportError) {
          results.push({ ...base, status: 'failed', durationMs, failure: { expected: 'an answer', actual: error.message, hint: check.hint } });
          // Nothing more can be learned from a server that is gone; a slow endpoint is one failure.
          if (error.kind !== 'timeout') stopped = 'the server stopped answering';
        } else {
          throw error;
        }
      }
    }
  }
  return { results, cleanup: await cleanUp(http, created, server) };
}

function skipReason(check: Check, state: Map<string, unknown>, readOnly: boolean, signal: AbortSignal | undefined, stopped?: string): string | undefined {
  if (signal?.aborted) return 'interrupted';
  if (stopped) return stopped;
  if (check.writes && readOnly) return '--read-only';
  const missing = (check.needs ?? []).filter((key) => !state.has(key));
  if (missing.length > 0) return `needs what an earlier check did not provide (${missing.join(', ')})`;
  return undefined;
}

function failure(error: CheckFailure, check: Check, exchange: Exchange | undefined): Failure {
  return {
    ...(exchange ? { request: `${exchange.method} ${exchange.path}` } : {}),
    ...(exchange?.requestBody !== undefined ? { requestBody: clip(JSON.stringify(redact(exchange.requestBody)), 400) } : {}),
    expected: error.expected,
    actual: error.actual,
    hint: error.hint ?? check.hint,
  };
}

/** Passwords we send are placeholders, but a report is no place for anything named password. */
function redact(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) => (key === 'password' ? '(redacted)' : value));
}

/** Groups first (they reference users), newest first; 404 means a check deleted it already. */
async function cleanUp(http: ScimHttp, created: readonly string[], server: ServerInfo): Promise<Cleanup> {
  const groups = server.endpoints.Group;
  const order = [...created].reverse().sort((a, b) => Number(!!groups && b.startsWith(`${groups}/`)) - Number(!!groups && a.startsWith(`${groups}/`)));
  const cleanup: Cleanup = { deleted: [], left: [] };
  for (const path of order) {
    try {
      const res = await http.request('DELETE', path);
      if (res.status < 300 || res.status === 404) cleanup.deleted.push(path);
      else cleanup.left.push({ path, why: `DELETE answered ${res.status}` });
    } catch (error) {
      cleanup.left.push({ path, why: (error as Error).message });
    }
  }
  return cleanup;
}
