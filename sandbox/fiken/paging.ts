// Fiken's paging: `page` (0-based) and `pageSize` (default 25, at most 100), a bare JSON array
// as the body and the totals in Fiken-Api-* headers.
import { numberedWindow, type SimResponse } from '../kit/index.ts';
import { badRequest } from './api-error.ts';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/**
 * The page asked for. Fiken's documentation says both parameters "need to be set to enable
 * pagination": given only one of them, the defaults apply, so a client that sends just `page`
 * keeps getting the first page (the header shows it), as documented.
 */
export function readPage(query: URLSearchParams): PageRequest {
  const page = query.get('page');
  const size = query.get('pageSize');
  // A bad value fails even when it would be ignored, so it is never silently dropped.
  const p = page === null ? null : integer('page', page, 0, Number.MAX_SAFE_INTEGER);
  const s = size === null ? null : integer('pageSize', size, 1, MAX_PAGE_SIZE);
  return p === null || s === null ? { page: 0, pageSize: DEFAULT_PAGE_SIZE } : { page: p, pageSize: s };
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw badRequest(`${name} must be a non-negative integer, got '${text}'.`);
  const n = Number(text);
  if (n < min || n > max) throw badRequest(`${name} must be from ${min} to ${max}, got ${text}.`);
  return n;
}

/**
 * One page of a list of `total` items: `render(start, end)` makes the items [start, end).
 * A page past the end is an empty array with the same headers.
 */
export function pagedResponse(query: URLSearchParams, total: number, render: (start: number, end: number) => unknown[]): SimResponse {
  const { page, pageSize } = readPage(query);
  const { start, end, pageCount } = numberedWindow(total, page, pageSize);
  return {
    status: 200,
    body: render(start, end),
    headers: {
      'Fiken-Api-Page': String(page),
      'Fiken-Api-Page-Size': String(pageSize),
      'Fiken-Api-Page-Count': String(pageCount),
      'Fiken-Api-Result-Count': String(total),
    },
  };
}

/** A page of an array that is already materialised. */
export function pagedArray<T>(query: URLSearchParams, items: readonly T[], view: (item: T) => unknown): SimResponse {
  return pagedResponse(query, items.length, (start, end) => items.slice(start, end).map(view));
}
