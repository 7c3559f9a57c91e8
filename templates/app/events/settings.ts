// Where committed changes go, read from the environment at start: webhooks (Standard Webhooks),
// RFC 9967 security event tokens pushed (RFC 8935) or polled (RFC 8936). A wrong value stops the
// server with a message naming the variable, before it takes a request.

import { createHash } from 'node:crypto';
import { ConfigError, integerSetting, requireSecret } from '../scim/config.js';

export interface WebhookTarget {
  url: URL;
  /** The outbox destination: a hash of the URL, so a changed URL starts a new queue. */
  destination: string;
}

export interface EventsSettings {
  webhooks: WebhookTarget[];
  /** `whsec_...`; set whenever `webhooks` is not empty. */
  webhookSecret?: string;
  /** Attempts before a delivery is dead (SCIM_WEBHOOK_MAX_ATTEMPTS), for every destination. */
  maxAttempts: number;
  /** A receiver that has not answered by then has failed this attempt. */
  timeoutMs: number;
  /** The longest pause between two attempts (the backoff's cap). */
  retryMaxMs: number;
  sets?: {
    /** SCIM_SET_SIGNING_KEY as given (parsed by set-signer.ts). */
    signingKey: string;
    push?: { url: URL; destination: string; authorization?: string };
    /** The receiver's bearer token of the poll endpoint. */
    pollToken?: string;
    /** `iss` of every SET; default: the SCIM base URL. */
    issuer?: string;
    /** `aud` of every SET. */
    audience?: string;
  };
}

/** The outbox destination of the RFC 8936 poll endpoint. */
export const SET_POLL_DESTINATION = 'set-poll';

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Whether anything is configured: without a destination, events stay in the log only. */
export const hasDestinations = (s: EventsSettings) => s.webhooks.length > 0 || s.sets?.push !== undefined || s.sets?.pollToken !== undefined;

/** Every outbox destination the settings name, in one list (the fan-out adds a row for each). */
export function destinations(s: EventsSettings): string[] {
  return [
    ...s.webhooks.map((w) => w.destination),
    ...(s.sets?.push ? [s.sets.push.destination] : []),
    ...(s.sets?.pollToken ? [SET_POLL_DESTINATION] : []),
  ];
}

export function readEventsSettings(env: NodeJS.ProcessEnv): EventsSettings {
  const urls = (env.SCIM_WEBHOOK_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const webhooks = urls.map((text) => ({ url: httpUrl('SCIM_WEBHOOK_URL', text), destination: `webhook:${hash(text)}` }));
  const settings: EventsSettings = {
    webhooks,
    maxAttempts: integerSetting(env, 'SCIM_WEBHOOK_MAX_ATTEMPTS', 12, 1, 100),
    timeoutMs: integerSetting(env, 'SCIM_WEBHOOK_TIMEOUT_MS', 5000, 100, 120_000),
    retryMaxMs: integerSetting(env, 'SCIM_WEBHOOK_RETRY_MAX_MS', 3_600_000, 100, 86_400_000),
  };
  if (webhooks.length > 0) settings.webhookSecret = webhookSecret(env);

  const pushText = env.SCIM_SET_PUSH_URL?.trim();
  const pollToken = env.SCIM_SET_POLL_TOKEN?.trim() ? requireSecret(env, 'SCIM_SET_POLL_TOKEN') : undefined;
  if (pushText || pollToken) {
    const signingKey = env.SCIM_SET_SIGNING_KEY?.trim();
    if (!signingKey) {
      throw new ConfigError('SCIM_SET_SIGNING_KEY is not set: security event tokens (SCIM_SET_PUSH_URL or SCIM_SET_POLL_TOKEN) are signed with it.');
    }
    settings.sets = { signingKey };
    if (pushText) {
      const authorization = env.SCIM_SET_PUSH_AUTHORIZATION?.trim();
      settings.sets.push = {
        url: httpUrl('SCIM_SET_PUSH_URL', pushText),
        destination: `set-push:${hash(pushText)}`,
        ...(authorization ? { authorization } : {}),
      };
    }
    if (pollToken) settings.sets.pollToken = pollToken;
    const issuer = env.SCIM_SET_ISSUER?.trim();
    const audience = env.SCIM_SET_AUDIENCE?.trim();
    if (issuer) settings.sets.issuer = issuer;
    if (audience) settings.sets.audience = audience;
  }
  return settings;
}

function httpUrl(variable: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${variable} has a value that is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${variable} must be an http:// or https:// URL, not ${url.protocol}//`);
  }
  return url;
}

/** SCIM_WEBHOOK_SECRET in the Standard Webhooks form: `whsec_` and 24 to 64 random bytes in base64. */
function webhookSecret(env: NodeJS.ProcessEnv): string {
  const value = env.SCIM_WEBHOOK_SECRET?.trim();
  const example = 'whsec_ followed by 32 random bytes in base64, e.g. from `node -e "console.log(\'whsec_\' + crypto.randomBytes(32).toString(\'base64\'))"`';
  if (!value) throw new ConfigError(`SCIM_WEBHOOK_SECRET is not set: webhooks to SCIM_WEBHOOK_URL are signed with it (${example}).`);
  const body = value.startsWith('whsec_') ? value.slice('whsec_'.length) : undefined;
  const bytes = body !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(body) && body.length % 4 === 0 ? Buffer.from(body, 'base64') : undefined;
  if (!bytes || bytes.length < 24 || bytes.length > 64) {
    throw new ConfigError(`SCIM_WEBHOOK_SECRET is not a valid signing secret: expected ${example}.`);
  }
  return value;
}
