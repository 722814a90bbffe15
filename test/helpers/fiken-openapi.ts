// Validates response bodies against the official Fiken OpenAPI spec
// (shared/reference/fiken/openapi.yaml, OpenAPI 3.0.2) with ajv: given method, path template
// and status, it finds the operation's response schema and checks a body against it.
//
// Adjustments to the spec, all deliberate:
// - Closed shapes: the spec sets no `additionalProperties`, so any extra property would pass.
//   Here every object with declared properties rejects others, so a misspelt or invented
//   property is caught. `allOf` of objects (accountBalance = account + balance) is merged
//   first, since closed parts could never combine.
// - Write-only properties (`debitAccount`, `phoneNumber`, …) are request fields: a response
//   carrying one fails.
// - Nullability: a property accepts null only where the spec says `nullable: true` or where
//   NULLABLE below lists it (where the real API is known to send null). Otherwise an absent
//   value must be left out, not sent as null.
// Formats are not validated (the spec's `format`s are int64/date hints).
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { referencePath } from './reference.ts';

type Schema = { [key: string]: unknown };

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** schema name → properties the real API answers null for (none known so far). */
const NULLABLE: Record<string, string[]> = {};

const SPEC_ID = 'fiken-openapi.yaml';

let loaded: { spec: Spec; ajv: Ajv; cache: Map<string, ValidateFunction> } | null = null;

function load() {
  if (loaded) return loaded;
  const spec = parse(readFileSync(referencePath('fiken', 'openapi.yaml'), 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const raw = spec.components.schemas;
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(raw)) schemas[name] = nullableWhereKnown(name, close(flatten(schema, raw)));
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  loaded = { spec, ajv, cache: new Map() };
  return loaded;
}

const refName = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null);

/** `allOf` of object schemas merged into one object schema (recursively). */
function flatten(schema: unknown, raw: Record<string, Schema>): Schema {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema as Schema;
  const s = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties' && value && typeof value === 'object') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, flatten(v, raw)]));
    else if (key === 'items' || key === 'additionalProperties') out[key] = typeof value === 'object' ? flatten(value, raw) : value;
    else if (key !== 'allOf') out[key] = value;
  }
  if (Array.isArray(s.allOf)) {
    const properties: Schema = { ...((out.properties as Schema | undefined) ?? {}) };
    const required = new Set<string>((out.required as string[] | undefined) ?? []);
    for (const part of s.allOf as Schema[]) {
      const name = refName(part.$ref);
      const resolved = flatten(name ? raw[name] : part, raw);
      Object.assign(properties, (resolved.properties as Schema | undefined) ?? {});
      for (const r of (resolved.required as string[] | undefined) ?? []) required.add(r);
    }
    out.type = 'object';
    out.properties = properties;
    if (required.size) out.required = [...required];
  }
  return out;
}

/** Every shape with declared properties closed, write-only properties dropped. */
function close(schema: unknown): Schema {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema)
          .filter(([, prop]) => !(prop as Schema).writeOnly)
          .map(([name, prop]) => [name, close(prop)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? close(value) : value;
    } else {
      out[key] = value;
    }
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => (out.properties as Schema | undefined)?.[r] !== undefined);
  return out;
}

function nullableWhereKnown(name: string, schema: Schema): Schema {
  const props = schema.properties as Schema | undefined;
  for (const p of NULLABLE[name] ?? []) if (props?.[p]) props[p] = { anyOf: [{ type: 'null' }, props[p]] };
  return schema;
}

/** `#/components/schemas/X` inside a response schema, pointed at the registered spec. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema as Schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? SPEC_ID + v : rebase(v)]),
  );
}

function compile(key: string, schema: unknown): ValidateFunction {
  const l = load();
  let fn = l.cache.get(key);
  if (!fn) {
    fn = l.ajv.compile(rebase(schema) as Schema);
    l.cache.set(key, fn);
  }
  return fn;
}

function errorsOf(fn: ValidateFunction, body: unknown): string[] {
  return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function operation(method: string, pathTemplate: string): Operation | undefined {
  return load().spec.paths[pathTemplate]?.[method.toLowerCase()];
}

/**
 * Problems with `body` as the 2xx answer of `method pathTemplate` with `status` (empty =
 * valid). Fiken documents no error body, so errors are not checked here.
 */
export function validateFikenResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const op = operation(method, pathTemplate);
  if (!op) return [`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`];
  const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) return [`the spec declares no ${status} answer with a JSON body for ${method.toUpperCase()} ${pathTemplate}`];
  return errorsOf(compile(`${method} ${pathTemplate} ${status}`, schema), body);
}

/** Problems with `body` as an instance of `components.schemas[name]`. */
export function validateFikenSchema(name: string, body: unknown): string[] {
  if (!load().spec.components.schemas[name]) return [`the spec has no schema ${name}`];
  return errorsOf(compile(`schema ${name}`, { $ref: `#/components/schemas/${name}` }), body);
}

/** Response headers the spec declares for `method pathTemplate` at `status` (e.g. Fiken-Api-Page). */
export function declaredFikenHeaders(method: string, pathTemplate: string, status = 200): string[] {
  return Object.keys(operation(method, pathTemplate)?.responses?.[String(status)]?.headers ?? {});
}
