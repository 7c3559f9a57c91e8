// Two versions of a project's schemas, for the schema-change tests: B adds a unique attribute
// that A stored unindexed (badge), a new attribute (tier), makes a unique case-exact attribute
// ignore case (code) and another one case-exact (site), drops an indexed one (legacyId), adds a resource type (Device) and lets
// groups hold devices.

import { buildRegistry, type Registry } from '../../../templates/scim/registry.js';
import type { ResourceTypeDef, SchemaDef } from '../../../templates/scim/schema.js';
import { attr, groupSchema, groupType, userSchema, userType } from '../scim/fixtures.js';

export const ACME_URN = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
export const DEVICE_URN = 'urn:example:params:scim:schemas:core:2.0:Device';

const acmeA: SchemaDef = {
  id: ACME_URN,
  name: 'AcmeUser',
  attributes: [
    attr('badge', 'string'),
    attr('legacyId', 'string', { uniqueness: 'server' }),
    attr('code', 'string', { caseExact: true, uniqueness: 'server' }),
    attr('site', 'string', { uniqueness: 'server' }),
  ],
};

const acmeB: SchemaDef = {
  id: ACME_URN,
  name: 'AcmeUser',
  attributes: [
    attr('badge', 'string', { uniqueness: 'server' }),
    attr('code', 'string', { uniqueness: 'server' }),
    attr('tier', 'string', { uniqueness: 'server' }),
    attr('site', 'string', { caseExact: true, uniqueness: 'server' }),
  ],
};

const deviceSchema: SchemaDef = {
  id: DEVICE_URN,
  name: 'Device',
  attributes: [attr('serialNumber', 'string', { required: true, uniqueness: 'server' }), attr('model', 'string')],
};

const deviceType: ResourceTypeDef = {
  id: 'Device',
  name: 'Device',
  endpoint: '/Devices',
  schema: DEVICE_URN,
  schemaExtensions: [],
};

/** Groups whose members may also be devices. */
const groupSchemaB: SchemaDef = {
  ...groupSchema,
  attributes: groupSchema.attributes.map((a) =>
    a.name !== 'members'
      ? a
      : {
          ...a,
          subAttributes: a.subAttributes!.map((s) =>
            s.name === '$ref'
              ? { ...s, referenceTypes: ['User', 'Group', 'Device'] }
              : s.name === 'type'
                ? { ...s, canonicalValues: ['User', 'Group', 'Device'] }
                : s,
          ),
        },
  ),
};

const userTypeAcme: ResourceTypeDef = { ...userType, schemaExtensions: [{ schema: ACME_URN, required: false }] };

export const registryA = (): Registry => buildRegistry([userTypeAcme, groupType], [userSchema, groupSchema, acmeA]);
export const registryB = (): Registry =>
  buildRegistry([userTypeAcme, groupType, deviceType], [userSchema, groupSchemaB, acmeB, deviceSchema]);
