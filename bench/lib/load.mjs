// One load run with autocannon, reduced to the numbers the report uses.

import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process has used (user + system), from /proc; undefined where there is none.
 * CPU time per request is far steadier than requests/s on a machine shared with other work.
 */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Runs `request` (an autocannon request: method, setupRequest, onResponse) against `origin`
 * with `connections` concurrent connections for `seconds`.
 */
export async function loadRun({ origin, pid, headers, request, connections, seconds }) {
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    headers: {
      accept: 'application/scim+json',
      ...(request.method === 'GET' ? {} : { 'content-type': 'application/scim+json' }),
      ...headers,
    },
    requests: [request],
    timeout: 30,
  });
  const cpu = cpuSeconds(pid) - cpuBefore;
  return {
    rps: Math.round(result.requests.total / result.duration),
    // Server CPU per request in microseconds (NaN without /proc).
    cpuUs: Math.round((cpu * 1e6) / Math.max(1, result.requests.total)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
