// The environment variables every variant reads (templates/scim/config.ts): the one list that
// both .env.example and the README's Configuration table are written from.

import { RATE_LIMIT_DEFAULTS } from '../../templates/scim/config.js';
import type { EnvVar } from '../adapters/types.js';
import type { ProjectOptions } from '../options.js';

export interface CoreEnvVar extends EnvVar {
  /** The README's Default column when it is not `example` (an empty value that means something). */
  readmeDefault?: string;
}

/**
 * Core variables in two groups: the README lists `listen` before the adapters' variables and
 * `tuning` after them; .env.example lists both first. Descriptions are Markdown (backticks).
 */
export function coreEnv(options: ProjectOptions): { listen: CoreEnvVar[]; tuning: CoreEnvVar[] } {
  return {
    listen: [
      { name: 'PORT', description: 'Port to listen on.', example: String(options.port) },
      { name: 'HOST', description: 'Interface to listen on.', example: '0.0.0.0' },
    ],
    tuning: [
      {
        name: 'LOG_LEVEL',
        description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
        example: 'info',
      },
      {
        name: 'SCIM_MAX_BODY_BYTES',
        description: 'Largest request body accepted; larger ones are answered with 413.',
        example: '1048576',
      },
      {
        name: 'SCIM_PATCH_STATUS',
        description:
          '`200`: PATCH answers with the resource (a membership change answers 204 unless `attributes` asks for a body). `204`: no body for every PATCH.',
        example: '200',
      },
      {
        name: 'SCIM_PUBLIC_URL',
        description:
          'Public URL of the base path, e.g. `https://scim.example.com' + options.basePath +
          '`, used in `Location` and `meta.location` when a proxy changes the host or scheme.',
        example: '',
        readmeDefault: '(from the request)',
      },
      {
        name: 'SCIM_CURSOR_SECRET',
        description:
          'Key that signs pagination cursors (RFC 9865). When empty, each process draws a random one: cursors then do not survive a restart and are refused by other replicas.',
        secret: true,
        generate: 'token',
        readmeDefault: '(random per process); generated into .env',
      },
      {
        name: 'SCIM_CURSOR_TIMEOUT',
        description: 'Seconds a pagination cursor stays valid between page requests (`cursorTimeout`).',
        example: '600',
      },
      {
        name: 'SCIM_DOCS',
        description:
          '`on` or `off`: serve the API reference at `/docs` and the OpenAPI document at `/docs/openapi.json` (no credentials). Empty: on unless `NODE_ENV=production`.',
        example: '',
        readmeDefault: 'on unless `NODE_ENV=production`',
      },
      {
        name: 'SCIM_HEADERS_TIMEOUT_MS',
        description:
          'Milliseconds a client has to send a request\'s headers; a slower one gets 408 and its connection is closed. `0` turns it off.',
        example: '20000',
      },
      {
        name: 'SCIM_REQUEST_TIMEOUT_MS',
        description:
          'Milliseconds a client has to send a whole request, body included, so a client trickling its body is cut off (408). `0` turns it off.',
        example: '60000',
      },
      {
        name: 'SCIM_KEEP_ALIVE_TIMEOUT_MS',
        description:
          'Milliseconds an idle keep-alive connection stays open. Keep it longer than your load balancer\'s idle timeout (AWS ALB: 60 s), so the balancer closes idle connections, never the server under it.',
        example: '65000',
      },
      {
        name: 'SCIM_BULK_MAX_OPERATIONS',
        description: 'Most operations in one `/Bulk` request (`maxOperations`); more are answered with 413.',
        example: '1000',
      },
      {
        name: 'SCIM_BULK_MAX_PAYLOAD_BYTES',
        description:
          'Largest `/Bulk` request in bytes (`maxPayloadSize`); larger ones are answered with 413. Capped at `SCIM_MAX_BODY_BYTES`, which is also the default.',
        example: '1048576',
        readmeDefault: '(SCIM_MAX_BODY_BYTES)',
      },
      {
        name: 'SCIM_RATE_LIMIT_PER_SECOND',
        description:
          'Requests per second each credential (so each tenant) may make, on average; more get `429` with `Retry-After`. `0` turns the limit off. Counted per process (per replica).',
        example: String(RATE_LIMIT_DEFAULTS.perSecond),
      },
      {
        name: 'SCIM_RATE_LIMIT_BURST',
        description: 'Requests a credential may make at once above the average before the limit applies.',
        example: String(RATE_LIMIT_DEFAULTS.burst),
      },
      {
        name: 'SCIM_DELETE',
        description:
          '`hard` or `soft`: what DELETE does. `hard` removes the resource at once; `soft` answers 404 at once and frees its userName, but keeps the document aside for `SCIM_DELETE_RETENTION_DAYS`. The event is written either way.',
        example: 'hard',
      },
      {
        name: 'SCIM_DELETE_RETENTION_DAYS',
        description: 'Days a soft-deleted resource is kept before the background pruner removes it for good.',
        example: '30',
      },
      {
        name: 'SCIM_AUDIT_RETENTION_DAYS',
        description: 'Days the audit log (`npm run audit`, `GET /admin/v1/audit`) keeps an event once it is delivered; pruned hourly.',
        example: '90',
      },
      {
        name: 'SCIM_AUTH_FAILURE_LIMIT',
        description:
          'Wrong credentials one client address may send before it gets `429` with `Retry-After` (one more try every 2 seconds); the last two thirds of them are answered slowly. Counted per process.',
        example: '30',
      },
      {
        name: 'TRUST_PROXY',
        description: 'Trust `X-Forwarded-*` headers. Enable only behind your own proxy or load balancer.',
        example: 'false',
      },
      {
        name: 'SCIM_WEBHOOK_URL',
        description:
          'Where every committed change is POSTed as a signed webhook (Standard Webhooks); several URLs separated by commas. Empty: no webhooks.' +
          (options.tenancy === 'multi' ? " Every tenant's changes (`data.tenant` says whose): a receiver of the operator's, not a customer's." : ''),
        example: '',
        readmeDefault: '(none)',
      },
      {
        name: 'SCIM_WEBHOOK_SECRET',
        description: 'Signing secret of the webhooks, `whsec_` and 24 to 64 random bytes in base64; required with `SCIM_WEBHOOK_URL`.',
        secret: true,
        readmeDefault: '(none)',
      },
      {
        name: 'SCIM_WEBHOOK_MAX_ATTEMPTS',
        description:
          'Attempts per event and destination (webhooks, SET push and poll) before its delivery is dead; `npm run events -- redeliver <id>` sends it again.',
        example: '12',
      },
      {
        name: 'SCIM_WEBHOOK_TIMEOUT_MS',
        description: 'Milliseconds a webhook or SET receiver has to answer before the attempt counts as failed (and is retried).',
        example: '5000',
      },
      {
        name: 'SCIM_WEBHOOK_RETRY_MAX_MS',
        description: 'Longest pause between two attempts of one delivery; pauses double from 1 s up to it, with random jitter.',
        example: '3600000',
      },
      {
        name: 'SCIM_SET_SIGNING_KEY',
        description:
          'Private key that signs RFC 9967 security event tokens: 32 random bytes in base64url (an Ed25519 key), a PKCS#8 PEM or a private JWK. Its public half is at `/events/jwks.json`.',
        secret: true,
        generate: 'token',
        readmeDefault: 'generated into .env',
      },
      {
        name: 'SCIM_SET_PUSH_URL',
        description: 'Receiver that security event tokens are pushed to (RFC 8935). Empty: no push.',
        example: '',
        readmeDefault: '(none)',
      },
      {
        name: 'SCIM_SET_PUSH_AUTHORIZATION',
        description: '`Authorization` header value sent with each push, when the receiver asks for one.',
        secret: true,
        readmeDefault: '(none)',
      },
      {
        name: 'SCIM_SET_POLL_TOKEN',
        description:
          'Bearer token of the poll endpoint `POST /events/poll` (RFC 8936). Empty: no poll endpoint.' +
          (options.tenancy === 'multi' ? " It reads every tenant's events: the operator's, never a customer's." : ''),
        secret: true,
        readmeDefault: '(off)',
      },
      {
        name: 'SCIM_SET_ISSUER',
        description: '`iss` of the security event tokens.',
        example: '',
        readmeDefault: '(the SCIM base URL)',
      },
      {
        name: 'SCIM_SET_AUDIENCE',
        description: '`aud` of the security event tokens, when the receiver checks one.',
        example: '',
        readmeDefault: '(none)',
      },
      {
        name: 'SCIM_ADMIN_TOKEN',
        description:
          'Bearer token of the admin API (`/admin/v1`: create tenants and credentials). When empty, the admin API is off (404).',
        secret: true,
        ...(options.tenancy === 'multi' ? { generate: 'token' as const } : {}),
        readmeDefault: options.tenancy === 'multi' ? '(off); generated into .env' : '(off)',
      },
    ],
  };
}
