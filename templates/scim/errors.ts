// SCIM errors (RFC 7644 §3.12). Every failure the engine can foresee is a ScimError; the HTTP
// adapter renders it as an Error message with Content-Type application/scim+json.

import { SCHEMA_URNS } from './schema.js';

/** The scimType values of RFC 7644 Table 9, plus the ones RFC 9865 adds for cursors. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

export interface ScimErrorBody {
  schemas: [typeof SCHEMA_URNS.error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  readonly status: number;
  readonly scimType?: ScimType;

  constructor(status: number, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }

  toJSON(): ScimErrorBody {
    const body: ScimErrorBody = {
      schemas: [SCHEMA_URNS.error],
      status: String(this.status),
      detail: this.message,
    };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export const badRequest = (scimType: ScimType, detail: string) =>
  new ScimError(400, detail, scimType);
export const notFound = (detail: string) => new ScimError(404, detail);
export const conflict = (detail: string) => new ScimError(409, detail, 'uniqueness');
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
/** The database is busy, locked or failing: the client may retry (IdPs do on 503). */
export const serviceUnavailable = (detail: string) => new ScimError(503, detail);
