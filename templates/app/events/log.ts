// Log lines of the delivery loop, which runs outside any request: JSON lines on stderr in the
// shape of the HTTP server's (level, time, msg), at or above LOG_LEVEL. Never a payload or a
// secret: destinations, event ids, attempt counts and error texts only.

import type { WorkerLog } from './worker.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export function logLine(level: string): WorkerLog {
  const threshold = LEVELS[level] ?? LEVELS.info!;
  const write = (value: number) => (obj: object, msg: string) => {
    if (value < threshold) return;
    process.stderr.write(`${JSON.stringify({ level: value, time: Date.now(), pid: process.pid, ...obj, msg })}\n`);
  };
  return { info: write(30), warn: write(40) };
}
