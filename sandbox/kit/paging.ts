// Which rows of a list one page holds, for the two ways providers page: by row offset
// (Tripletex's from/count) and by page number (Fiken's 0-based page/pageSize, Fortnox's
// 1-based page/limit). Reading the parameters and shaping the answer stay with the provider.

export interface PageWindow {
  /** Rows [start, end) of the full list. */
  start: number;
  end: number;
  /** Rows follow this page. */
  more: boolean;
}

/** `count` rows from row `from`; a page past the end is empty. */
export function offsetWindow(total: number, from: number, count: number): PageWindow {
  const start = Math.min(total, from);
  const end = Math.min(total, from + count);
  return { start, end, more: end < total };
}

/** Page `page` of `pageSize` rows, numbered from `firstPage`; a page past the end is empty. */
export function numberedWindow(total: number, page: number, pageSize: number, firstPage = 0): PageWindow & { pageCount: number } {
  const window = offsetWindow(total, (page - firstPage) * pageSize, pageSize);
  return { ...window, pageCount: Math.ceil(total / pageSize) };
}
