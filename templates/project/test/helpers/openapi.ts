// Checks live responses against openapi.json, so the document and the server cannot drift
// apart unnoticed: every test that calls the validator also tests the documentation.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { FormatsPluginOptions } from 'ajv-formats';

type AddFormats = (ajv: Ajv2020, options?: FormatsPluginOptions) => Ajv2020;
// ajv-formats is CommonJS: depending on module resolution the plugin is the default export or
// its `default` property; at runtime the namespace's `default` is always the plugin.
const addFormats = formats.default as unknown as AddFormats;

/** Throws when `body` is not what the document says `method pathTemplate` answers with `status`. */
export type ResponseValidator = (
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
) => void;

type Json = Record<string, unknown>;

const DOC_ID = 'urn:scim-server:openapi';
const SCIM_JSON = 'application/scim+json';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON Pointer escaping (RFC 6901) of one reference token. */
const token = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows a local "#/a/b" reference; returns the target and its pointer. */
function follow(doc: Json, value: unknown, pointer: string): { value: unknown; pointer: string } {
  if (!isObject(value) || typeof value.$ref !== 'string') return { value, pointer };
  const ref = value.$ref;
  if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, got ${ref}`);
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObject(at) ? at[key] : undefined;
  }
  if (at === undefined) throw new Error(`Unresolvable reference ${ref}`);
  return follow(doc, at, ref.slice(1));
}

/**
 * The path template as written in the document: tolerates a leading base path. A multi-tenant
 * document describes its SCIM paths under `/{tenant}`; the un-prefixed base path serves tenant 1
 * with the same operations, so "/Users" is looked up as "/{tenant}/Users" there.
 */
function findPath(doc: Json, paths: Json, pathTemplate: string): string | undefined {
  const inDocument = (path: string) => [path, `/{tenant}${path}`].find((candidate) => candidate in paths);
  const found = inDocument(pathTemplate);
  if (found !== undefined) return found;
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  for (const server of servers) {
    const url = isObject(server) && typeof server.url === 'string' ? server.url : '';
    const basePath = url.replace(/^[a-z]+:\/\/[^/]*/i, '');
    if (basePath && pathTemplate.startsWith(basePath)) {
      const rest = inDocument(pathTemplate.slice(basePath.length));
      if (rest !== undefined) return rest;
    }
  }
  return undefined;
}

const isEmpty = (body: unknown) => body === undefined || body === null || body === '';

/**
 * Returns a function that validates a response body against the schema `doc` declares for an
 * operation and status. `pathTemplate` is the document's path key, e.g. "/Users/{id}" (a
 * leading base path such as "/scim/v2/Users/{id}" is also accepted).
 */
export function responseValidator(doc: object): ResponseValidator {
  const root = doc as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Registered whole so "#/components/..." references inside its schemas resolve; only the
  // schemas reached from a response are compiled. The document itself is not a JSON Schema.
  ajv.addSchema({ ...root, $id: DOC_ID }, undefined, undefined, false);
  const compiled = new Map<string, ValidateFunction | null>();

  function compile(method: string, pathTemplate: string, status: number): ValidateFunction | null {
    const paths = isObject(root.paths) ? root.paths : {};
    const path = findPath(root, paths, pathTemplate);
    const item = path === undefined ? undefined : paths[path];
    const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (path === undefined || !isObject(operation)) {
      throw new Error(`openapi.json documents no operation ${method.toUpperCase()} ${pathTemplate}`);
    }
    const responses = isObject(operation.responses) ? operation.responses : {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (key === undefined) {
      throw new Error(`openapi.json documents no ${status} response for ${method.toUpperCase()} ${path}`);
    }
    const at = `/paths/${token(path)}/${method.toLowerCase()}/responses/${key}`;
    const response = follow(root, responses[key], at);
    const content = isObject(response.value) ? response.value.content : undefined;
    if (!isObject(content)) return null;
    const media = SCIM_JSON in content ? SCIM_JSON : Object.keys(content)[0];
    if (media === undefined || !isObject(content[media])) return null;
    const pointer = `${response.pointer}/content/${token(media)}/schema`;
    // Pointer tokens are URI-fragment encoded, as "{id}" in a path key is not valid there.
    const fragment = pointer.split('/').map(encodeURIComponent).join('/');
    return ajv.compile({ $ref: `${DOC_ID}#${fragment}` });
  }

  return (method, pathTemplate, status, body) => {
    const cacheKey = `${method.toUpperCase()} ${pathTemplate} ${status}`;
    if (!compiled.has(cacheKey)) compiled.set(cacheKey, compile(method, pathTemplate, status));
    const validate = compiled.get(cacheKey);
    if (!validate) {
      if (!isEmpty(body)) throw new Error(`${cacheKey}: openapi.json documents no body, but one was sent`);
      return;
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .map((e) => `  ${e.instancePath || '(body)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`)
        .join('\n');
      throw new Error(`${cacheKey}: the response does not match openapi.json:\n${errors}`);
    }
  };
}
