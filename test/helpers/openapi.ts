// Validates response bodies against the official Tripletex OpenAPI spec
// (shared/reference/tripletex/openapi.json) with ajv: given method, path template and status,
// it finds the operation's response schema and checks a body against it.
//
// Two adjustments to the spec, both deliberate:
// - Nullability: the spec never declares a property nullable, yet the real API answers `null`
//   for every absent reference and unset value (`"project": null`). Every property therefore
//   also accepts null.
// - Closed shapes: the spec sets no `additionalProperties`, so any extra property would pass.
//   Here every object with declared properties rejects others, so a misspelt or invented
//   property is caught.
// Formats are not validated (the spec's `format`s are int32/int64/date-time hints).
import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { referencePath } from './reference.ts';

type Schema = { [key: string]: unknown };

interface Spec {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

const SPEC_ID = 'tripletex-openapi.json';

let loaded: { spec: Spec; ajv: Ajv; cache: Map<string, ValidateFunction> } | null = null;

function load() {
  if (loaded) return loaded;
  const spec = JSON.parse(readFileSync(referencePath('tripletex', 'openapi.json'), 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const schemas: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(spec.components.schemas)) schemas[name] = adjust(schema);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  loaded = { spec, ajv, cache: new Map() };
  return loaded;
}

/** Every property nullable, every declared shape closed (see the file comment). */
function adjust(schema: unknown): Schema {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, prop]) => [name, { anyOf: [{ type: 'null' }, adjust(prop)] }]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? adjust(value) : value;
    } else {
      out[key] = value;
    }
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
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

/**
 * Problems with `body` as the answer of `method pathTemplate` with `status` (empty = valid).
 * The spec declares no error responses for these operations, although its description documents
 * the error envelope; a 4xx/5xx body is therefore checked against `ApiError`. A 204 must be empty.
 */
export function validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const { spec } = load();
  const op = spec.paths[pathTemplate]?.[method.toLowerCase()];
  if (!op) return [`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`];
  const declared = op.responses?.[String(status)];
  if (status === 204) return body === undefined || body === null || body === '' ? [] : ['a 204 answer must have no body'];
  const schema = declared?.content?.['application/json']?.schema;
  if (schema) return errorsOf(compile(`${method} ${pathTemplate} ${status}`, schema), body);
  if (status >= 400) return validateSchema('ApiError', body);
  return [`the spec declares no ${status} answer with a JSON body for ${method.toUpperCase()} ${pathTemplate}`];
}

/** Problems with `body` as an instance of `components.schemas[name]`. */
export function validateSchema(name: string, body: unknown): string[] {
  if (!load().spec.components.schemas[name]) return [`the spec has no schema ${name}`];
  return errorsOf(compile(`schema ${name}`, { $ref: `#/components/schemas/${name}` }), body);
}

/** Property names of a spec schema, in the spec's order. */
export function schemaProperties(name: string): string[] {
  const schema = load().spec.components.schemas[name];
  if (!schema) throw new Error(`the spec has no schema ${name}`);
  return Object.keys((schema.properties as Schema | undefined) ?? {});
}

/** Whether the spec has an operation `method pathTemplate`. */
export function hasOperation(method: string, pathTemplate: string): boolean {
  return load().spec.paths[pathTemplate]?.[method.toLowerCase()] !== undefined;
}
