// The attribute mapping tables of docs/idp-setup.md, built from the model: one row per attribute
// a resource type has (sub-attributes of single-valued complex attributes get their own rows),
// plus the typed element paths identity providers actually write, such as
// `emails[type eq "work"].value`. What Okta and Entra ID map to a well-known RFC 7643 attribute
// by default is recorded once, here; every other attribute gets the generic instructions.

import type { AttributeDef, ResourceTypeDef, SchemaDef } from '../model/ir.js';
import { COMMON_ATTRIBUTES } from '../../templates/scim/schema.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Where Okta's and Entra ID's values for one SCIM path come from. */
interface Source {
  okta: string;
  entra: string;
}

const NONE = '—';

// Okta: the expression in the app's To App mapping (Okta user profile attribute names).
// Entra ID: the source attribute or expression of the non-gallery app's default mapping.
const KNOWN: Record<string, Record<string, Source>> = {
  [CORE_USER]: {
    userName: {
      okta: 'the app username (**Sign On** tab, **Application username format**; default: the Okta username)',
      entra: '`userPrincipalName` (matching attribute, precedence 1)',
    },
    'name.formatted': { okta: NONE, entra: '`Join(" ", [givenName], [surname])`' },
    'name.familyName': { okta: '`user.lastName`', entra: '`surname`' },
    'name.givenName': { okta: '`user.firstName`', entra: '`givenName`' },
    'name.middleName': { okta: '`user.middleName`', entra: NONE },
    'name.honorificPrefix': { okta: '`user.honorificPrefix`', entra: NONE },
    'name.honorificSuffix': { okta: '`user.honorificSuffix`', entra: NONE },
    displayName: { okta: '`user.displayName`', entra: '`displayName`' },
    nickName: { okta: '`user.nickName`', entra: NONE },
    profileUrl: { okta: '`user.profileUrl`', entra: NONE },
    title: { okta: '`user.title`', entra: '`jobTitle`' },
    userType: { okta: '`user.userType`', entra: NONE },
    preferredLanguage: { okta: '`user.preferredLanguage`', entra: '`preferredLanguage`' },
    locale: { okta: '`user.locale`', entra: NONE },
    timezone: { okta: '`user.timezone`', entra: NONE },
    active: {
      okta: 'not mapped: Okta sets it when a user is assigned, unassigned, deactivated or reactivated',
      entra: '`Switch([IsSoftDeleted], , "False", "True", "True", "False")`',
    },
    password: {
      okta: '**Sync Password** on **To App** (a random password otherwise)',
      entra: 'not provisioned: Entra ID never sends passwords',
    },
    'emails[type eq "work"].value': { okta: '`user.email`', entra: '`mail`' },
    'phoneNumbers[type eq "work"].value': { okta: '`user.primaryPhone`', entra: '`telephoneNumber`' },
    'phoneNumbers[type eq "mobile"].value': { okta: '`user.mobilePhone`', entra: '`mobile`' },
    'phoneNumbers[type eq "fax"].value': { okta: NONE, entra: '`facsimileTelephoneNumber`' },
    'addresses[type eq "work"].streetAddress': { okta: '`user.streetAddress`', entra: '`streetAddress`' },
    'addresses[type eq "work"].locality': { okta: '`user.city`', entra: '`city`' },
    'addresses[type eq "work"].region': { okta: '`user.state`', entra: '`state`' },
    'addresses[type eq "work"].postalCode': { okta: '`user.zipCode`', entra: '`postalCode`' },
    'addresses[type eq "work"].country': { okta: '`user.countryCode`', entra: '`country`' },
    entitlements: {
      okta: 'Okta Identity Governance: assigned on the app\'s **Governance** tab',
      entra: 'not supported by Entra ID',
    },
    roles: {
      okta: 'Okta Identity Governance: assigned on the app\'s **Governance** tab',
      entra: '`SingleAppRoleAssignment([appRoleAssignments])` to `roles[primary eq "True"].value`',
    },
    externalId: { okta: NONE, entra: '`mailNickname`' },
  },
  [ENTERPRISE_USER]: {
    employeeNumber: { okta: '`user.employeeNumber`', entra: '`employeeId`' },
    costCenter: { okta: '`user.costCenter`', entra: NONE },
    organization: { okta: '`user.organization`', entra: NONE },
    division: { okta: '`user.division`', entra: NONE },
    department: { okta: '`user.department`', entra: '`department`' },
    'manager.value': {
      okta: '`user.managerId`',
      entra: '`manager` (target `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`)',
    },
  },
  [CORE_GROUP]: {
    displayName: {
      okta: 'the Okta group\'s name (**Push Groups**)',
      entra: '`displayName` (matching attribute)',
    },
    members: {
      okta: 'the pushed group\'s members who are assigned to the app',
      entra: '`members`',
    },
    externalId: { okta: NONE, entra: '`objectId`' },
  },
};

/** Typed elements of multi-valued attributes that an identity provider maps by default. */
const TYPED_PATHS = /^(\w+)\[type eq "(\w+)"\]\.(\w+)$/;

export interface MappingRow {
  /** The attribute's path as Entra ID's target attribute list spells it. */
  path: string;
  type: string;
  okta: string;
  entra: string;
}

export interface MappingTable {
  schema: string;
  /** Whether the IdP columns are the generic instructions for custom attributes. */
  custom: boolean;
  rows: MappingRow[];
}

/** True for the resource types Okta and Entra ID provision as users and groups. */
export const isUserOrGroup = (rt: ResourceTypeDef) => rt.schema === CORE_USER || rt.schema === CORE_GROUP;

/** One table per schema of the resource type: its core schema (with the common attributes), then each extension. */
export function mappingTables(rt: ResourceTypeDef, schemas: readonly SchemaDef[]): MappingTable[] {
  const byId = new Map(schemas.map((s) => [s.id, s]));
  const tables: MappingTable[] = [];
  const core = byId.get(rt.schema);
  if (core) {
    // id and externalId first, meta last, as resources are usually written.
    const meta = COMMON_ATTRIBUTES.filter((a) => a.name === 'meta');
    const identifiers = COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta');
    tables.push(table(core.id, [...identifiers, ...core.attributes, ...meta], ''));
  }
  for (const ext of rt.schemaExtensions) {
    const schema = byId.get(ext.schema);
    if (schema) tables.push(table(schema.id, schema.attributes, `${schema.id}:`));
  }
  return tables;
}

function table(schema: string, attributes: readonly AttributeDef[], prefix: string): MappingTable {
  const known = KNOWN[schema];
  const rows: MappingRow[] = [];
  for (const attr of attributes) {
    rows.push(...rowsFor(attr, prefix, known));
  }
  return { schema, custom: known === undefined, rows };
}

function rowsFor(attr: AttributeDef, prefix: string, known: Record<string, Source> | undefined): MappingRow[] {
  const path = `${prefix}${attr.name}`;
  if (attr.type === 'complex' && !attr.multiValued) {
    // Identity providers map the leaves; the complex attribute itself is only their container.
    return (attr.subAttributes ?? []).map((sub) => {
      const subPath = `${attr.name}.${sub.name}`;
      return row(`${prefix}${subPath}`, sub, known, subPath);
    });
  }
  const rows = [row(path, attr, known, attr.name)];
  if (attr.multiValued && attr.type === 'complex' && known) {
    // The typed elements Okta and Entra ID write, e.g. emails[type eq "work"].value.
    for (const [typed, source] of Object.entries(known)) {
      const match = TYPED_PATHS.exec(typed);
      if (match?.[1] !== attr.name) continue;
      const sub = attr.subAttributes?.find((s) => s.name === match[3]);
      if (sub) rows.push({ path: `${prefix}${typed}`, type: typeLabel(sub), okta: source.okta, entra: source.entra });
    }
  }
  return rows;
}

function row(
  path: string,
  attr: AttributeDef,
  known: Record<string, Source> | undefined,
  key: string,
): MappingRow {
  const type = typeLabel(attr);
  if (attr.mutability === 'readOnly') return { path, type, okta: 'read-only: set by the server', entra: 'read-only: set by the server' };
  const source = known?.[key];
  if (source) return { path, type, okta: source.okta, entra: source.entra };
  if (known) return { path, type, okta: NONE, entra: NONE };
  return { path, type, okta: oktaCustom(attr, key), entra: entraCustom(attr, key, path) };
}

/** Okta: an app profile attribute (External name + namespace) mapped from an Okta user attribute. */
function oktaCustom(attr: AttributeDef, key: string): string {
  if (attr.multiValued && attr.type === 'complex') return 'not mappable: Okta app attributes are flat values or arrays of them';
  const array = attr.multiValued ? ' (an array attribute)' : '';
  return `external name \`${key}\`${array}; map from e.g. \`user.${key.split('.').pop() ?? key}\``;
}

/** Entra ID: an entry in the app's attribute list, mapped from an Entra ID user attribute. */
function entraCustom(attr: AttributeDef, key: string, path: string): string {
  // A dotted key is a sub-attribute of a complex attribute.
  if (attr.multiValued || attr.type === 'complex' || key.includes('.')) {
    return 'not mappable in a non-gallery app: Entra ID maps only single-valued, simple custom attributes';
  }
  return `add \`${path}\` (${ENTRA_TYPES[attr.type]}) to the attribute list; map from e.g. \`extensionAttribute1\``;
}

const ENTRA_TYPES: Record<AttributeDef['type'], string> = {
  string: 'String',
  boolean: 'Boolean',
  decimal: 'String',
  integer: 'Integer',
  dateTime: 'DateTime',
  reference: 'String',
  binary: 'Binary',
  complex: 'String',
};

function typeLabel(attr: AttributeDef): string {
  const subs = attr.type === 'complex' && attr.multiValued ? ` (${(attr.subAttributes ?? []).map((s) => s.name).join(', ')})` : '';
  const canonical = attr.canonicalValues?.length ? `: ${attr.canonicalValues.map((v) => `\`${v}\``).join(', ')}` : '';
  return `${attr.type}${attr.multiValued ? '[]' : ''}${subs}${canonical}${attr.required ? ', required' : ''}`;
}
