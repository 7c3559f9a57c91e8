// Every package version a generated project may depend on, in one place. Adapters can only
// name packages listed here, so upgrading one is a one-line change tested by the e2e matrix.

export const versions = {
  // runtime
  fastify: '^5.6.0',
  express: '^5.1.0',
  hono: '^4.10.0',
  '@hono/node-server': '^2.1.0',
  pino: '^10.0.0',
  '@nestjs/common': '^12.6.3',
  '@nestjs/core': '^12.6.3',
  '@nestjs/platform-express': '^12.6.3',
  // Peer dependencies of Nest's packages.
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  pg: '^8.16.0',
  mysql2: '^3.15.0',
  jose: '^6.1.0',
  // Signs webhooks per the Standard Webhooks specification (the reference implementation).
  standardwebhooks: '^1.3.0',
  // npm picks by `engines`: 13 on Node 22+ (12.x aborts on Node 24 when a statement is
  // garbage-collected; 13 is built on node-addon-api and ships prebuilt binaries), and 12 on
  // Node 20, where 13 does not run.
  'better-sqlite3': '^12.4.1 || ^13.0.3',
  // The API reference page (src/generated/docs.ts), served from node_modules: no CDN.
  'swagger-ui-dist': '^5.30.0',
  // development
  typescript: '~5.9.3',
  '@types/node': '^22.18.0',
  '@types/better-sqlite3': '^7.6.13',
  '@types/express': '^5.0.3',
  '@types/pg': '^8.15.0',
  vitest: '^4.0.0',
  tsx: '^4.20.0',
  ajv: '^8.17.0',
  'ajv-formats': '^3.0.1',
  // Readable logs under `npm run dev` only (piped), never in production.
  'pino-pretty': '^13.0.0',
} as const;

export type PackageName = keyof typeof versions;

/** Node versions the generated project supports; 20 is end-of-life but still tested. */
export const NODE_ENGINES = '^20.19.0 || ^22.12.0 || >=24.0.0';

/**
 * Dependencies that need a newer Node than NODE_ENGINES: a project with one says so in its
 * `engines`, instead of npm warning EBADENGINE about a package the user never chose.
 */
export const DEPENDENCY_NODE_ENGINES: Partial<Record<PackageName, string>> = {
  // fastify 5 -> light-my-request -> cookie@2, which declares node >=22.
  fastify: '^22.12.0 || >=24.0.0',
};

/**
 * Packages with install scripts, as npm's `allowScripts` field reviews them: true runs them
 * (native builds), false skips them without a warning. Keyed by the project dependency that
 * brings each in.
 */
export const INSTALL_SCRIPTS: Partial<Record<PackageName, Record<string, boolean>>> = {
  'better-sqlite3': { 'better-sqlite3': true },
  // tsx -> esbuild, whose install script checks its platform binary.
  tsx: { esbuild: true },
  // swagger-ui-dist -> @scarf/scarf, whose install script only reports download statistics.
  'swagger-ui-dist': { '@scarf/scarf': false },
};
/** Base image of the generated Dockerfile: the active LTS line. */
export const DOCKER_NODE_IMAGE = 'node:24-bookworm-slim';
