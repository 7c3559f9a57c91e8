// Reads list/search parameters from a query string (GET) or a SearchRequest body
// (POST /.search, RFC 7644 §3.4.3) into one shape, applying RFC 7644 §3.4.2.4 paging rules.

import { badRequest } from './errors.js';
import type { AttrPath, Filter } from './filter/ast.js';
import { parseAttrPath, parseFilter } from './filter/parse.js';
import type { Projection } from './projection.js';
import { SCHEMA_URNS } from './schema.js';

export interface ListParameters extends Projection {
  filter?: Filter;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
  startIndex: number;
  count: number;
  /**
   * Cursor pagination (RFC 9865) when defined: '' for the first page, else a nextCursor.
   * Undefined means index paging (startIndex/count), the default method.
   */
  cursor?: string;
}

export interface PagingLimits {
  /** Used when the client sends no `count`. */
  defaultCount: number;
  /** Larger counts are capped to this, not refused (RFC 7644 §3.4.2.4). */
  maxCount: number;
}

type Query = Record<string, unknown>;

const MAX_INDEX = 2 ** 31 - 1;

/** Query parameter names are case-insensitive in practice (Okta sends startIndex, some send startindex). */
function param(query: Query, name: string): unknown {
  const wanted = name.toLowerCase();
  // Called for every parameter of every list request: no arrays built, few keys lower-cased.
  for (const key in query) {
    if (key.length === wanted.length && key.toLowerCase() === wanted) {
      const value = query[key];
      return Array.isArray(value) ? value[value.length - 1] : value;
    }
  }
  return undefined;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || !Number.isInteger(n)) {
    throw badRequest('invalidValue', `${name} must be an integer, got ${JSON.stringify(value)}`);
  }
  // Past any real list anyway; keeps OFFSET within what every database accepts.
  return Math.max(-MAX_INDEX, Math.min(n, MAX_INDEX));
}

function pathList(value: unknown, name: string): AttrPath[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items
    .map((item) => String(item).trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      try {
        return parseAttrPath(item);
      } catch {
        throw badRequest('invalidValue', `${name} contains an invalid attribute path: ${JSON.stringify(item)}`);
      }
    });
}

/** Only `attributes` and `excludedAttributes` (for single-resource GET, POST, PUT, PATCH). */
export function readProjection(query: Query): Projection {
  return {
    attributes: pathList(param(query, 'attributes'), 'attributes'),
    excludedAttributes: pathList(param(query, 'excludedAttributes'), 'excludedAttributes'),
  };
}

export function readListParameters(query: Query, limits: PagingLimits): ListParameters {
  const filterText = param(query, 'filter');
  if (filterText !== undefined && typeof filterText !== 'string') {
    throw badRequest('invalidFilter', 'filter must be a string');
  }
  const sortByText = param(query, 'sortBy');
  let sortBy: AttrPath | undefined;
  if (sortByText !== undefined && sortByText !== '') {
    try {
      sortBy = parseAttrPath(String(sortByText));
    } catch {
      throw badRequest('invalidValue', `sortBy is not a valid attribute path: ${JSON.stringify(sortByText)}`);
    }
  }
  const order = param(query, 'sortOrder');
  if (order !== undefined && order !== '' && !/^(ascending|descending)$/i.test(String(order))) {
    throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending", got ${JSON.stringify(order)}`);
  }
  const startIndexValue = integer(param(query, 'startIndex'), 'startIndex');
  const startIndex = startIndexValue ?? 1;
  const count = integer(param(query, 'count'), 'count') ?? limits.defaultCount;
  const cursor = readCursor(param(query, 'cursor'), startIndexValue, count);
  return {
    filter: filterText && filterText.trim() !== '' ? parseFilter(filterText) : undefined,
    sortBy,
    sortOrder: String(order ?? '').toLowerCase() === 'descending' ? 'descending' : 'ascending',
    startIndex: Math.max(1, startIndex),
    count: Math.min(Math.max(0, count), limits.maxCount),
    ...readProjection(query),
    ...(cursor !== undefined ? { cursor } : {}),
  };
}

/**
 * The cursor parameter: present (even empty, `?cursor`) asks for cursor pagination. RFC 9865
 * leaves a request with both `cursor` and `startIndex` undefined; this server refuses it rather
 * than guess which method the client meant. A cursor page needs at least one result (400
 * `invalidCount`, RFC 9865 §2.1); a count above the maximum is capped, as for index paging.
 */
function readCursor(value: unknown, startIndex: number | undefined, count: number): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') throw badRequest('invalidCursor', 'cursor must be a string');
  if (startIndex !== undefined) {
    throw badRequest('invalidValue', 'Use either cursor or startIndex, not both: they select different pagination methods (RFC 9865).');
  }
  if (count < 1) throw badRequest('invalidCount', `count must be at least 1 with cursor pagination, got ${count}`);
  return value.trim();
}

/** A POST /.search body: a SearchRequest message whose members mirror the query parameters. */
export function readSearchRequest(body: unknown, limits: PagingLimits): ListParameters {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('invalidSyntax', 'The search request body must be a JSON object');
  }
  const request = body as Query;
  const schemas = request.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.some((s) => String(s).toLowerCase() === SCHEMA_URNS.searchRequest.toLowerCase()))) {
    throw badRequest('invalidSyntax', `schemas must contain "${SCHEMA_URNS.searchRequest}"`);
  }
  for (const key of ['startIndex', 'count']) {
    const v = param(request, key);
    if (v !== undefined && typeof v !== 'number') {
      throw badRequest('invalidValue', `${key} must be a number in a SearchRequest`);
    }
  }
  return readListParameters(request, limits);
}
