// Fortnox's paging: `page` (1-based) and `limit` (default 100, at most 500), the totals in the
// body's `MetaInformation`. As recorded: an empty list says `@TotalPages` 0 on page 1, and a
// page past the end comes back empty with `@TotalResources` 0 although records exist, so a
// client must page until a page comes back short.
import { numberedWindow, type SimResponse } from '../kit/index.ts';
import { badParameter } from './api-error.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

function integer(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw badParameter(`Ogiltig parameter: ${name} must be an integer from 1 to ${max}, got '${text}'.`);
  return Number(text);
}

/** `{<key>: items of the page, MetaInformation}`; `render` makes the items [start, end). */
export function pagedList(query: URLSearchParams, key: string, total: number, render: (start: number, end: number) => unknown[]): SimResponse {
  const limit = integer(query, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const page = integer(query, 'page', 1, Number.MAX_SAFE_INTEGER);
  const { start, end, pageCount } = numberedWindow(total, page, limit, 1);
  const past = page > Math.max(1, pageCount);
  return {
    status: 200,
    body: {
      MetaInformation: { '@TotalResources': past ? 0 : total, '@TotalPages': pageCount, '@CurrentPage': page },
      [key]: render(start, end),
    },
  };
}

export function pagedArray<T>(query: URLSearchParams, key: string, items: readonly T[], view: (item: T) => unknown): SimResponse {
  return pagedList(query, key, items.length, (start, end) => items.slice(start, end).map(view));
}
