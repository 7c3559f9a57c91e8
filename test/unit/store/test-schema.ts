// The shared test registry plus an extension with one attribute of each type the filter
// compiler treats differently (numbers, dateTime, binary, caseExact strings, multi-valued
// strings), so SQL compilation and the real store are tested against every comparison rule.

import { buildRegistry, type Registry } from '../../../templates/scim/registry.js';
import type { SchemaDef } from '../../../templates/scim/schema.js';
import {
  attr,
  enterpriseSchema,
  groupSchema,
  groupType,
  userSchema,
  userType,
} from '../scim/fixtures.js';

export { ENTERPRISE_URN } from '../scim/fixtures.js';
export const TEST_URN = 'urn:example:params:scim:schemas:extension:test:2.0:User';

export const testExtension: SchemaDef = {
  id: TEST_URN,
  name: 'TestUser',
  attributes: [
    attr('level', 'integer'),
    attr('score', 'decimal'),
    attr('hiredAt', 'dateTime'),
    attr('badge', 'binary'),
    attr('code', 'string', { caseExact: true }),
    attr('tags', 'string', { multiValued: true }),
  ],
};

export function storeTestRegistry(): Registry {
  const user = { ...userType, schemaExtensions: [...userType.schemaExtensions, { schema: TEST_URN, required: false }] };
  return buildRegistry([user, groupType], [userSchema, groupSchema, enterpriseSchema, testExtension]);
}
