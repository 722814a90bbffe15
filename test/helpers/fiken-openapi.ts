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
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { openApiValidator, type OpenApiSpec, type Schema } from './openapi-validator.ts';
import { referencePath } from './reference.ts';

/** schema name → properties the real API answers null for (none known so far). */
const NULLABLE: Record<string, string[]> = {};

const fiken = openApiValidator(
  'fiken-openapi.yaml',
  () => parse(readFileSync(referencePath('fiken', 'openapi.yaml'), 'utf8')) as OpenApiSpec,
  (raw) => Object.fromEntries(Object.entries(raw).map(([name, schema]) => [name, nullableWhereKnown(name, close(flatten(schema, raw)))])),
);

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

/**
 * Problems with `body` as the 2xx answer of `method pathTemplate` with `status` (empty =
 * valid). Fiken documents no error body, so errors are not checked here.
 */
export function validateFikenResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const op = fiken.operation(method, pathTemplate);
  if (!op) return [`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`];
  const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) return [`the spec declares no ${status} answer with a JSON body for ${method.toUpperCase()} ${pathTemplate}`];
  return fiken.check(`${method} ${pathTemplate} ${status}`, schema, body);
}

/** Problems with `body` as an instance of `components.schemas[name]`. */
export function validateFikenSchema(name: string, body: unknown): string[] {
  return fiken.validateSchema(name, body);
}

/** The spec's path template for a concrete, decoded path below /api/v2 (`/companies/acme/accounts` → `/companies/{companySlug}/accounts`). */
export function fikenPathTemplate(method: string, path: string): string | undefined {
  return fiken.template(method, path);
}

/** Response headers the spec declares for `method pathTemplate` at `status` (e.g. Fiken-Api-Page). */
export function declaredFikenHeaders(method: string, pathTemplate: string, status = 200): string[] {
  return Object.keys(fiken.operation(method, pathTemplate)?.responses?.[String(status)]?.headers ?? {});
}
