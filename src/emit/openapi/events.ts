// Security event tokens (templates/app/events/routes.ts) in the OpenAPI document: the JWKS that
// verifies them and the RFC 8936 poll endpoint, under /events outside the SCIM base path. Every
// project has them, off until SCIM_SET_SIGNING_KEY (and for the poll SCIM_SET_POLL_TOKEN) is
// set, so every project's document describes them, marked as such. Errors are RFC 8936's JSON.

import type { OpenAPIV3_1 } from 'openapi-types';
import { schemaRef } from './names.js';
import type { Paths } from './paths.js';

export const EVENTS_PATH = '/events';
export const SET_POLL_SECURITY = 'setPollToken';
export const EVENTS_TAG = 'Events';

const SIGNED = 'Only served when SCIM_SET_SIGNING_KEY is set; without it the path answers 404.';
const POLLED = 'Only served when SCIM_SET_SIGNING_KEY and SCIM_SET_POLL_TOKEN are set; without them the path answers 404.';

export function eventsTagObject(multiTenant: boolean): OpenAPIV3_1.TagObject {
  return {
    name: EVENTS_TAG,
    description:
      'Security event tokens (RFC 8417, SCIM events of RFC 9967) for the changes this server commits: ' +
      'the key that verifies them, and poll-based delivery (RFC 8936). Webhooks and SET push are sent, not served.' +
      (multiTenant ? " One stream for the operator: the poll endpoint hands out every tenant's events, never one customer's." : ''),
  };
}

export const SET_POLL_SECURITY_SCHEME: OpenAPIV3_1.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: `The poll token (SCIM_SET_POLL_TOKEN), never a SCIM credential. ${POLLED}`,
};

const JSON_TYPE = 'application/json';

/** RFC 8936 §2.4.4: the error object of a refused poll. */
const pollError: OpenAPIV3_1.SchemaObject = {
  type: 'object',
  required: ['err', 'description'],
  properties: {
    err: { type: 'string', description: 'invalid_request, or authentication_failed.' },
    description: { type: 'string' },
  },
};

export function eventsSchemas(): Record<string, OpenAPIV3_1.SchemaObject> {
  return {
    SetPollRequest: {
      type: 'object',
      description: 'RFC 8936 §2.4: acknowledge the SETs received before, then ask for more. An empty body is the same as {}.',
      properties: {
        ack: { type: 'array', items: { type: 'string' }, description: 'The jti of every SET received and processed.' },
        setErrs: {
          type: 'object',
          description: 'SETs refused, keyed by jti: not handed out again.',
          additionalProperties: pollError,
        },
        maxEvents: { type: 'integer', minimum: 0, default: 100, description: 'At most this many SETs (capped at 1000); 0 only acknowledges.' },
        returnImmediately: {
          type: 'boolean',
          default: false,
          description: 'Answer at once even with no SET; otherwise wait up to 10 s for a first one.',
        },
      },
    },
    SetPollResponse: {
      type: 'object',
      required: ['sets'],
      properties: {
        sets: {
          type: 'object',
          description: 'SETs keyed by jti (the event id), each a signed JWT. Not acknowledged within a minute, a SET is handed out again.',
          additionalProperties: { type: 'string' },
        },
        moreAvailable: { type: 'boolean', description: 'More SETs are waiting: poll again at once.' },
      },
    },
    SetPollError: pollError,
    Jwks: {
      type: 'object',
      required: ['keys'],
      description: 'RFC 7517 JSON Web Key Set: the public key of SCIM_SET_SIGNING_KEY.',
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            required: ['kty', 'kid', 'alg', 'use'],
            properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string', const: 'sig' } },
            additionalProperties: true,
          },
        },
      },
    },
  };
}

const json = (description: string, schema: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.SchemaObject): OpenAPIV3_1.ResponseObject => ({
  description,
  content: { [JSON_TYPE]: { schema } },
});

/** The events paths, served from the server root (`origin`), not the SCIM base path. */
export function eventsPaths(origin: OpenAPIV3_1.ServerObject, multiTenant: boolean): Paths {
  const servers = [origin];
  return {
    [`${EVENTS_PATH}/jwks.json`]: {
      servers,
      get: {
        operationId: 'eventsJwks',
        summary: 'The key that verifies security event tokens',
        description: `Public: no credentials. ${SIGNED}`,
        tags: [EVENTS_TAG],
        security: [],
        responses: { '200': json('The public signing key.', schemaRef('Jwks')) },
      },
    },
    [`${EVENTS_PATH}/poll`]: {
      servers,
      post: {
        operationId: 'eventsPoll',
        summary: 'Poll for security event tokens (RFC 8936)',
        description:
          'Acknowledges or refuses the SETs of the previous poll, then answers with the next ones, oldest first; ' +
          "each resource's changes in commit order." +
          (multiTenant ? " Every tenant's events: the operator's stream, not to be handed to a customer." : '') +
          ` ${POLLED}`,
        tags: [EVENTS_TAG],
        security: [{ [SET_POLL_SECURITY]: [] }],
        requestBody: { required: false, content: { [JSON_TYPE]: { schema: schemaRef('SetPollRequest') } } },
        responses: {
          '200': json('The next SETs.', schemaRef('SetPollResponse')),
          '400': json('The body is not a valid poll request.', schemaRef('SetPollError')),
          '401': json('Missing or wrong poll token.', schemaRef('SetPollError')),
        },
      },
    },
  };
}
