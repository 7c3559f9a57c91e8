import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import { buildRegistry, findAttribute, type ResourceTypeModel } from '../../../templates/scim/registry.js';
import type { AttributeDef, SchemaDef } from '../../../templates/scim/schema.js';
import { Unknowns } from '../../../templates/scim/unknown.js';
import { checkAttributeValue, sameValue, validateResource } from '../../../templates/scim/validate.js';
import { attr, ENTERPRISE_URN, GROUP_URN, testRegistry, USER_URN } from './fixtures.js';

const registry = testRegistry();
const userModel = registry.byName('User') as ResourceTypeModel;
const groupModel = registry.byName('Group') as ResourceTypeModel;

// A resource type exercising every attribute type and characteristic the RFC schemas don't.
const DEVICE_URN = 'urn:example:scim:schemas:core:1.0:Device';
const SECRET_URN = 'urn:example:scim:schemas:extension:secret:1.0:Device';
const deviceSchema: SchemaDef = {
  id: DEVICE_URN,
  name: 'Device',
  attributes: [
    attr('serial', 'string', { mutability: 'immutable', required: true }),
    attr('ports', 'integer'),
    attr('weight', 'decimal'),
    attr('boughtAt', 'dateTime'),
    attr('firmware', 'binary'),
    attr('owner', 'reference', { referenceTypes: ['User'] }),
    attr('state', 'string', { canonicalValues: ['on', 'off'] }),
    attr('tags', 'string', { multiValued: true }),
    attr('lastSeen', 'dateTime', { mutability: 'readOnly' }),
    attr('location', 'complex', {
      subAttributes: [attr('room', 'string', { required: true }), attr('rack', 'integer')],
    }),
  ],
};
const secretSchema: SchemaDef = {
  id: SECRET_URN,
  name: 'Secret',
  attributes: [attr('pin', 'string', { mutability: 'writeOnly', returned: 'never' }), attr('label', 'string', { required: true })],
};
const device = buildRegistry(
  [{ id: 'Device', name: 'Device', endpoint: '/Devices', schema: DEVICE_URN, schemaExtensions: [{ schema: SECRET_URN, required: true }] }],
  [deviceSchema, secretSchema],
).byName('Device') as ResourceTypeModel;

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

const user = (rest: Record<string, unknown>) => ({ schemas: [USER_URN], userName: 'bjensen', ...rest });
const deviceBody = (rest: Record<string, unknown>) => ({
  schemas: [DEVICE_URN, SECRET_URN],
  serial: 'S1',
  [SECRET_URN]: { label: 'L' },
  ...rest,
});

describe('validateResource: schemas', () => {
  it.each([
    ['missing', { userName: 'b' }, 'invalidSyntax'],
    ['not an array', { schemas: USER_URN, userName: 'b' }, 'invalidSyntax'],
    ['empty', { schemas: [], userName: 'b' }, 'invalidSyntax'],
    ['without the core URN', { schemas: [ENTERPRISE_URN], userName: 'b' }, 'invalidValue'],
    ['with a foreign URN', { schemas: [USER_URN, GROUP_URN], userName: 'b' }, 'invalidSyntax'],
    ['with a non-string', { schemas: [USER_URN, 1], userName: 'b' }, 'invalidSyntax'],
  ])('%s -> 400 %s', (_, body, scimType) => {
    const error = scimError(() => validateResource(userModel, body, 'create'));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('matches URNs case-insensitively and stores the canonical ones', () => {
    const { attributes } = validateResource(userModel, { schemas: [USER_URN.toUpperCase()], userName: 'b' }, 'create');
    expect(attributes['schemas']).toEqual([USER_URN]);
  });

  it('lists an extension the body has but schemas lacks (IdPs omit it)', () => {
    const { attributes } = validateResource(userModel, user({ [ENTERPRISE_URN]: { employeeNumber: '7' } }), 'create');
    expect(attributes['schemas']).toEqual([USER_URN, ENTERPRISE_URN]);
    expect(attributes[ENTERPRISE_URN]).toEqual({ employeeNumber: '7' });
  });

  it('rejects an extension key that does not belong to the type', () => {
    const error = scimError(() => validateResource(groupModel, { schemas: [GROUP_URN], displayName: 'G', [ENTERPRISE_URN]: {} }, 'create'));
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.message).toContain(ENTERPRISE_URN);
  });

  it('requires a required extension', () => {
    const error = scimError(() => validateResource(device, { schemas: [DEVICE_URN], serial: 'S' }, 'create'));
    expect(error.scimType).toBe('invalidValue');
    expect(error.message).toContain(SECRET_URN);
  });
});

describe('validateResource: attributes', () => {
  it('rewrites names to canonical case', () => {
    const { attributes } = validateResource(
      userModel,
      { schemas: [USER_URN], USERNAME: 'b', Name: { GivenName: 'B' }, emails: [{ VALUE: 'b@x', Type: 'work' }] },
      'create',
    );
    expect(attributes).toEqual({
      schemas: [USER_URN],
      userName: 'b',
      name: { givenName: 'B' },
      emails: [{ value: 'b@x', type: 'work' }],
    });
  });

  it('ignores readOnly attributes (Okta sends id and groups: [])', () => {
    const { attributes } = validateResource(
      userModel,
      user({ id: 'client-chosen', meta: { resourceType: 'User' }, groups: [{ value: 'g1' }] }),
      'create',
    );
    expect(attributes).toEqual({ schemas: [USER_URN], userName: 'bjensen' });
  });

  it('ignores readOnly sub-attributes', () => {
    const { attributes } = validateResource(
      userModel,
      user({ [ENTERPRISE_URN]: { manager: { value: 'boss', displayName: 'Boss' } } }),
      'create',
    );
    expect(attributes[ENTERPRISE_URN]).toEqual({ manager: { value: 'boss' } });
  });

  it.each([
    ['a top-level attribute', user({ shoeSize: 42 }), 'shoeSize'],
    ['a sub-attribute', user({ name: { middle: 'J' } }), 'name.middle'],
    ['an extension attribute', user({ [ENTERPRISE_URN]: { rank: 1 } }), `${ENTERPRISE_URN}:rank`],
  ])('rejects an unknown %s as invalidSyntax naming it', (_, body, name) => {
    const error = scimError(() => validateResource(userModel, body, 'create'));
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.message).toContain(name);
  });

  it('rejects the same attribute given twice in different case', () => {
    expect(scimError(() => validateResource(userModel, user({ UserName: 'x' }), 'create')).scimType).toBe('invalidSyntax');
  });

  it('treats null as absent', () => {
    const { attributes } = validateResource(userModel, user({ nickName: null, name: { givenName: null } }), 'create');
    expect(attributes).toEqual({ schemas: [USER_URN], userName: 'bjensen' });
  });

  it.each([
    ['ports', 8, true],
    ['ports', 8.5, false],
    ['ports', '8', false],
    ['weight', 1.25, true],
    ['weight', '1.25', false],
    ['boughtAt', '2024-05-01T12:00:00Z', true],
    ['boughtAt', '2024-05-01T12:00:00.123+02:00', true],
    ['boughtAt', '2024-13-45T12:00:00Z', false],
    ['boughtAt', 'May 5 2024', false],
    ['firmware', 'AAEC', true],
    ['firmware', 12, false],
    ['owner', 'https://x/Users/1', true],
    ['owner', { value: 'x' }, false],
    ['state', 'ON', true],
    ['state', 'standby', false],
    ['tags', ['a', 'b'], true],
    ['tags', 'a', false],
    ['tags', [1], false],
    ['location', { room: 'R1', rack: 3 }, true],
    ['location', 'R1', false],
    ['location', { room: 'R1', rack: 'three' }, false],
  ])('%s = %j valid: %s', (name, value, ok) => {
    const run = () => validateResource(device, deviceBody({ [name]: value }), 'create');
    if (ok) expect(run().attributes[name]).toEqual(value);
    else {
      const error = scimError(run);
      expect(error.scimType).toBe('invalidValue');
      expect(error.message).toContain(name);
    }
  });

  it('puts the JSON path of the bad value in the detail', () => {
    const error = scimError(() => validateResource(userModel, user({ emails: [{ value: 'a' }, { value: 'b', primary: 'yes' }] }), 'create'));
    expect(error.message).toContain('emails[1].primary');
  });

  it('stores canonical values as sent', () => {
    const { attributes } = validateResource(userModel, user({ emails: [{ value: 'a@x', type: 'Work' }] }), 'create');
    expect(attributes['emails']).toEqual([{ value: 'a@x', type: 'Work' }]);
  });

  it('wraps a single complex object given for a multi-valued attribute', () => {
    const { attributes } = validateResource(userModel, user({ emails: { value: 'a@x', type: 'work' } }), 'create');
    expect(attributes['emails']).toEqual([{ value: 'a@x', type: 'work' }]);
  });

  it('drops empty multi-valued attributes (Entra sends roles: [])', () => {
    const { attributes } = validateResource(userModel, user({ emails: [] }), 'create');
    expect(attributes).not.toHaveProperty('emails');
  });

  it('rejects two primary values', () => {
    const error = scimError(() =>
      validateResource(userModel, user({ emails: [{ value: 'a', primary: true }, { value: 'b', primary: true }] }), 'create'),
    );
    expect(error.scimType).toBe('invalidValue');
    expect(error.message).toContain('primary');
  });

  it('tolerates two values of the same type (Entra wants them unique; not enforced)', () => {
    const emails = [{ value: 'a', type: 'work' }, { value: 'b', type: 'work' }];
    expect(validateResource(userModel, user({ emails }), 'create').attributes['emails']).toEqual(emails);
  });
});

describe('validateResource: required', () => {
  it.each([
    ['missing', {}],
    ['null', { userName: null }],
    ['empty', { userName: '' }],
  ])('userName %s -> 400 invalidValue', (_, rest) => {
    for (const mode of ['create', 'replace'] as const) {
      const error = scimError(() => validateResource(userModel, { schemas: [USER_URN], ...rest }, mode, {}));
      expect(error.scimType).toBe('invalidValue');
      expect(error.message).toContain('userName');
    }
  });

  it('checks required sub-attributes of values given', () => {
    const error = scimError(() => validateResource(device, deviceBody({ location: { rack: 1 } }), 'create'));
    expect(error.message).toContain('location.room');
  });

  it('checks required attributes of an extension', () => {
    const error = scimError(() => validateResource(device, deviceBody({ [SECRET_URN]: { pin: '1234' } }), 'create'));
    expect(error.message).toContain(`${SECRET_URN}:label`);
  });
});

describe('validateResource: writeOnly', () => {
  it('moves Okta’s placeholder password out of the stored attributes', () => {
    // Okta's create body (minus `locale`, which the trimmed test schema lacks).
    const okta = {
      schemas: [USER_URN],
      userName: 'isaac.brock@example.com',
      name: { givenName: 'Isaac', familyName: 'Brock' },
      emails: [{ primary: true, value: 'isaac.brock@example.com', type: 'work' }],
      displayName: 'Isaac Brock',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    };
    const { attributes, writeOnly } = validateResource(userModel, okta, 'create');
    expect(attributes).not.toHaveProperty('password');
    expect(writeOnly).toEqual({ password: '1mz050nq' });
    expect(attributes).toMatchObject({ externalId: '00ujl29u0le5T6Aj10h7', active: true });
  });

  it('keeps writeOnly extension attributes under their URN', () => {
    const { attributes, writeOnly } = validateResource(device, deviceBody({ [SECRET_URN]: { label: 'L', pin: '1234' } }), 'create');
    expect(writeOnly).toEqual({ [SECRET_URN]: { pin: '1234' } });
    expect(attributes[SECRET_URN]).toEqual({ label: 'L' });
  });
});

describe('validateResource: replace', () => {
  const existing = { schemas: [DEVICE_URN, SECRET_URN], serial: 'S1', ports: 4, lastSeen: '2024-01-01T00:00:00Z', [SECRET_URN]: { label: 'L' } };

  it('removes attributes the body leaves out, keeps readOnly ones', () => {
    const { attributes } = validateResource(device, deviceBody({ weight: 2 }), 'replace', existing);
    expect(attributes).toEqual({
      schemas: [DEVICE_URN, SECRET_URN],
      serial: 'S1',
      weight: 2,
      lastSeen: '2024-01-01T00:00:00Z',
      [SECRET_URN]: { label: 'L' },
    });
  });

  it('ignores a readOnly value sent in the body', () => {
    const { attributes } = validateResource(device, deviceBody({ lastSeen: '2030-01-01T00:00:00Z' }), 'replace', existing);
    expect(attributes['lastSeen']).toBe('2024-01-01T00:00:00Z');
  });

  it('rejects a change to an immutable attribute with 400 mutability', () => {
    const error = scimError(() => validateResource(device, deviceBody({ serial: 'S2' }), 'replace', existing));
    expect(error.scimType).toBe('mutability');
    expect(error.message).toContain('serial');
  });

  it('accepts the same immutable value, and sets it when it was unset', () => {
    expect(validateResource(device, deviceBody({}), 'replace', existing).attributes['serial']).toBe('S1');
    expect(validateResource(device, deviceBody({ serial: 'S9' }), 'replace', { schemas: [DEVICE_URN] }).attributes['serial']).toBe('S9');
  });

  it('keeps an immutable value the body leaves out', () => {
    const body = { schemas: [DEVICE_URN], [SECRET_URN]: { label: 'L' } };
    expect(validateResource(device, body, 'replace', existing).attributes['serial']).toBe('S1');
  });

  it('does not carry readOnly values over on create', () => {
    expect(validateResource(device, deviceBody({}), 'create', existing).attributes).not.toHaveProperty('lastSeen');
  });

  it('Okta deactivation by PUT of the whole user', () => {
    const stored = { schemas: [USER_URN], userName: 'b', active: true, nickName: 'Babs' };
    const { attributes } = validateResource(userModel, { schemas: [USER_URN], id: 'x', userName: 'b', active: false }, 'replace', stored);
    expect(attributes).toEqual({ schemas: [USER_URN], userName: 'b', active: false });
  });
});

describe('validateResource: group members', () => {
  it('returns members as {value, type} (Okta sends display, Entra $ref)', () => {
    const { attributes } = validateResource(
      groupModel,
      { schemas: [GROUP_URN], displayName: 'G', members: [{ value: 'u1', display: 'Ann' }, { value: 'u2', type: 'User', $ref: null }] },
      'create',
    );
    expect(attributes['members']).toEqual([{ value: 'u1' }, { value: 'u2', type: 'User' }]);
  });

  it('keeps an empty member list (Okta creates groups with members: [])', () => {
    const { attributes } = validateResource(groupModel, { schemas: [GROUP_URN], displayName: 'G', members: [] }, 'create');
    expect(attributes['members']).toEqual([]);
  });

  it.each([[['u1']], [[{ display: 'x' }]], [[{ value: 7 }]], [[{ value: '' }]]])('rejects members %j', (members) => {
    const error = scimError(() => validateResource(groupModel, { schemas: [GROUP_URN], displayName: 'G', members }, 'create'));
    expect(error.scimType).toBe('invalidValue');
    expect(error.message).toContain('members[0].value');
  });
});

describe('checkAttributeValue', () => {
  const emails = findAttribute(userModel.core.attributes, 'emails') as AttributeDef;

  it('checks a single element with element = true', () => {
    expect(checkAttributeValue(emails, { VALUE: 'a' }, 'emails', true)).toEqual({ value: 'a' });
    expect(scimError(() => checkAttributeValue(emails, [{ value: 'a' }], 'emails', true)).scimType).toBe('invalidValue');
  });

  it('returns undefined for unassigned values', () => {
    expect(checkAttributeValue(emails, null, 'emails')).toBeUndefined();
    expect(checkAttributeValue(emails, [{ value: null }], 'emails')).toBeUndefined();
  });
});

describe('sameValue', () => {
  it.each([
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [[1, 2], [2, 1], false],
    ['a', 'A', false],
    [null, undefined, false],
  ])('%j vs %j -> %s', (a, b, want) => {
    expect(sameValue(a, b)).toBe(want);
  });
});

describe('attributes no schema declares', () => {
  it('are refused with 400 invalidSyntax naming the attribute (never its value) and how to declare it', () => {
    const error = scimError(() => validateResource(userModel, user({ shoeSize: 'secret-value-42' }), 'create'));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.message).toContain('"shoeSize"');
    expect(error.message).toContain('resource type User');
    expect(error.message).toMatch(/extension schema.*regenerate/);
    expect(error.message).not.toContain('secret-value-42');
  });

  it('refuses an undefined schema URN with invalidSyntax and the same hint', () => {
    const error = scimError(() => validateResource(userModel, { schemas: [USER_URN, 'urn:acme:nope'], userName: 'b' }, 'create'));
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.message).toMatch(/"urn:acme:nope" is not a schema of resource type User\. Declare it/);
  });

  it('under "ignore" are dropped, never stored, and named', () => {
    const unknowns = new Unknowns('ignore', 'User');
    const body = { schemas: [USER_URN, 'urn:acme:nope'], userName: 'b', shoeSize: 44, name: { givenName: 'B', nick: 'x' }, 'urn:acme:other': { a: 1 } };
    const { attributes } = validateResource(userModel, body, 'create', undefined, unknowns);
    expect(attributes).toEqual({ schemas: [USER_URN], userName: 'b', name: { givenName: 'B' } });
    expect(unknowns.dropped).toEqual(['urn:acme:nope', 'urn:acme:other', 'shoeSize', 'name.nick']);
  });
});
