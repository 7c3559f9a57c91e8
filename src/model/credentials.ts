// Attributes of the user's own schemas that look like they hold credentials. The OpenID IPSIE
// SCIM profile (§6.1.2) forbids them in custom schemas: provisioning should never carry
// passwords, hashes, keys or MFA seeds. Only a warning, since a name can mislead.

import type { AttributeDef, SchemaModel } from './ir.js';

const CREDENTIAL_NAME = /pass(word|wd|phrase|code)|secret|private_?key|totp|otp_?seed|mfa_?seed|api_?key|access_?token|refresh_?token|ssh_?key/i;

/** "urn:...:attribute.sub" for each such attribute of a schema that is not bundled. */
export function credentialLikeAttributes(model: SchemaModel): string[] {
  const found: string[] = [];
  const visit = (attributes: readonly AttributeDef[], prefix: string) => {
    for (const attr of attributes) {
      const path = `${prefix}${attr.name}`;
      if (CREDENTIAL_NAME.test(attr.name.replace(/[-.]/g, '_'))) found.push(path);
      if (attr.subAttributes) visit(attr.subAttributes, `${path}.`);
    }
  };
  for (const schema of model.schemas) {
    if (model.sources.get(schema.id)?.bundled !== false) continue;
    visit(schema.attributes, `${schema.id}:`);
  }
  return found;
}
