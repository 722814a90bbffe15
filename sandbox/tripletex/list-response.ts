// Tripletex's list envelope `{fullResultSize, from, count, versionDigest, values}`: paging by
// row offset, sorting, and the digest of the full result.
import { ApiFailure, validationFailure } from './api-error.ts';
import { RawJson, offsetWindow } from '../kit/index.ts';
import { checkSelection, projectJson, Ref, type Model, type Selection } from './fields.ts';
import type { TxContext } from './tx-context.ts';

/** Tripletex refuses pages above this with 422 / 23000 "Result Set Too Large". */
export const MAX_COUNT = 10_000;

export interface Page {
  from: number;
  count: number;
}

export function pageOf(query: URLSearchParams, defaultCount = 1000): Page {
  const from = intParam(query, 'from') ?? 0;
  const count = intParam(query, 'count') ?? defaultCount;
  if (from < 0) throw validationFailure('from', 'Må være 0 eller større.');
  if (count < 0) throw validationFailure('count', 'Må være 0 eller større.');
  if (count > MAX_COUNT) {
    throw new ApiFailure(422, 23000, 'Result Set Too Large', `count ${count} is above ${MAX_COUNT}; narrow the query or page with from/count.`);
  }
  return { from, count };
}

export function intParam(query: URLSearchParams, name: string): number | null {
  const text = query.get(name);
  if (text === null || text === '') return null;
  if (!/^-?\d+$/.test(text.trim())) throw validationFailure(name, `'${text}' er ikke et heltall.`);
  return Number(text);
}

/** `id=1,2,3` style filters ("List of IDs"). */
export function idListParam(query: URLSearchParams, name: string): Set<number> | null {
  const text = query.get(name);
  if (text === null || text.trim() === '') return null;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (!/^\s*\d+\s*$/.test(part)) throw validationFailure(name, `'${text}' er ikke en liste av heltall.`);
    out.add(Number(part));
  }
  return out;
}

export function boolParam(query: URLSearchParams, name: string): boolean | null {
  const text = query.get(name);
  if (text === null || text === '') return null;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw validationFailure(name, `'${text}' er ikke true eller false.`);
}

/** A random-access view of a full result, so a page never copies the whole result. */
export interface Rows<R> {
  readonly length: number;
  at(i: number): R;
}

export function arrayRows<R>(items: readonly R[]): Rows<R> {
  return { length: items.length, at: (i) => items[i]! };
}

/**
 * The envelope for one page. `fullResultSize` is deliberately inexact, as Tripletex's own is
 * deprecated and "not exact": it says only whether more rows follow (`from + page + 1`), so a
 * client that pages by it stops early and one that pages until a short page gets everything.
 */
export function listBody<R>(
  model: Model<R, TxContext>,
  rows: Rows<R>,
  page: Page,
  sel: Selection,
  ctx: TxContext,
  versionDigest: string | null,
  extra: Record<string, number | string | null> = {},
): Record<string, unknown> {
  checkSelection(model, sel);
  const { start, end, more } = offsetWindow(rows.length, page.from, page.count);
  const values: string[] = [];
  for (let i = start; i < end; i++) values.push(projectJson(model, rows.at(i), sel, ctx));
  return {
    fullResultSize: page.from + values.length + (more ? 1 : 0),
    from: page.from,
    count: values.length,
    versionDigest: rows.length === 0 ? null : versionDigest,
    values: new RawJson(`[${values.join(',')}]`),
    ...extra,
  };
}

/** `sorting=date,-id,account.number`; unknown names are 422 / 17000 as in Tripletex. */
export function sortRows<R>(model: Model<R, TxContext>, rows: Rows<R>, sorting: string | null, ctx: TxContext): Rows<R> {
  if (sorting === null || sorting.trim() === '') return rows;
  const keys = sorting.split(',').map((k) => k.trim()).filter((k) => k !== '').map((k) => {
    const descending = k.startsWith('-');
    const path = (descending ? k.slice(1) : k).split('.');
    if (!model.fields.includes(path[0]!)) throw new ApiFailure(422, 17000, 'Sorting Exception', `Unknown sorting field ${k} on ${model.schema}`);
    return { descending, path };
  });
  const items: { row: R; key: unknown[] }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    items.push({ row, key: keys.map((k) => sortValue(model, row, k.path, ctx)) });
  }
  items.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compare(a.key[k], b.key[k]);
      if (c !== 0) return keys[k]!.descending ? -c : c;
    }
    return 0;
  });
  return arrayRows(items.map((x) => x.row));
}

function sortValue<R>(model: Model<R, TxContext>, row: R, path: string[], ctx: TxContext): unknown {
  let value: unknown = model.get(row, path[0]!, ctx);
  for (const name of path.slice(1)) {
    if (!(value instanceof Ref)) return null;
    value = value.model.get(value.row, name, ctx);
  }
  if (value instanceof Ref) return value.model.id(value.row);
  return value;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** A 64-bit running hash (two 32-bit lanes) for `versionDigest`. */
export class Digest {
  private a = 0x811c9dc5;
  private b = 0x9e3779b9;

  add(n: number): this {
    const lo = n >>> 0;
    const hi = Math.floor(n / 0x100000000) >>> 0;
    this.a = Math.imul(this.a ^ lo, 0x01000193) ^ hi;
    this.b = Math.imul(this.b ^ hi, 0x85ebca6b) ^ lo;
    this.b = (this.b ^ (this.b >>> 13)) >>> 0;
    return this;
  }

  addText(s: string): this {
    for (let i = 0; i < s.length; i++) this.add(s.charCodeAt(i));
    return this;
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
