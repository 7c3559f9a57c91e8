import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import { matchesElement, matchesFilter } from '../../../templates/scim/filter/evaluate.js';
import { parseFilter } from '../../../templates/scim/filter/parse.js';
import { buildRegistry, findAttribute, type ResourceTypeModel } from '../../../templates/scim/registry.js';
import type { AttributeDef } from '../../../templates/scim/schema.js';
import { attr, ENTERPRISE_URN, groupSchema, testRegistry, USER_URN } from './fixtures.js';

const registry = testRegistry();
const userModel = registry.byName('User') as ResourceTypeModel;

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

const barbara = {
  schemas: [USER_URN, ENTERPRISE_URN],
  id: 'b',
  externalId: 'bjensen-ext',
  userName: 'bjensen@example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ms. Barbara J Jensen' },
  displayName: 'Babs Jensen',
  nickName: '',
  title: 'Tour Guide',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff590"',
  },
  [ENTERPRISE_URN]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: 'mgr-1', displayName: 'John Smith' },
  },
};

// Little data, written with unusual key case to check lenient reading.
const minimal = {
  schemas: [USER_URN],
  id: 'm',
  UserName: 'Min',
  name: {},
  active: false,
  emails: [],
  phoneNumbers: null,
  meta: { created: '2012-01-01T00:00:00+02:00' },
  [ENTERPRISE_URN.toLowerCase()]: { EmployeeNumber: '42' },
};

const users = [barbara, minimal];
const matching = (filter: string, model = userModel, resources: Array<Record<string, unknown>> = users) =>
  resources.filter((r) => matchesFilter(parseFilter(filter), r, model)).map((r) => r.id);

describe('matchesFilter on Users', () => {
  const cases: Array<{ filter: string; want: string[] }> = [
    // case rules: userName is caseExact false, id and externalId are caseExact true
    { filter: 'userName eq "BJENSEN@example.COM"', want: ['b'] },
    { filter: 'USERNAME eq "min"', want: ['m'] },
    { filter: 'externalId eq "bjensen-ext"', want: ['b'] },
    { filter: 'externalId eq "BJENSEN-EXT"', want: [] },
    { filter: 'id eq "B"', want: [] },
    { filter: 'meta.version eq "w/\\"3694e05e9dff590\\""', want: [] },
    { filter: 'meta.version eq "W/\\"3694e05e9dff590\\""', want: ['b'] },
    // string operators
    { filter: 'userName co "JENSEN"', want: ['b'] },
    { filter: 'userName sw "bj"', want: ['b'] },
    { filter: 'userName ew ".COM"', want: ['b'] },
    { filter: 'userName ne "min"', want: ['b'] },
    { filter: 'userName gt "c"', want: ['m'] },
    { filter: 'userName le "bjensen@example.com"', want: ['b'] },
    { filter: 'name.familyName eq "jensen"', want: ['b'] },
    { filter: 'NAME.GIVENNAME sw "bar"', want: ['b'] },
    // missing values match no comparison, not even ne (as in SQL); `not (eq)` matches them
    { filter: 'title eq "Tour Guide"', want: ['b'] },
    { filter: 'title ne "Tour Guide"', want: [] },
    { filter: 'title ne "Boss"', want: ['b'] },
    { filter: 'not (title eq "Tour Guide")', want: ['m'] },
    { filter: 'title co "o"', want: ['b'] },
    // pr: missing, null, "", [] and {} are absent
    { filter: 'title pr', want: ['b'] },
    { filter: 'nickName pr', want: [] },
    { filter: 'name pr', want: ['b'] },
    { filter: 'emails pr', want: ['b'] },
    { filter: 'phoneNumbers pr', want: [] },
    { filter: 'name.givenName pr', want: ['b'] },
    { filter: 'emails.value pr', want: ['b'] },
    { filter: 'not (title pr)', want: ['m'] },
    // null literal: eq null == not pr, ne null == pr
    { filter: 'title eq null', want: ['m'] },
    { filter: 'title ne null', want: ['b'] },
    { filter: 'nickName eq null', want: ['b', 'm'] },
    // booleans
    { filter: 'active eq true', want: ['b'] },
    { filter: 'active eq FALSE', want: ['m'] },
    { filter: 'active ne true', want: ['m'] },
    // dateTime compared as instants, whatever the offset
    { filter: 'meta.created gt "2011-01-01T00:00:00Z"', want: ['m'] },
    { filter: 'meta.created eq "2010-01-23T05:56:22+01:00"', want: ['b'] },
    { filter: 'meta.created lt "2011-12-31T22:00:00.001Z"', want: ['b', 'm'] },
    { filter: 'meta.created le "2011-12-31T22:00:00Z"', want: ['b', 'm'] },
    { filter: 'meta.created ge "2011-12-31T22:00:00.001Z"', want: [] },
    { filter: 'meta.lastModified gt "2000-01-01T00:00:00Z"', want: ['b'] },
    { filter: 'meta.created sw "2010-"', want: ['b'] },
    // multi-valued: any element matches; no sub-attribute means `value`
    { filter: 'emails co "jensen.org"', want: ['b'] },
    { filter: 'emails eq "BABS@jensen.org"', want: ['b'] },
    { filter: 'emails.type eq "home"', want: ['b'] },
    { filter: 'emails.type ne "work"', want: ['b'] },
    { filter: 'emails.primary eq true', want: ['b'] },
    // value paths: the conditions must hold for the same element
    { filter: 'emails[type eq "work" and value co "example.com"]', want: ['b'] },
    { filter: 'emails[type eq "home" and value co "example.com"]', want: [] },
    { filter: 'emails[type eq "work"].value eq "bjensen@example.com"', want: ['b'] },
    { filter: 'emails[type eq "home"].value eq "bjensen@example.com"', want: [] },
    { filter: 'emails[type eq "work"].value pr', want: ['b'] },
    { filter: 'emails[not (type eq "work")]', want: ['b'] },
    { filter: `${ENTERPRISE_URN}:manager[value eq "MGR-1"]`, want: ['b'] },
    // extension attributes, qualified or not, and case-insensitive document keys
    { filter: `${ENTERPRISE_URN}:employeeNumber eq "701984"`, want: ['b'] },
    { filter: 'employeeNumber eq "42"', want: ['m'] },
    { filter: `${ENTERPRISE_URN.toUpperCase()}:EMPLOYEENUMBER pr`, want: ['b', 'm'] },
    { filter: `${ENTERPRISE_URN}:manager.value eq "mgr-1"`, want: ['b'] },
    { filter: 'manager.displayName co "smith"', want: ['b'] },
    { filter: 'department sw "tour"', want: ['b'] },
    { filter: `urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "Jensen"`, want: ['b'] },
    // logic
    { filter: 'userName eq "min" or title pr', want: ['b', 'm'] },
    { filter: 'active eq true and title pr', want: ['b'] },
    { filter: 'not (active eq true) and not (title pr)', want: ['m'] },
    { filter: 'not (userName eq "min" or active eq true)', want: [] },
  ];

  it.each(cases)('$filter -> $want', ({ filter, want }) => {
    expect(matching(filter)).toEqual(want);
  });

  const errors: Array<{ filter: string; detail: RegExp }> = [
    { filter: 'nosuch eq "x"', detail: /unknown attribute "nosuch"/ },
    { filter: 'name.middle eq "x"', detail: /unknown attribute "name\.middle"/ },
    { filter: 'urn:example:Other:userName eq "x"', detail: /unknown attribute "urn:example:Other:userName"/ },
    { filter: 'active gt true', detail: /boolean/ },
    { filter: 'active co "t"', detail: /boolean/ },
    { filter: 'active gt true', detail: /only eq and ne apply/ },
    { filter: 'active eq "True"', detail: /compare it with true or false/ },
    { filter: 'active eq 1', detail: /compare it with true or false/ },
    { filter: 'userName eq 42', detail: /compare it with a "quoted string"/ },
    { filter: 'meta.created eq 2010', detail: /date-time string/ },
    { filter: 'name eq "Barbara"', detail: /"name" is complex/ },
    { filter: 'manager gt "a"', detail: /"manager" is complex/ },
    { filter: 'meta.created gt "yesterday"', detail: /date-time/ },
    { filter: 'userName gt null', detail: /not meaningful/ },
    { filter: 'userName[value eq "x"]', detail: /needs a complex attribute/ },
    { filter: 'emails[nosuch eq "x"]', detail: /unknown sub-attribute "nosuch" of "emails"/ },
    { filter: 'emails[value.x eq "x"]', detail: /must name a sub-attribute/ },
    { filter: 'emails[type eq "work"].primary gt true', detail: /boolean/ },
    { filter: 'userName eq "nobody" and nosuch pr', detail: /unknown attribute "nosuch"/ },
    { filter: 'userName pr or active gt false', detail: /boolean/ },
  ];

  it.each(errors)('rejects $filter with 400 invalidFilter', ({ filter, detail }) => {
    // Errors must not depend on the data: the minimal user lacks most attributes.
    for (const resource of users) {
      const error = scimError(() => matchesFilter(parseFilter(filter), resource, userModel));
      expect(error.status).toBe(400);
      expect(error.scimType).toBe('invalidFilter');
      expect(error.message).toMatch(detail);
    }
  });
});

describe('matchesFilter on Groups', () => {
  const groupModel = registry.byName('Group') as ResourceTypeModel;
  const groups = [
    { id: 'g1', displayName: 'Admins', members: [{ value: 'u1', type: 'User' }, { value: 'u2', type: 'User' }] },
    { id: 'g2', displayName: 'admins-eu', members: [] },
  ];
  it.each([
    { filter: 'displayName eq "ADMINS"', want: ['g1'] },
    { filter: 'members[value eq "u2"]', want: ['g1'] },
    { filter: 'members.value eq "u3"', want: [] },
    { filter: 'members eq "u1"', want: ['g1'] },
    { filter: 'not (members pr)', want: ['g2'] },
  ])('$filter -> $want', ({ filter, want }) => {
    expect(matching(filter, groupModel, groups)).toEqual(want);
  });
});

describe('matchesFilter on numbers, binaries and simple multi-valued attributes', () => {
  const deviceUrn = 'urn:example:schemas:Device';
  const devices = buildRegistry(
    [{ id: 'Device', name: 'Device', endpoint: '/Devices', schema: deviceUrn, schemaExtensions: [] }],
    [
      {
        id: deviceUrn,
        name: 'Device',
        attributes: [
          attr('serial', 'integer'),
          attr('weight', 'decimal'),
          attr('certificate', 'binary', { caseExact: true }),
          attr('tags', 'string', { multiValued: true }),
          attr('scores', 'integer', { multiValued: true }),
        ],
      },
    ],
  );
  const model = devices.byName('Device') as ResourceTypeModel;
  const data = [
    { id: 'd1', serial: 7, weight: 1.5, certificate: 'QUJD', tags: ['Blue', 'Large'], scores: [3, 9] },
    { id: 'd2', serial: 12, weight: 0.25, tags: [], scores: [] },
  ];
  it.each([
    { filter: 'serial eq 7', want: ['d1'] },
    { filter: 'serial gt 7', want: ['d2'] },
    { filter: 'serial ge 7', want: ['d1', 'd2'] },
    { filter: 'serial lt 1e1', want: ['d1'] },
    { filter: 'weight le 0.25', want: ['d2'] },
    { filter: 'weight eq 1.50', want: ['d1'] },
    { filter: 'scores gt 8', want: ['d1'] },
    { filter: 'tags eq "blue"', want: ['d1'] },
    { filter: 'tags pr', want: ['d1'] },
    { filter: 'certificate eq "QUJD"', want: ['d1'] },
    { filter: 'certificate eq "qujd"', want: [] },
  ])('$filter -> $want', ({ filter, want }) => {
    expect(matching(filter, model, data)).toEqual(want);
  });

  it.each([
    { filter: 'serial co 7', detail: /co, sw and ew apply to strings/ },
    { filter: 'serial eq "12"', detail: /compare it with a number/ },
    { filter: 'serial eq 1.5', detail: /compare it with an integer/ },
    { filter: 'certificate gt "A"', detail: /binary/ },
    { filter: 'tags[value eq "Blue"]', detail: /needs a complex attribute/ },
  ])('rejects $filter', ({ filter, detail }) => {
    const error = scimError(() => matching(filter, model, data));
    expect(error.scimType).toBe('invalidFilter');
    expect(error.message).toMatch(detail);
  });
});

describe('matchesElement', () => {
  const emails = findAttribute(registry.byName('User')?.core.attributes, 'emails') as AttributeDef;
  const members = findAttribute(groupSchema.attributes, 'members') as AttributeDef;
  const work = { value: 'Bjensen@Example.com', type: 'work', primary: true };

  it.each([
    { filter: 'type eq "WORK"', element: work, want: true },
    { filter: 'type eq "home"', element: work, want: false },
    { filter: 'value ew "example.com" and primary eq true', element: work, want: true },
    { filter: 'display pr', element: work, want: false },
    { filter: 'not (display pr)', element: work, want: true },
    { filter: 'TYPE eq "work"', element: { Type: 'work' }, want: true },
    { filter: 'type eq "work"', element: 'not an object', want: false },
  ])('emails element: $filter -> $want', ({ filter, element, want }) => {
    expect(matchesElement(parseFilter(filter), element, emails.subAttributes ?? [], emails)).toBe(want);
  });

  it('matches group members by value, case-sensitively when caseExact', () => {
    const exact = members.subAttributes?.map((s) => (s.name === 'value' ? { ...s, caseExact: true } : s)) ?? [];
    const filter = parseFilter('value eq "2819c223"');
    expect(matchesElement(filter, { value: '2819c223' }, exact, members)).toBe(true);
    expect(matchesElement(filter, { value: '2819C223' }, exact, members)).toBe(false);
  });

  it('treats the element itself as the value of a simple multi-valued attribute', () => {
    const tags = attr('tags', 'string', { multiValued: true, caseExact: true });
    expect(matchesElement(parseFilter('value eq "Blue"'), 'Blue', [], tags)).toBe(true);
    expect(matchesElement(parseFilter('value eq "blue"'), 'Blue', [], tags)).toBe(false);
    expect(matchesElement(parseFilter('value eq "blue"'), 'Blue', [])).toBe(true);
    expect(() => matchesElement(parseFilter('type eq "x"'), 'Blue', [], tags)).toThrow(/only have "value"/);
  });

  it.each([
    { filter: 'nosuch eq "x"', detail: /unknown sub-attribute "nosuch" of "emails"/ },
    { filter: 'type.value eq "x"', detail: /must name a sub-attribute/ },
    { filter: `${USER_URN}:type eq "x"`, detail: /must name a sub-attribute/ },
    { filter: 'emails[type eq "work"]', detail: /cannot be nested/ },
    { filter: 'primary co "t"', detail: /boolean/ },
  ])('rejects $filter', ({ filter, detail }) => {
    const error = scimError(() => matchesElement(parseFilter(filter), work, emails.subAttributes ?? [], emails));
    expect(error.scimType).toBe('invalidFilter');
    expect(error.message).toMatch(detail);
  });
});
