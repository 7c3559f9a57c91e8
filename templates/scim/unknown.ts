// Attributes and schema URNs in a request that no schema of the resource type declares. By
// default they fail the request (400 invalidSyntax, as the SCIM interoperability profile asks),
// with a detail that names them (never a value) and says how to declare them. A project whose
// identity-provider admins map attributes freely can set "unknownAttributes": "ignore"
// instead: then they are dropped (never stored) and the service logs their names.

import { badRequest, type ScimError } from './errors.js';

export type UnknownAttributesPolicy = 'reject' | 'ignore';

const HOW_TO_DECLARE =
  'Declare it in an extension schema (a --schema file, listed in scim.config.json) and regenerate the server, ' +
  'or remove it from the identity provider\'s attribute mappings';

export class Unknowns {
  /** What was dropped under "ignore", by path or URN, in the order met. */
  readonly dropped: string[] = [];

  constructor(
    private readonly policy: UnknownAttributesPolicy,
    private readonly resourceType?: string,
  ) {}

  private get owner(): string {
    return this.resourceType ? `resource type ${this.resourceType}` : 'this resource type';
  }

  /** An attribute path no schema declares: throws under "reject", else records it. */
  attribute(path: string, error: (detail: string) => ScimError = (d) => badRequest('invalidSyntax', d)): void {
    if (this.policy === 'reject') {
      throw error(`Attribute "${path}" is not defined by any schema of ${this.owner}. ${HOW_TO_DECLARE}.`);
    }
    this.dropped.push(path);
  }

  /** A schema URN (in "schemas", or as an extension key) that is not one of the type's. */
  schema(urn: string): void {
    if (this.policy === 'reject') {
      throw badRequest(
        'invalidSyntax',
        `"${urn}" is not a schema of ${this.owner}. ${HOW_TO_DECLARE}.`,
      );
    }
    this.dropped.push(urn);
  }
}
