// What src/server.ts prints when the server starts, and when it cannot: one readable line per
// fact instead of a stack trace.

export interface StartupFacts {
  /** The address the server listens on, e.g. "http://127.0.0.1:3000". */
  address: string;
  basePath: string;
  /** SCIM_PUBLIC_URL, when set. */
  publicUrl?: string;
  /** The auth scheme's name, e.g. "OAuth Bearer Token". */
  auth: string;
  /** Where the API reference is, when served (e.g. "/docs"). */
  docsPath?: string;
  /** Database migrations applied at this start. */
  migrations: readonly string[];
}

/** The lines to print once the server listens. */
export function startupLines(facts: StartupFacts): string[] {
  const local = facts.address.replace('://0.0.0.0:', '://localhost:').replace('://127.0.0.1:', '://localhost:');
  const lines = [`SCIM server listening on ${facts.address}`, `  SCIM base URL: ${facts.publicUrl ?? local + facts.basePath}`];
  lines.push(`  Authentication: ${facts.auth}`);
  lines.push(
    facts.docsPath
      ? `  API docs: ${local}${facts.docsPath} (openapi.json at ${local}${facts.docsPath}/openapi.json; SCIM_DOCS=off hides them)`
      : '  API docs: off (SCIM_DOCS=on serves them at /docs)',
  );
  if (facts.migrations.length > 0) lines.push(`  Applied migrations: ${facts.migrations.join(', ')}`);
  return lines;
}

/** One line that says what went wrong at start and what to do about it. */
export function startupErrorMessage(error: unknown, env: NodeJS.ProcessEnv): string {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE') {
    const busy = typeof port === 'number' ? port : (env.PORT ?? '');
    return `Cannot start: port ${busy} is in use. Stop what runs there, or set PORT in .env to a free port.`;
  }
  if (code === 'EACCES' && /listen/.test(reason)) {
    return `Cannot start: not allowed to listen on port ${String(port ?? env.PORT ?? '')}. Set PORT in .env to a port above 1023.`;
  }
  return `Cannot start: ${reason}`;
}

/**
 * Prints the start-up error and exits. Under `npm run dev` (tsx watch), the watcher would keep
 * waiting for a file change after the server exits, which looks like a hang: it is stopped too.
 */
export function exitOnStartupError(error: unknown, env: NodeJS.ProcessEnv = process.env): never {
  console.error(startupErrorMessage(error, env));
  if (env.DEBUG && error instanceof Error && error.stack) console.error(error.stack);
  if (underWatcher(env)) {
    console.error('Stopped the watcher too: fix the above, then run npm run dev again.');
    try {
      process.kill(process.ppid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  process.exit(1);
}

/** True when this process is the child of `tsx watch` started by a package script. */
export function underWatcher(env: NodeJS.ProcessEnv): boolean {
  return /\btsx\s+watch\b/.test(env.npm_lifecycle_script ?? '') && env.npm_lifecycle_event === 'dev';
}
