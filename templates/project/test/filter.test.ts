// Filtering (RFC 7644 §3.4.2.2): every operator, logical precedence, value paths, the Entra
// form `emails[type eq "work"].value eq "x"`, case rules from caseExact, and 400 invalidFilter.
// This file's server holds only the four users created below, so expected results are exact.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createUser,
  expectScimError,
  ids,
  sleep,
  URN,
  type Json,
} from './helpers/scim.js';

const { client } = useScimServer();
const tag = randomUUID().slice(0, 8);
const users = {} as Record<'alice' | 'bob' | 'carol' | 'dave', Json>;

beforeAll(async () => {
  // Created one after another, a little apart, so meta.created orders them.
  users.alice = await createUser(client, {
    userName: `alice.${tag}@example.com`,
    name: { givenName: 'Alice', familyName: 'Smith' },
    displayName: 'Alice Smith',
    title: 'Engineer',
    externalId: `ext-Alice-${tag}`,
    emails: [
      { value: `alice.${tag}@example.com`, type: 'work', primary: true },
      { value: `alice.${tag}@home.example.org`, type: 'home' },
    ],
    active: true,
  });
  await sleep(15);
  users.bob = await createUser(client, {
    userName: `bob.${tag}@example.com`,
    name: { givenName: 'Bob', familyName: 'Jones' },
    displayName: 'Bob Jones',
    title: 'Manager',
    externalId: `ext-bob-${tag}`,
    emails: [{ value: `bob.${tag}@example.com`, type: 'work', primary: true }],
    active: false,
  });
  await sleep(15);
  users.carol = await createUser(client, {
    userName: `carol.${tag}@corp.example.net`,
    name: { givenName: 'Carol', familyName: 'Smith' },
    displayName: 'Carol Smith',
    externalId: `ext-carol-${tag}`,
    emails: [{ value: `carol.${tag}@corp.example.net`, type: 'work', primary: true }],
    active: true,
  });
  await sleep(15);
  users.dave = await createUser(client, {
    userName: `dave.${tag}@example.com`,
    name: { givenName: 'Dave', familyName: 'Brown' },
    displayName: 'Dave "The Rock" Brown',
    title: 'engineer',
    externalId: undefined,
    emails: [{ value: `dave.${tag}@home.example.org`, type: 'home' }],
    active: true,
  });
});

type Who = keyof typeof users;

/** Runs the filter and returns who matched, sorted by name. */
async function matching(filter: string): Promise<Who[]> {
  const res = await client.get('/Users', { query: { filter } });
  expect(res.status, `${filter}: ${res.text}`).toBe(200);
  expect(res.body.totalResults).toBe(res.body.Resources?.length ?? 0);
  const found = ids(res);
  return (Object.keys(users) as Who[]).filter((who) => found.includes(users[who].id)).sort();
}

describe('comparison operators', () => {
  const cases: Array<{ filter: string; want: Who[] }> = [
    { filter: `userName eq "alice.${tag}@example.com"`, want: ['alice'] },
    { filter: `userName ne "alice.${tag}@example.com"`, want: ['bob', 'carol', 'dave'] },
    { filter: 'name.familyName co "mit"', want: ['alice', 'carol'] },
    { filter: 'userName sw "carol."', want: ['carol'] },
    { filter: 'userName ew "@corp.example.net"', want: ['carol'] },
    { filter: 'title pr', want: ['alice', 'bob', 'dave'] },
    { filter: 'externalId pr', want: ['alice', 'bob', 'carol'] },
    { filter: 'userName gt "c"', want: ['carol', 'dave'] },
    { filter: `userName ge "carol.${tag}@corp.example.net"`, want: ['carol', 'dave'] },
    { filter: 'userName lt "b"', want: ['alice'] },
    { filter: `userName le "bob.${tag}@example.com"`, want: ['alice', 'bob'] },
    { filter: 'active eq false', want: ['bob'] },
    { filter: 'active eq true', want: ['alice', 'carol', 'dave'] },
    { filter: 'active ne true', want: ['bob'] },
  ];

  it.each(cases)('$filter', async ({ filter, want }) => {
    expect(await matching(filter)).toEqual(want);
  });

  it('compares dateTime attributes chronologically (gt, ge, lt, le)', async () => {
    const bobCreated = users.bob.meta.created as string;
    expect(await matching(`meta.created gt "${bobCreated}"`)).toEqual(['carol', 'dave']);
    expect(await matching(`meta.created ge "${bobCreated}"`)).toEqual(['bob', 'carol', 'dave']);
    expect(await matching(`meta.created lt "${bobCreated}"`)).toEqual(['alice']);
    expect(await matching(`meta.lastModified le "${users.bob.meta.lastModified}"`)).toEqual(['alice', 'bob']);
  });

  it('compares dateTime values written with another UTC offset by instant', async () => {
    const bobCreated = Date.parse(users.bob.meta.created);
    // The same instant as Bob's creation, written in +02:00.
    const plusTwo = new Date(bobCreated + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await matching(`meta.created eq "${plusTwo}"`)).toEqual(['bob']);
    expect(await matching(`meta.created gt "${plusTwo}"`)).toEqual(['carol', 'dave']);
  });

  it('treats % and _ in co/sw/ew values as plain characters, not wildcards', async () => {
    expect(await matching('userName co "%"')).toEqual([]);
    expect(await matching('userName co "_"')).toEqual([]);
    expect(await matching('userName sw "%"')).toEqual([]);
    expect(await matching('userName ew "_"')).toEqual([]);
  });

  it('matches a value containing escaped quotes', async () => {
    expect(await matching('displayName eq "Dave \\"The Rock\\" Brown"')).toEqual(['dave']);
  });
});

describe('logical operators', () => {
  it.each([
    { filter: 'name.familyName eq "Smith" and active eq true', want: ['alice', 'carol'] },
    { filter: 'name.givenName eq "Bob" or name.givenName eq "Dave"', want: ['bob', 'dave'] },
    { filter: 'not (userName sw "alice")', want: ['bob', 'carol', 'dave'] },
    { filter: 'not (title pr)', want: ['carol'] },
    // "and" binds tighter than "or": Bob or (Smith and active).
    {
      filter: 'name.givenName eq "Bob" or name.familyName eq "Smith" and active eq true',
      want: ['alice', 'bob', 'carol'],
    },
    // Parentheses override it: (Bob or Smith) and active.
    {
      filter: '(name.givenName eq "Bob" or name.familyName eq "Smith") and active eq true',
      want: ['alice', 'carol'],
    },
    { filter: 'title pr and not (active eq false or name.givenName eq "Dave")', want: ['alice'] },
    // A missing attribute makes "eq" false, so "not" is true (no SQL NULL leaking through).
    { filter: 'not (title eq "Engineer")', want: ['bob', 'carol'] },
  ] as Array<{ filter: string; want: Who[] }>)('$filter', async ({ filter, want }) => {
    expect(await matching(filter)).toEqual(want);
  });
});

describe('multi-valued attributes and value paths', () => {
  it.each([
    { filter: 'emails[type eq "home"]', want: ['alice', 'dave'] },
    { filter: 'emails[type eq "work" and value co "@corp."]', want: ['carol'] },
    // Both conditions must hold for the same element: Alice's home email is not her work email.
    { filter: 'emails[type eq "work" and value co "@home."]', want: [] },
    { filter: 'emails.value ew "@home.example.org"', want: ['alice', 'dave'] },
    { filter: 'emails.type eq "work" and not (emails.type eq "home")', want: ['bob', 'carol'] },
    { filter: 'emails[type eq "home" or value ew "@corp.example.net"]', want: ['alice', 'carol', 'dave'] },
    { filter: 'not (emails[type eq "home"])', want: ['bob', 'carol'] },
  ] as Array<{ filter: string; want: Who[] }>)('$filter', async ({ filter, want }) => {
    expect(await matching(filter)).toEqual(want);
  });

  it('supports the Entra form emails[type eq "work"].value eq "..."', async () => {
    expect(await matching(`emails[type eq "work"].value eq "bob.${tag}@example.com"`)).toEqual(['bob']);
    // Alice's home address is not a work email.
    expect(await matching(`emails[type eq "work"].value eq "alice.${tag}@home.example.org"`)).toEqual([]);
  });
});

describe('names and case', () => {
  it('accepts attribute names and operators in any case', async () => {
    expect(await matching(`USERNAME EQ "alice.${tag}@example.com"`)).toEqual(['alice']);
    expect(await matching('Name.FamilyName Eq "Smith" AND Active eq TRUE')).toEqual(['alice', 'carol']);
    expect(await matching('EMAILS[TYPE eq "home"]')).toEqual(['alice', 'dave']);
    expect(await matching('NOT (Title PR)')).toEqual(['carol']);
  });

  it('accepts the core schema URN as an attribute prefix', async () => {
    expect(await matching(`${URN.user}:userName eq "bob.${tag}@example.com"`)).toEqual(['bob']);
    expect(await matching(`${URN.user}:name.givenName eq "Carol"`)).toEqual(['carol']);
  });

  it('matches caseExact=false attributes case-insensitively (userName, title, email value)', async () => {
    expect(await matching(`userName eq "ALICE.${tag.toUpperCase()}@EXAMPLE.COM"`)).toEqual(['alice']);
    expect(await matching('userName sw "CAROL."')).toEqual(['carol']);
    expect(await matching('title eq "ENGINEER"')).toEqual(['alice', 'dave']);
    expect(await matching(`emails.value eq "BOB.${tag.toUpperCase()}@EXAMPLE.COM"`)).toEqual(['bob']);
  });

  it('orders caseExact=false strings case-insensitively', async () => {
    expect(await matching('userName gt "C"')).toEqual(['carol', 'dave']);
  });

  it('matches caseExact=true attributes exactly (externalId, id)', async () => {
    expect(await matching(`externalId eq "ext-Alice-${tag}"`)).toEqual(['alice']);
    expect(await matching(`externalId eq "ext-alice-${tag}"`)).toEqual([]);
    expect(await matching(`id eq "${users.carol.id}"`)).toEqual(['carol']);
    expect(await matching(`id eq "${String(users.carol.id).toUpperCase()}"`)).toEqual([]);
  });
});

describe('invalid filters -> 400 invalidFilter', () => {
  it.each([
    'userName eq',
    'userName equals "x"',
    'userName eq "unterminated',
    '(userName eq "x"',
    'userName eq "x")',
    'userName eq "x" and',
    'emails[type eq "work"',
    'emails[type eq "work"]]',
    'title pr "x"',
    'and userName eq "x"',
    'noSuchAttribute eq "x"',
    'name.noSuchPart eq "x"',
    'urn:example:unknown:Schema:thing eq "x"',
    'active gt true',
    'meta.created gt "not a date"',
  ])('%s', async (filter) => {
    expectScimError(await client.get('/Users', { query: { filter } }), 400, 'invalidFilter');
  });
});

describe('POST /Users/.search uses the same filters', () => {
  it('filters, and answers a ListResponse', async () => {
    const res = await client.post('/Users/.search', {
      schemas: [URN.searchRequest],
      filter: 'name.familyName eq "smith"',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(ids(res).sort()).toEqual([users.alice.id, users.carol.id].sort());
  });

  it('refuses an invalid filter with 400 invalidFilter', async () => {
    const res = await client.post('/Users/.search', { schemas: [URN.searchRequest], filter: 'userName eq' });
    expectScimError(res, 400, 'invalidFilter');
  });
});
