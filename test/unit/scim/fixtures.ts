// Hand-written User, Group and EnterpriseUser definitions (a trimmed RFC 7643 §4 and §8.7.1),
// shared by the engine's unit tests so they don't depend on the generator's schema loader.
// `attr` is the one AttributeDef builder for every unit test (the emitter tests use it too).

import { buildRegistry, type Registry } from '../../../templates/scim/registry.js';
import type {
  AttributeDef,
  AttributeType,
  ResourceTypeDef,
  SchemaDef,
} from '../../../templates/scim/schema.js';

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An attribute with the RFC 7643 §2.2 defaults, overridden by `rest`. */
export function attr(name: string, type: AttributeType, rest: Partial<AttributeDef> = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...rest,
  };
}

const typedMultiValue = (
  name: string,
  types: readonly string[],
  rest: Partial<AttributeDef> = {},
): AttributeDef =>
  attr(name, 'complex', {
    multiValued: true,
    subAttributes: [
      attr('value', 'string'),
      attr('display', 'string'),
      attr('type', 'string', { canonicalValues: types }),
      attr('primary', 'boolean'),
    ],
    ...rest,
  });

export const userSchema: SchemaDef = {
  id: USER_URN,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    attr('name', 'complex', {
      subAttributes: [
        attr('formatted', 'string'),
        attr('familyName', 'string'),
        attr('givenName', 'string'),
      ],
    }),
    attr('displayName', 'string'),
    attr('nickName', 'string'),
    attr('title', 'string'),
    attr('userType', 'string'),
    attr('active', 'boolean'),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    typedMultiValue('emails', ['work', 'home', 'other']),
    typedMultiValue('phoneNumbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    attr('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', { mutability: 'readOnly' }),
        attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
    }),
  ],
};

export const enterpriseSchema: SchemaDef = {
  id: ENTERPRISE_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string'),
    attr('costCenter', 'string'),
    attr('organization', 'string'),
    attr('division', 'string'),
    attr('department', 'string'),
    attr('manager', 'complex', {
      subAttributes: [
        attr('value', 'string'),
        attr('$ref', 'reference', { referenceTypes: ['User'] }),
        attr('displayName', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const groupSchema: SchemaDef = {
  id: GROUP_URN,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', { required: true }),
    attr('members', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable' }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

export const userType: ResourceTypeDef = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_URN,
  schemaExtensions: [{ schema: ENTERPRISE_URN, required: false }],
};

export const groupType: ResourceTypeDef = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_URN,
  schemaExtensions: [],
};

export function testRegistry(): Registry {
  return buildRegistry([userType, groupType], [userSchema, groupSchema, enterpriseSchema]);
}
