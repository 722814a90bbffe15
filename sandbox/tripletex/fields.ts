// Tripletex's `fields` parameter: which properties come back, and how deep.
//
// - `a,b,c` picks properties; `*` is every property of the object (except `changes`, which
//   Tripletex only returns when named).
// - A reference to another object comes back as `{id, url}` unless expanded: `account(number,name)`,
//   `voucher(*)`, nested to any depth (`voucher(number,voucherType(name))`).
// - No `fields` at all is `*`. An absent reference is `null`.
// - A name the object does not have is a 400 (code 11000), as in Tripletex.
import { minorUnitsText } from '../kit/index.ts';
import { ApiFailure } from './api-error.ts';
import type { SpecSchema } from './spec-fields.ts';

export interface Selection {
  star: boolean;
  /** Named properties; a `Selection` when the name carries `( … )`. */
  fields: Map<string, Selection | null>;
}

export const STAR: Selection = Object.freeze({ star: true, fields: new Map() }) as Selection;

/** A value a model hands out for one property. `bigint` is money in øre. */
export type Value = null | string | number | boolean | bigint | Ref | readonly Value[] | { readonly [key: string]: Value };

export interface ViewContext {
  /** e.g. `127.0.0.1:43117/v2`: Tripletex's `url` properties carry no scheme. */
  urlBase: string;
}

/** How one Tripletex DTO is read from the simulator's data. */
export interface Model<R, C extends ViewContext = ViewContext> {
  readonly schema: SpecSchema;
  /** Property names, in the spec's order. */
  readonly fields: readonly string[];
  /** Path of the object below `/v2`, for its `url`; null when it has none. */
  readonly path: string | null;
  /** Models behind the reference properties that can be expanded (checked up front). */
  readonly refs: Readonly<Record<string, () => Model<never, C>>>;
  id(row: R): number | null;
  get(row: R, field: string, ctx: C): Value;
  /** The getter of one property, looked up once per request rather than once per row. */
  getter(field: string): (row: R, ctx: C) => Value;
}

/** A reference to another object: `{id, url}`, or the object itself when expanded. */
export class Ref {
  private constructor(
    readonly model: Model<unknown, ViewContext>,
    readonly row: unknown,
  ) {}

  static to<R, C extends ViewContext>(model: Model<R, C>, row: R): Ref {
    // Rows and contexts travel with their model, so the erasure below is safe.
    return new Ref(model as unknown as Model<unknown, ViewContext>, row);
  }
}

/** Builds a `Ref`, or null for an absent row. */
export function refOrNull<R, C extends ViewContext>(model: Model<R, C>, row: R | null | undefined): Ref | null {
  return row === null || row === undefined ? null : Ref.to(model, row);
}

// ---------------------------------------------------------------------------------------------
// Parsing

export function parseFields(text: string | null): Selection {
  if (text === null || text.trim() === '') return STAR;
  let pos = 0;
  const fail = (why: string): never => {
    throw new ApiFailure(400, 11000, `Illegal field in fields filter: ${why}`, `fields=${text}`);
  };
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const list = (): Selection => {
    const sel: Selection = { star: false, fields: new Map() };
    for (;;) {
      skip();
      if (text[pos] === '*') {
        pos++;
        sel.star = true;
      } else {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
        if (!m) fail(`unexpected '${text.slice(pos, pos + 10)}' at position ${pos}`);
        const name = m![0];
        pos += name.length;
        skip();
        let sub: Selection | null = null;
        if (text[pos] === '(') {
          pos++;
          sub = list();
          skip();
          if (text[pos] !== ')') fail(`missing ')' at position ${pos}`);
          pos++;
        }
        sel.fields.set(name, merge(sel.fields.get(name) ?? null, sub));
      }
      skip();
      if (text[pos] !== ',') return sel;
      pos++;
    }
  };
  const sel = list();
  skip();
  if (pos !== text.length) fail(`unexpected '${text.slice(pos, pos + 10)}' at position ${pos}`);
  return sel;
}

function merge(a: Selection | null, b: Selection | null): Selection | null {
  if (!a) return b;
  if (!b) return a;
  const fields = new Map(a.fields);
  for (const [k, v] of b.fields) fields.set(k, merge(fields.get(k) ?? null, v));
  return { star: a.star || b.star, fields };
}

/** Rejects names the model does not have, before any data is read (Tripletex does the same). */
export function checkSelection<C extends ViewContext>(model: Model<never, C>, sel: Selection): void {
  for (const [name, sub] of sel.fields) {
    if (!model.fields.includes(name)) {
      throw new ApiFailure(400, 11000, `Illegal field in fields filter: ${name}. ${name} does not match a field in the model: ${model.schema}DTO`);
    }
    const target = model.refs[name];
    if (sub && target) checkSelection(target(), sub);
  }
}

// ---------------------------------------------------------------------------------------------
// Projection, written straight to JSON text: a page of a thousand postings would otherwise
// build and walk some fifty thousand short-lived objects.

interface PlanEntry {
  /** `"name":` */
  key: string;
  get: (row: never, ctx: never) => Value;
  sub: Selection | null;
}

/** Which getters a selection runs on a model, compiled once per request and model. */
const plans = new WeakMap<Selection, Map<Model<never, never>, PlanEntry[]>>();

function planFor<R, C extends ViewContext>(model: Model<R, C>, sel: Selection): PlanEntry[] {
  let byModel = plans.get(sel);
  if (!byModel) plans.set(sel, (byModel = new Map()));
  const cached = byModel.get(model as unknown as Model<never, never>);
  if (cached) return cached;
  const entries: PlanEntry[] = [];
  const add = (name: string) => entries.push({ key: `${JSON.stringify(name)}:`, get: model.getter(name) as PlanEntry['get'], sub: sel.fields.get(name) ?? null });
  if (sel.star) {
    for (const name of model.fields) if (name !== 'changes' || sel.fields.has(name)) add(name);
    for (const name of sel.fields.keys()) if (!model.fields.includes(name)) add(name);
  } else {
    for (const name of sel.fields.keys()) add(name);
  }
  byModel.set(model as unknown as Model<never, never>, entries);
  return entries;
}

/** The JSON text of one object under a selection. Money (`bigint` øre) is written with two decimals. */
export function projectJson<R, C extends ViewContext>(model: Model<R, C>, row: R, sel: Selection, ctx: C): string {
  const entries = planFor(model, sel);
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const get = e.get as unknown as (row: R, ctx: C) => Value;
    out += (i === 0 ? '' : ',') + e.key + valueJson(get(row, ctx), e.sub, ctx);
  }
  return out + '}';
}

function valueJson<C extends ViewContext>(value: Value, sub: Selection | null, ctx: C): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return minorUnitsText(value, 2);
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Ref) {
    const model = value.model as unknown as Model<unknown, C>;
    if (sub) return projectJson(model, value.row, sub, ctx);
    const id = model.id(value.row);
    const url = model.path === null || id === null ? 'null' : JSON.stringify(`${ctx.urlBase}/${model.path}/${id}`);
    return `{"id":${id === null ? 'null' : id},"url":${url}}`;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + valueJson(value[i] as Value, sub, ctx);
    return out + ']';
  }
  // Small plain objects (`Change`) hold only scalars.
  return JSON.stringify(value);
}
