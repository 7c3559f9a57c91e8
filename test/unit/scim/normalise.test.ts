import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import {
  NORMALISERS,
  normalisePatchRequest,
  normaliseResourceBody,
  type NormaliserName,
} from '../../../templates/scim/normalise.js';
import type { ResourceTypeModel } from '../../../templates/scim/registry.js';
import { SCHEMA_URNS } from '../../../templates/scim/schema.js';
import { ENTERPRISE_URN, GROUP_URN, testRegistry, USER_URN } from './fixtures.js';

const registry = testRegistry();
const userModel = registry.byName('User') as ResourceTypeModel;
const groupModel = registry.byName('Group') as ResourceTypeModel;
const LEGACY_GROUP_URN = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

const patch = (...Operations: unknown[]) => ({ schemas: [SCHEMA_URNS.patchOp], Operations });
const allBut = (name: NormaliserName) => ({ enabled: NORMALISERS.map((n) => n.name).filter((n) => n !== name) });

describe('NORMALISERS', () => {
  it('names and documents every normaliser once', () => {
    const names = NORMALISERS.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of NORMALISERS) {
      expect(n.idp).not.toBe('');
      expect(n.absorbs.length).toBeGreaterThan(20);
    }
  });
});

describe('normalisePatchRequest: the envelope', () => {
  it.each([
    ['not an object', [], 'invalidSyntax'],
    ['a string', 'x', 'invalidSyntax'],
    ['no schemas', { Operations: [] }, 'invalidSyntax'],
    ['the wrong schema', { schemas: [USER_URN], Operations: [] }, 'invalidSyntax'],
    ['Operations missing', { schemas: [SCHEMA_URNS.patchOp] }, 'invalidSyntax'],
    ['Operations an object', { schemas: [SCHEMA_URNS.patchOp], Operations: { op: 'add' } }, 'invalidSyntax'],
    ['an operation not an object', patch('add'), 'invalidSyntax'],
    ['op missing', patch({ path: 'nickName', value: 'x' }), 'invalidSyntax'],
    ['op unknown', patch({ op: 'move', path: 'nickName', value: 'x' }), 'invalidSyntax'],
    ['path not a string', patch({ op: 'remove', path: 3 }), 'invalidSyntax'],
    ['add without value', patch({ op: 'add', path: 'nickName' }), 'invalidValue'],
    ['add with null', patch({ op: 'add', path: 'nickName', value: null }), 'invalidValue'],
    ['replace without value', patch({ op: 'replace', path: 'nickName' }), 'invalidValue'],
    ['path-less replace with a string', patch({ op: 'replace', value: 'x' }), 'invalidValue'],
  ])('rejects %s', (_, body, scimType) => {
    const error = scimError(() => normalisePatchRequest(body, userModel));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('names the bad operation in the detail', () => {
    const error = scimError(() =>
      normalisePatchRequest(patch({ op: 'add', path: 'a', value: 1 }, { op: 'copy' }), userModel),
    );
    expect(error.message).toContain('Operations[1]');
    expect(error.message).toContain('copy');
  });

  it('accepts the PatchOp URN and Operations key in any case', () => {
    const body = { SCHEMAS: [SCHEMA_URNS.patchOp.toUpperCase()], operations: [{ OP: 'remove', Path: 'nickName' }] };
    expect(normalisePatchRequest(body, userModel)).toEqual([{ op: 'remove', path: 'nickName' }]);
  });

  it('keeps a value given with remove (Entra removes members that way)', () => {
    const body = patch({ op: 'Remove', path: 'members', value: [{ value: 'u1' }] });
    expect(normalisePatchRequest(body, groupModel)).toEqual([
      { op: 'remove', path: 'members', value: [{ value: 'u1' }] },
    ]);
  });

  it('treats an empty path as no path', () => {
    expect(normalisePatchRequest(patch({ op: 'replace', path: '', value: { active: false } }), userModel)).toEqual([
      { op: 'replace', value: { active: false } },
    ]);
  });
});

describe('normaliser opCase (Entra "Add"/"Replace"/"Remove")', () => {
  it.each([
    ['Add', 'add'],
    ['Replace', 'replace'],
    ['REMOVE', 'remove'],
  ])('%s -> %s', (op, want) => {
    const [operation] = normalisePatchRequest(patch({ op, path: 'nickName', value: 'Babs' }), userModel);
    expect(operation?.op).toBe(want);
  });

  it('when disabled, a capitalised op is a 400', () => {
    const body = patch({ op: 'Add', path: 'nickName', value: 'Babs' });
    expect(scimError(() => normalisePatchRequest(body, userModel, allBut('opCase'))).scimType).toBe('invalidSyntax');
  });
});

describe('normaliser emptyOperations (Entra validator)', () => {
  it('accepts "Operations": [] as a no-op', () => {
    expect(normalisePatchRequest(patch(), userModel)).toEqual([]);
  });

  it('when disabled, an empty list is a 400', () => {
    const error = scimError(() => normalisePatchRequest(patch(), userModel, allBut('emptyOperations')));
    expect(error.scimType).toBe('invalidValue');
  });
});

describe('normaliser booleanStrings (Entra "True"/"False")', () => {
  it.each([
    ['path active "False"', { op: 'Replace', path: 'active', value: 'False' }, false],
    ['path active "true"', { op: 'replace', path: 'active', value: 'true' }, true],
    ['path-less {active: "FALSE"}', { op: 'replace', value: { active: 'FALSE' } }, { active: false }],
    [
      'filtered sub-attribute primary',
      { op: 'replace', path: 'emails[type eq "work"].primary', value: 'True' },
      true,
    ],
    [
      'filtered element',
      { op: 'add', path: 'emails[type eq "work"]', value: { value: 'a@x', primary: 'True' } },
      { value: 'a@x', primary: true },
    ],
    [
      'multi-valued array',
      { op: 'add', path: 'emails', value: [{ value: 'a@x', primary: 'True' }] },
      [{ value: 'a@x', primary: true }],
    ],
    ['a string attribute is left alone', { op: 'replace', path: 'nickName', value: 'True' }, 'True'],
    ['a non-boolean word is left for validation', { op: 'replace', path: 'active', value: 'yes' }, 'yes'],
    ['an unknown path is left for the engine', { op: 'replace', path: 'bogus', value: 'True' }, 'True'],
  ])('%s', (_, operation, want) => {
    const [result] = normalisePatchRequest(patch(operation), userModel);
    expect(result?.value).toEqual(want);
  });

  it('when disabled, "False" stays a string', () => {
    const [result] = normalisePatchRequest(
      patch({ op: 'replace', path: 'active', value: 'False' }),
      userModel,
      allBut('booleanStrings'),
    );
    expect(result?.value).toBe('False');
  });

  it('coerces in POST bodies at any depth, extensions included', () => {
    const body = normaliseResourceBody(
      { schemas: [USER_URN], userName: 'b', active: 'True', emails: [{ value: 'b@x', primary: 'false' }] },
      userModel,
    );
    expect(body).toMatchObject({ active: true, emails: [{ value: 'b@x', primary: false }] });
  });
});

describe('normaliser qualifiedValueKeys (Entra aadOptscim062020)', () => {
  it('turns dotted and URN-qualified keys into nested objects', () => {
    const body = patch({
      op: 'replace',
      value: {
        displayName: 'Babs',
        'name.givenName': 'Barbara',
        'name.familyName': 'Jensen',
        [`${ENTERPRISE_URN}:employeeNumber`]: '701984',
        [`${ENTERPRISE_URN}:manager.value`]: 'boss',
        [`${USER_URN}:nickName`]: 'B',
      },
    });
    expect(normalisePatchRequest(body, userModel)).toEqual([
      {
        op: 'replace',
        value: {
          displayName: 'Babs',
          name: { givenName: 'Barbara', familyName: 'Jensen' },
          [ENTERPRISE_URN]: { employeeNumber: '701984', manager: { value: 'boss' } },
          nickName: 'B',
        },
      },
    ]);
  });

  it('merges with an extension object given under its URN', () => {
    const body = patch({
      op: 'add',
      value: { [ENTERPRISE_URN]: { department: 'Tour' }, [`${ENTERPRISE_URN}:employeeNumber`]: '1' },
    });
    expect(normalisePatchRequest(body, userModel)[0]?.value).toEqual({
      [ENTERPRISE_URN]: { department: 'Tour', employeeNumber: '1' },
    });
  });

  it('leaves a key with an unknown URN for the engine to reject', () => {
    const key = 'urn:example:unknown:1.0:User:thing';
    const body = patch({ op: 'replace', value: { [key]: 'x' } });
    expect(normalisePatchRequest(body, userModel)[0]?.value).toEqual({ [key]: 'x' });
  });

  it('when disabled, keys stay as sent', () => {
    const body = patch({ op: 'replace', value: { 'name.givenName': 'Barbara' } });
    expect(normalisePatchRequest(body, userModel, allBut('qualifiedValueKeys'))[0]?.value).toEqual({
      'name.givenName': 'Barbara',
    });
  });
});

describe('normaliser bareStringComplex (Entra manager id as a string)', () => {
  it('wraps the manager id in PATCH with a URN path', () => {
    const body = patch({ op: 'Add', path: `${ENTERPRISE_URN}:manager`, value: 'boss-id' });
    expect(normalisePatchRequest(body, userModel)[0]?.value).toEqual({ value: 'boss-id' });
  });

  it('wraps it in a POST body', () => {
    const body = normaliseResourceBody(
      { schemas: [USER_URN, ENTERPRISE_URN], userName: 'b', [ENTERPRISE_URN]: { manager: 'boss-id' } },
      userModel,
    );
    expect(body[ENTERPRISE_URN]).toEqual({ manager: { value: 'boss-id' } });
  });

  it('leaves a complex attribute without a value sub-attribute alone', () => {
    const body = patch({ op: 'replace', path: 'name', value: 'Barbara' });
    expect(normalisePatchRequest(body, userModel)[0]?.value).toBe('Barbara');
  });

  it('when disabled, the string stays', () => {
    const body = patch({ op: 'add', path: `${ENTERPRISE_URN}:manager`, value: 'boss-id' });
    expect(normalisePatchRequest(body, userModel, allBut('bareStringComplex'))[0]?.value).toBe('boss-id');
  });
});

describe('normaliser nullReference (Entra {"$ref": null})', () => {
  it('drops the null $ref of members in a POST body', () => {
    const body = normaliseResourceBody(
      { schemas: [GROUP_URN], displayName: 'G', members: [{ $ref: null, value: 'u1' }] },
      groupModel,
    );
    expect(body['members']).toEqual([{ value: 'u1' }]);
  });

  it('drops it in a PATCH member add', () => {
    const body = patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }] });
    expect(normalisePatchRequest(body, groupModel)[0]?.value).toEqual([{ value: 'u1' }]);
  });

  it('keeps a real $ref', () => {
    const body = patch({ op: 'add', path: 'members', value: [{ $ref: 'https://x/Users/u1', value: 'u1' }] });
    expect(normalisePatchRequest(body, groupModel)[0]?.value).toEqual([{ $ref: 'https://x/Users/u1', value: 'u1' }]);
  });

  it('when disabled, the null stays', () => {
    const body = normaliseResourceBody(
      { schemas: [GROUP_URN], members: [{ $ref: null, value: 'u1' }] },
      groupModel,
      allBut('nullReference'),
    );
    expect(body['members']).toEqual([{ $ref: null, value: 'u1' }]);
  });
});

describe('normaliser legacyGroupSchema (Entra ADSCIM group URN)', () => {
  it('drops the legacy URN from schemas', () => {
    const body = normaliseResourceBody(
      { schemas: [GROUP_URN, LEGACY_GROUP_URN], displayName: 'G', members: [] },
      groupModel,
    );
    expect(body['schemas']).toEqual([GROUP_URN]);
  });

  it('when disabled, it stays', () => {
    const body = normaliseResourceBody({ schemas: [GROUP_URN, LEGACY_GROUP_URN] }, groupModel, allBut('legacyGroupSchema'));
    expect(body['schemas']).toEqual([GROUP_URN, LEGACY_GROUP_URN]);
  });
});

describe('normaliseResourceBody', () => {
  it.each([[null], [[]], ['{}'], [42]])('rejects %j as invalidSyntax', (body) => {
    expect(scimError(() => normaliseResourceBody(body, userModel)).scimType).toBe('invalidSyntax');
  });

  it('leaves an RFC body unchanged', () => {
    const body = {
      schemas: [USER_URN],
      userName: 'bjensen',
      active: true,
      name: { givenName: 'Barbara' },
      unknownThing: 'kept for validation to reject',
    };
    expect(normaliseResourceBody(body, userModel)).toEqual(body);
  });

  it('does not modify the caller’s object', () => {
    const body = { schemas: [GROUP_URN, LEGACY_GROUP_URN], displayName: 'G' };
    normaliseResourceBody(body, groupModel);
    expect(body.schemas).toHaveLength(2);
  });
});
