// Which filters the SQL store narrows through the email-value index: only lookups every
// matching row must satisfy, so adding them never changes a result.

import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../templates/scim/filter/parse.js';
import { storagePlan, tableFor } from '../../../templates/scim/storage.js';
import { elementLookups } from '../../../templates/database-sql/element-lookups.js';
import { registry, User } from './contract.js';

const { elementIndexes } = tableFor(storagePlan(registry), 'User');
const lookups = (filter: string) =>
  elementLookups(parseFilter(filter), User, elementIndexes).map((l) => (l.op === 'eq' ? l.value : `${l.op} ${l.value}`));

describe('elementLookups', () => {
  it.each([
    ['emails.value eq "A@Example.com"', ['a@example.com']],
    ['emails eq "A@Example.com"', ['a@example.com']],
    ['EMAILS.VALUE eq "a@example.com"', ['a@example.com']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:emails.value eq "a@x.org"', ['a@x.org']],
    ['emails[type eq "work" and value eq "A@x.org"]', ['a@x.org']],
    ['emails[type eq "work"].value eq "A@x.org"', ['a@x.org']],
    ['emails.value eq "a@x.org" and emails.value eq "b@x.org"', ['a@x.org', 'b@x.org']],
    ['active eq true and (emails.value eq "a@x.org")', ['a@x.org']],
    // A prefix, for databases whose index keeps values in order (element-tables.ts).
    ['emails.value sw "A@"', ['sw a@']],
    ['emails[type eq "work" and value sw "A@"]', ['sw a@']],
  ])('narrows %s', (filter, want) => {
    expect(lookups(filter)).toEqual(want);
  });

  it.each([
    'emails.value co "a@x.org"',
    'emails.value ne "a@x.org"',
    'emails.type eq "work"',
    'emails.value eq "a@x.org" or userName eq "a"',
    'not (emails.value eq "a@x.org")',
    'emails[type eq "work" or value eq "a@x.org"]',
    'emails[not (value eq "a@x.org")]',
    'userName eq "a@x.org"',
    'emails pr',
    'emails.value sw ""',
    'emails.value ew "@x.org"',
  ])('leaves %s alone', (filter) => {
    expect(lookups(filter)).toEqual([]);
  });
});
