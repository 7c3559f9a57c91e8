import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import { normalisePatchRequest, type PatchOperation } from '../../../templates/scim/normalise.js';
import { applyPatch } from '../../../templates/scim/patch.js';
import { Unknowns } from '../../../templates/scim/unknown.js';
import { buildRegistry, type ResourceTypeModel } from '../../../templates/scim/registry.js';
import { SCHEMA_URNS } from '../../../templates/scim/schema.js';
import { attr, ENTERPRISE_URN, GROUP_URN, testRegistry, USER_URN } from './fixtures.js';

const registry = testRegistry();
const userModel = registry.byName('User') as ResourceTypeModel;
const groupModel = registry.byName('Group') as ResourceTypeModel;

const ASSET_URN = 'urn:example:scim:schemas:core:1.0:Asset';
const assetModel = buildRegistry(
  [{ id: 'Asset', name: 'Asset', endpoint: '/Assets', schema: ASSET_URN, schemaExtensions: [] }],
  [
    {
      id: ASSET_URN,
      name: 'Asset',
      attributes: [
        attr('serial', 'string', { mutability: 'immutable' }),
        attr('ports', 'integer'),
        attr('labels', 'complex', { multiValued: true, subAttributes: [attr('text', 'string'), attr('lang', 'string')] }),
      ],
    },
  ],
).byName('Asset') as ResourceTypeModel;

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

const body = (...Operations: unknown[]) => ({ schemas: [SCHEMA_URNS.patchOp], Operations });

/** Normalises the literal request body, as the service does, then applies it. */
function run(model: ResourceTypeModel, current: Record<string, unknown>, ...Operations: unknown[]) {
  const membersAttribute = model === groupModel ? 'members' : undefined;
  return applyPatch(model, current, normalisePatchRequest(body(...Operations), model), { membersAttribute });
}
const patchUser = (current: Record<string, unknown>, ...ops: unknown[]) => run(userModel, current, ...ops).attributes;
const failure = (model: ResourceTypeModel, current: Record<string, unknown>, ...ops: unknown[]) =>
  scimError(() => run(model, current, ...ops));

const bjensen = {
  schemas: [USER_URN],
  userName: 'bjensen@example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs Jensen',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
};
const work = bjensen.emails[0];
const home = bjensen.emails[1];

describe('applyPatch: RFC 7644 §3.5.2.1 add', () => {
  it.each([
    [
      'path-less value with several attributes',
      { op: 'add', value: { emails: [{ value: 'babs@work.org', type: 'other' }], nickName: 'Babs' } },
      { ...bjensen, emails: [work, home, { value: 'babs@work.org', type: 'other' }], nickName: 'Babs' },
    ],
    ['a simple attribute', { op: 'add', path: 'nickName', value: 'Babs' }, { ...bjensen, nickName: 'Babs' }],
    [
      'a value already present is not appended again',
      { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] },
      bjensen,
    ],
    [
      'a single object for a multi-valued attribute is appended',
      { op: 'add', path: 'emails', value: { value: 'x@y.org', type: 'other' } },
      { ...bjensen, emails: [work, home, { value: 'x@y.org', type: 'other' }] },
    ],
    [
      'a present value given again merges its sub-attributes',
      { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', display: 'Home' }] },
      { ...bjensen, emails: [work, { ...home, display: 'Home' }] },
    ],
    [
      'a complex attribute merges sub-attributes',
      { op: 'add', path: 'name', value: { formatted: 'Ms. Barbara Jensen' } },
      { ...bjensen, name: { ...bjensen.name, formatted: 'Ms. Barbara Jensen' } },
    ],
    [
      'a sub-attribute',
      { op: 'add', path: 'name.formatted', value: 'B J' },
      { ...bjensen, name: { ...bjensen.name, formatted: 'B J' } },
    ],
    [
      'a URN-qualified extension attribute (lists the extension in schemas)',
      { op: 'add', path: `${ENTERPRISE_URN}:employeeNumber`, value: '701984' },
      { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { employeeNumber: '701984' } },
    ],
    [
      'a URN-qualified sub-attribute',
      { op: 'add', path: `${ENTERPRISE_URN}:manager.value`, value: 'boss' },
      { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { manager: { value: 'boss' } } },
    ],
    [
      'an unqualified extension attribute',
      { op: 'add', path: 'department', value: 'Tour' },
      { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { department: 'Tour' } },
    ],
    [
      'the extension URN as path with an object value',
      { op: 'add', path: ENTERPRISE_URN, value: { costCenter: '4130' } },
      { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { costCenter: '4130' } },
    ],
    [
      'a path-less extension object',
      { op: 'add', value: { [ENTERPRISE_URN]: { division: 'Theme Park' } } },
      { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { division: 'Theme Park' } },
    ],
    [
      'a filter path with a sub-attribute updates the match',
      { op: 'add', path: 'emails[type eq "home"].display', value: 'Home' },
      { ...bjensen, emails: [work, { ...home, display: 'Home' }] },
    ],
    [
      'a filter path with no match creates the element from the eq terms (Entra validator)',
      { op: 'add', path: 'emails[type eq "other"].value', value: 'o@x.org' },
      { ...bjensen, emails: [work, home, { type: 'other', value: 'o@x.org' }] },
    ],
    [
      'a filter path without sub-attribute and no match creates the element',
      { op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { value: '+1 555' } },
      { ...bjensen, phoneNumbers: [{ type: 'mobile', value: '+1 555' }] },
    ],
  ])('%s', (_, op, want) => {
    expect(patchUser(bjensen, op)).toEqual(want);
  });
});

describe('applyPatch: RFC 7644 §3.5.2.3 replace', () => {
  it.each([
    ['a simple attribute', { op: 'replace', path: 'displayName', value: 'B' }, { ...bjensen, displayName: 'B' }],
    [
      'a multi-valued attribute without filter replaces the whole list',
      { op: 'replace', path: 'emails', value: [{ value: 'new@x.org', type: 'work' }] },
      { ...bjensen, emails: [{ value: 'new@x.org', type: 'work' }] },
    ],
    [
      'a complex attribute named by its path is replaced whole (interoperability profile §6.5.2.1)',
      { op: 'replace', path: 'name', value: { givenName: 'Babs' } },
      { ...bjensen, name: { givenName: 'Babs' } },
    ],
    [
      'a complex attribute in a path-less value keeps sub-attributes not given',
      { op: 'replace', value: { name: { givenName: 'Babs' } } },
      { ...bjensen, name: { givenName: 'Babs', familyName: 'Jensen' } },
    ],
    [
      'a complex attribute: null sub-attributes are cleared',
      { op: 'replace', value: { name: { givenName: null } } },
      { ...bjensen, name: { familyName: 'Jensen' } },
    ],
    [
      'a sub-attribute',
      { op: 'replace', path: 'name.familyName', value: 'Smith' },
      { ...bjensen, name: { givenName: 'Barbara', familyName: 'Smith' } },
    ],
    [
      'a filtered element without sub-attribute is replaced, keeping the filter terms',
      { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'b@home.org' } },
      { ...bjensen, emails: [work, { type: 'home', value: 'b@home.org' }] },
    ],
    [
      'a filtered sub-attribute',
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'bj@work.org' },
      { ...bjensen, emails: [{ ...work, value: 'bj@work.org' }, home] },
    ],
    [
      'a filter with no match creates the element (Entra; RFC says noTarget)',
      { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 555' },
      { ...bjensen, phoneNumbers: [{ type: 'work', value: '+1 555' }] },
    ],
    [
      'an and-filter selects the element matching every term',
      { op: 'replace', path: 'emails[type eq "work" and primary eq true].value', value: 'w@x.org' },
      { ...bjensen, emails: [{ ...work, value: 'w@x.org' }, home] },
    ],
    [
      'null removes the attribute',
      { op: 'replace', path: 'displayName', value: null },
      (({ displayName: _omit, ...rest }) => rest)(bjensen),
    ],
    [
      'path-less replace of a complex attribute merges',
      { op: 'replace', value: { name: { familyName: 'Doe' } } },
      { ...bjensen, name: { givenName: 'Barbara', familyName: 'Doe' } },
    ],
  ])('%s', (_, op, want) => {
    expect(patchUser(bjensen, op)).toEqual(want);
  });

  it('a filter with no eq terms and no match is 400 noTarget', () => {
    const error = failure(userModel, bjensen, { op: 'replace', path: 'emails[value co "nowhere"].type', value: 'work' });
    expect(error.scimType).toBe('noTarget');
  });
});

describe('applyPatch: RFC 7644 §3.5.2.2 remove', () => {
  it.each([
    ['a simple attribute', { op: 'remove', path: 'displayName' }, (({ displayName: _o, ...r }) => r)(bjensen)],
    ['a sub-attribute', { op: 'remove', path: 'name.givenName' }, { ...bjensen, name: { familyName: 'Jensen' } }],
    ['matching elements', { op: 'remove', path: 'emails[type eq "home"]' }, { ...bjensen, emails: [work] }],
    [
      'a sub-attribute of matching elements',
      { op: 'remove', path: 'emails[type eq "work"].primary' },
      { ...bjensen, emails: [{ value: work?.value, type: 'work' }, home] },
    ],
    ['a filter with no match is a no-op (retry-safe)', { op: 'remove', path: 'emails[type eq "other"]' }, bjensen],
    ['an absent attribute is a no-op', { op: 'remove', path: 'nickName' }, bjensen],
    ['a whole multi-valued attribute', { op: 'remove', path: 'emails' }, (({ emails: _o, ...r }) => r)(bjensen)],
    [
      'values of a multi-valued attribute given in value (Entra style)',
      { op: 'Remove', path: 'emails', value: [{ value: 'babs@jensen.org' }] },
      { ...bjensen, emails: [work] },
    ],
    [
      'the last matching element removes the attribute',
      { op: 'remove', path: 'emails[value ew "jensen.org" or type eq "work"]' },
      (({ emails: _o, ...r }) => r)(bjensen),
    ],
  ])('%s', (_, op, want) => {
    expect(patchUser(bjensen, op)).toEqual(want);
  });

  it('without a path is 400 noTarget', () => {
    expect(failure(userModel, bjensen, { op: 'remove' }).scimType).toBe('noTarget');
  });

  it('the extension URN as path drops the extension and its schema URN', () => {
    const current = { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { employeeNumber: '1' } };
    expect(patchUser(current, { op: 'remove', path: ENTERPRISE_URN })).toEqual(bjensen);
  });

  it('removing the last extension attribute drops the extension and its schema URN', () => {
    const current = { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { employeeNumber: '1' } };
    expect(patchUser(current, { op: 'remove', path: `${ENTERPRISE_URN}:employeeNumber` })).toEqual(bjensen);
  });

  it('manager[value eq "id"] on a single-valued complex attribute (Entra)', () => {
    const current = { ...bjensen, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { manager: { value: 'boss' }, department: 'D' } };
    const path = `${ENTERPRISE_URN}:manager[value eq "boss"]`;
    expect(patchUser(current, { op: 'Remove', path })).toEqual({ ...current, [ENTERPRISE_URN]: { department: 'D' } });
    expect(patchUser(current, { op: 'remove', path: `${ENTERPRISE_URN}:manager[value eq "other"]` })).toEqual(current);
  });
});

describe('applyPatch: sub-attribute of a multi-valued attribute without filter', () => {
  it('sets it on every element', () => {
    const got = patchUser(bjensen, { op: 'replace', path: 'emails.display', value: 'Babs' });
    expect(got['emails']).toEqual([{ ...work, display: 'Babs' }, { ...home, display: 'Babs' }]);
  });

  it('creates an element when there is none', () => {
    expect(patchUser(bjensen, { op: 'add', path: 'phoneNumbers.value', value: '+1 555' })['phoneNumbers']).toEqual([
      { value: '+1 555' },
    ]);
  });

  it('removes it from every element', () => {
    expect(patchUser(bjensen, { op: 'remove', path: 'emails.type' })['emails']).toEqual([
      { value: work?.value, primary: true },
      { value: home?.value },
    ]);
  });
});

describe('applyPatch: unassigned results', () => {
  it.each([
    ['an empty extension object', { op: 'add', path: ENTERPRISE_URN, value: {} }],
    ['an empty complex value', { op: 'add', path: `${ENTERPRISE_URN}:manager`, value: {} }],
    ['removing the write-only password', { op: 'remove', path: 'password' }],
  ])('%s leaves the document unchanged', (_, op) => {
    const result = run(userModel, bjensen, op);
    expect(result.attributes).toEqual(bjensen);
    expect(result.changed).toBe(false);
  });
});

describe('applyPatch: primary', () => {
  it.each([
    ['setting primary through a filter', { op: 'replace', path: 'emails[type eq "home"].primary', value: true }],
    ['adding a primary value', { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', primary: true }] }],
  ])('%s unsets it on the others', (_, op) => {
    const emails = patchUser(bjensen, op)['emails'] as Array<Record<string, unknown>>;
    expect(emails.filter((e) => e['primary'] === true).map((e) => e['value'])).toEqual(['babs@jensen.org']);
  });

  it('a new primary element through a filter with no match', () => {
    const emails = patchUser(bjensen, { op: 'add', path: 'emails[type eq "other"]', value: { value: 'o@x', primary: true } })['emails'];
    expect(emails).toEqual([{ value: work?.value, type: 'work' }, home, { type: 'other', value: 'o@x', primary: true }]);
  });

  it('two primaries in one value are 400 invalidValue', () => {
    const value = [{ value: 'a', primary: true }, { value: 'b', primary: true }];
    expect(failure(userModel, bjensen, { op: 'replace', path: 'emails', value }).scimType).toBe('invalidValue');
  });
});

describe('applyPatch: Okta', () => {
  it('deactivates with a path-less replace', () => {
    expect(patchUser(bjensen, { op: 'replace', value: { active: false } })).toEqual({ ...bjensen, active: false });
  });

  it('sets a password: it goes to writeOnly, never into the document', () => {
    const result = run(userModel, bjensen, { op: 'replace', value: { password: 'new-secret' } });
    expect(result.writeOnly).toEqual({ password: 'new-secret' });
    expect(result.attributes).toEqual(bjensen);
    expect(result.changed).toBe(false);
    expect(run(userModel, bjensen, { op: 'replace', path: 'password', value: 'x' }).writeOnly).toEqual({ password: 'x' });
  });
});

describe('applyPatch: Entra ID without aadOptscim062020', () => {
  it('disables a user with "False"', () => {
    expect(patchUser(bjensen, { op: 'Replace', path: 'active', value: 'False' })).toEqual({ ...bjensen, active: false });
  });

  it('adds a single-valued string', () => {
    expect(patchUser(bjensen, { op: 'Add', path: 'nickName', value: 'Babs' })).toEqual({ ...bjensen, nickName: 'Babs' });
  });

  it('replaces several attributes with one op per path', () => {
    const got = patchUser(
      bjensen,
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated@example.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Barb' },
      { op: 'Replace', path: `${ENTERPRISE_URN}:employeeNumber`, value: '42' },
    );
    expect(got).toEqual({
      ...bjensen,
      schemas: [USER_URN, ENTERPRISE_URN],
      emails: [{ ...work, value: 'updated@example.com' }, home],
      name: { givenName: 'Barb', familyName: 'Jensen' },
      [ENTERPRISE_URN]: { employeeNumber: '42' },
    });
  });

  it('sets the manager from a bare id', () => {
    const got = patchUser(bjensen, { op: 'Add', path: `${ENTERPRISE_URN}:manager`, value: 'boss-id' });
    expect(got[ENTERPRISE_URN]).toEqual({ manager: { value: 'boss-id' } });
  });

  it('sets primary from a "True" string', () => {
    const got = patchUser(bjensen, { op: 'Add', path: 'emails[type eq "home"].primary', value: 'True' });
    expect(got['emails']).toEqual([{ value: work?.value, type: 'work' }, { ...home, primary: true }]);
  });
});

describe('applyPatch: Entra ID with aadOptscim062020', () => {
  it('disables a user with a boolean', () => {
    expect(patchUser(bjensen, { op: 'replace', path: 'active', value: false })).toEqual({ ...bjensen, active: false });
  });

  it('applies a filtered op plus a path-less replace with dotted and URN keys', () => {
    const got = patchUser(
      bjensen,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'updated@example.com' },
      {
        op: 'replace',
        value: {
          'name.givenName': 'Barb',
          'name.familyName': 'Jensen-Smith',
          [`${ENTERPRISE_URN}:employeeNumber`]: '42',
          active: false,
        },
      },
    );
    expect(got).toEqual({
      ...bjensen,
      schemas: [USER_URN, ENTERPRISE_URN],
      active: false,
      emails: [{ ...work, value: 'updated@example.com' }, home],
      name: { givenName: 'Barb', familyName: 'Jensen-Smith' },
      [ENTERPRISE_URN]: { employeeNumber: '42' },
    });
  });
});

describe('applyPatch: errors', () => {
  it.each([
    ['an unknown path', { op: 'replace', path: 'shoeSize', value: 1 }, 'invalidSyntax'],
    ['an unknown sub-attribute', { op: 'replace', path: 'name.middle', value: 'J' }, 'invalidSyntax'],
    ['an unknown path-less key', { op: 'replace', value: { shoeSize: 1 } }, 'invalidSyntax'],
    ['an unknown URN key', { op: 'replace', value: { 'urn:x:y:Thing:attr': 1 } }, 'invalidSyntax'],
    ['a filter on a simple attribute', { op: 'remove', path: 'nickName[value eq "x"]' }, 'invalidPath'],
    ['a readOnly path', { op: 'replace', path: 'id', value: 'x' }, 'mutability'],
    ['a readOnly multi-valued path', { op: 'add', path: 'groups', value: [{ value: 'g' }] }, 'mutability'],
    ['a readOnly sub-attribute path', { op: 'replace', path: `${ENTERPRISE_URN}:manager.displayName`, value: 'x' }, 'mutability'],
    ['a wrong type', { op: 'replace', path: 'active', value: 'maybe' }, 'invalidValue'],
    ['a wrong path-less type', { op: 'replace', value: { name: 'Barbara' } }, 'invalidValue'],
    ['a canonical value violation', { op: 'add', path: 'emails[type eq "pager"].value', value: 'x' }, 'invalidValue'],
    ['removing a required attribute', { op: 'remove', path: 'userName' }, 'invalidValue'],
    ['emptying a required attribute', { op: 'replace', value: { userName: '' } }, 'invalidValue'],
    ['a path-less extension key with a non-object', { op: 'add', value: { [ENTERPRISE_URN]: 'x' } }, 'invalidValue'],
  ])('%s -> 400 %s', (_, op, scimType) => {
    const error = failure(userModel, bjensen, op);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('names the offending path in the detail', () => {
    expect(failure(userModel, bjensen, { op: 'replace', path: 'emails[type eq "work"].primary', value: 3 }).message).toContain(
      'emails[type eq "work"].primary',
    );
  });

  it('ignores readOnly keys in a path-less value', () => {
    expect(patchUser(bjensen, { op: 'replace', value: { id: 'x', meta: {}, groups: [], nickName: 'B' } })).toEqual({
      ...bjensen,
      nickName: 'B',
    });
  });

  it('leaves the current document untouched when an operation fails', () => {
    const current = structuredClone(bjensen);
    scimError(() => run(userModel, current, { op: 'replace', path: 'nickName', value: 'B' }, { op: 'remove', path: 'userName' }));
    expect(current).toEqual(bjensen);
  });
});

describe('applyPatch: immutable attributes', () => {
  it('may be set when absent', () => {
    expect(run(assetModel, { schemas: [ASSET_URN] }, { op: 'add', path: 'serial', value: 'S1' }).attributes).toEqual({
      schemas: [ASSET_URN],
      serial: 'S1',
    });
  });

  it.each([
    ['replaced', { op: 'replace', path: 'serial', value: 'S2' }],
    ['replaced path-less', { op: 'replace', value: { serial: 'S2' } }],
    ['removed', { op: 'remove', path: 'serial' }],
  ])('cannot be %s once set (400 mutability)', (_, op) => {
    expect(failure(assetModel, { schemas: [ASSET_URN], serial: 'S1' }, op).scimType).toBe('mutability');
  });

  it('accept the same value again', () => {
    const result = run(assetModel, { schemas: [ASSET_URN], serial: 'S1' }, { op: 'replace', path: 'serial', value: 'S1' });
    expect(result.changed).toBe(false);
  });

  it('compares elements without a value sub-attribute by deep equality', () => {
    const current = { schemas: [ASSET_URN], labels: [{ text: 'a', lang: 'en' }] };
    const got = run(assetModel, current, { op: 'add', path: 'labels', value: [{ text: 'a', lang: 'en' }, { text: 'b' }] });
    expect(got.attributes['labels']).toEqual([{ text: 'a', lang: 'en' }, { text: 'b' }]);
  });
});

describe('applyPatch: changed', () => {
  it.each([
    ['an empty operation list', [], false],
    ['the same value', [{ op: 'replace', path: 'displayName', value: 'Babs Jensen' }], false],
    ['a remove that matches nothing', [{ op: 'remove', path: 'emails[type eq "other"]' }], false],
    ['a new value', [{ op: 'replace', path: 'displayName', value: 'B' }], true],
  ])('%s -> %s', (_, ops, want) => {
    expect(run(userModel, bjensen, ...ops).changed).toBe(want);
  });
});

describe('applyPatch: group members (never read-modify-write)', () => {
  const group = { schemas: [GROUP_URN], displayName: 'Sales' };
  const members = (...ops: unknown[]) => run(groupModel, group, ...ops).members;

  it.each([
    ['Okta add {value, display}', [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'ann@x' }] }], { add: ['u1'] }],
    [
      'Entra add {"$ref": null, value}, several in one op',
      [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { $ref: null, value: 'u2' }] }],
      { add: ['u1', 'u2'] },
    ],
    ['Okta remove members[value eq "id"]', [{ op: 'remove', path: 'members[value eq "u1"]' }], { remove: ['u1'] }],
    ['remove with an or of value filters', [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }], { remove: ['u1', 'u2'] }],
    [
      'Entra remove with a value list removes only those (not all)',
      [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }] }],
      { remove: ['u1'] },
    ],
    ['remove without value removes all', [{ op: 'remove', path: 'members' }], { removeAll: true }],
    [
      'Okta full sync with replace',
      [{ op: 'replace', path: 'members', value: [{ value: 'u1', display: 'a' }, { value: 'u2', display: 'b' }] }],
      { removeAll: true, add: ['u1', 'u2'] },
    ],
    ['Okta push of an empty group: replace []', [{ op: 'replace', path: 'members', value: [] }], { removeAll: true }],
    ['path-less replace with members', [{ op: 'replace', value: { members: [{ value: 'u3' }] } }], { removeAll: true, add: ['u3'] }],
    ['path-less add with members', [{ op: 'add', value: { members: [{ value: 'u3' }] } }], { add: ['u3'] }],
    [
      'added then removed ends removed',
      [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'remove', path: 'members[value eq "u1"]' }],
      { remove: ['u1'] },
    ],
    [
      'removed then added ends added',
      [{ op: 'remove', path: 'members[value eq "u1"]' }, { op: 'add', path: 'members', value: [{ value: 'u1' }] }],
      { add: ['u1'] },
    ],
    [
      'replace after adds starts over',
      [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'replace', path: 'members', value: [{ value: 'u2' }] }],
      { removeAll: true, add: ['u2'] },
    ],
    [
      'removeAll then a remove needs no remove list',
      [{ op: 'remove', path: 'members' }, { op: 'remove', path: 'members[value eq "u9"]' }],
      { removeAll: true },
    ],
  ])('%s', (_, ops, want) => {
    expect(members(...ops)).toEqual(want);
  });

  it('keeps members out of the document', () => {
    const result = run(groupModel, group, { op: 'add', path: 'members', value: [{ value: 'u1' }] });
    expect(result.attributes).toEqual(group);
    expect(result.changed).toBe(false);
  });

  it('Okta rename: path-less replace with the group id, ignored', () => {
    const result = run(groupModel, group, { op: 'replace', value: { id: 'g-1', displayName: 'Sales EMEA' } });
    expect(result.attributes).toEqual({ ...group, displayName: 'Sales EMEA' });
    expect(result.changed).toBe(true);
    expect(result.members).toBeUndefined();
  });

  it('an empty displayName still goes through the required check', () => {
    expect(failure(groupModel, group, { op: 'replace', value: { displayName: '' } }).scimType).toBe('invalidValue');
  });

  it.each([
    ['a filter on another sub-attribute', { op: 'remove', path: 'members[type eq "User"]' }, 'invalidFilter'],
    ['a non-eq value filter', { op: 'remove', path: 'members[value sw "u"]' }, 'invalidFilter'],
    ['an and of value filters', { op: 'remove', path: 'members[value eq "a" and value eq "b"]' }, 'invalidFilter'],
    ['add through a filter', { op: 'add', path: 'members[value eq "u1"]', value: { value: 'u1' } }, 'invalidPath'],
    ['a member sub-attribute', { op: 'remove', path: 'members.value' }, 'mutability'],
    ['changing a member value', { op: 'replace', path: 'members[value eq "u1"].value', value: 'u2' }, 'mutability'],
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['a member as a bare string', { op: 'add', path: 'members', value: ['u1'] }, 'invalidValue'],
  ])('%s -> 400 %s', (_, op, scimType) => {
    expect(failure(groupModel, group, op).scimType).toBe(scimType);
  });

  it('says that only value filters are supported', () => {
    expect(failure(groupModel, group, { op: 'remove', path: 'members[display eq "x"]' }).message).toContain('value');
  });

  it('without membersAttribute, members is an ordinary attribute', () => {
    const ops: PatchOperation[] = [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }];
    const result = applyPatch(groupModel, group, ops, {});
    expect(result.attributes).toEqual({ ...group, members: [{ value: 'u1' }] });
    expect(result.members).toBeUndefined();
  });
});

describe('applyPatch: hostile keys', () => {
  it('rejects a "__proto__" key in a path-less value instead of dropping it', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "nickName": "B"}') as unknown;
    expect(failure(userModel, bjensen, { op: 'replace', value }).scimType).toBe('invalidSyntax');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('PATCH: attributes no schema declares, under "ignore"', () => {
  it('skips an operation on an undeclared path and drops undeclared keys, naming both', () => {
    const unknowns = new Unknowns('ignore', 'User');
    const ops = normalisePatchRequest(
      body({ op: 'replace', path: 'shoeSize', value: 44 }, { op: 'replace', value: { nickName: 'Babs', hatSize: 7 } }),
      userModel,
    );
    const result = applyPatch(userModel, bjensen, ops, { unknowns });
    expect(result.attributes['nickName']).toBe('Babs');
    expect(result.attributes).not.toHaveProperty('shoeSize');
    expect(result.attributes).not.toHaveProperty('hatSize');
    expect(unknowns.dropped).toEqual(['shoeSize', 'hatSize']);
  });
});
