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
import { readFileSync } from 'node:fs';
import { openApiValidator, type OpenApiSpec, type Schema } from './openapi-validator.ts';
import { referencePath } from './reference.ts';

const tripletex = openApiValidator(
  'tripletex-openapi.json',
  () => JSON.parse(readFileSync(referencePath('tripletex', 'openapi.json'), 'utf8')) as OpenApiSpec,
  (schemas) => Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, adjust(schema)])),
);

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

/**
 * Problems with `body` as the answer of `method pathTemplate` with `status` (empty = valid).
 * The spec declares no error responses for these operations, although its description documents
 * the error envelope; a 4xx/5xx body is therefore checked against `ApiError`. A 204 must be empty.
 */
export function validateResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const op = tripletex.operation(method, pathTemplate);
  if (!op) return [`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`];
  const declared = op.responses?.[String(status)];
  if (status === 204) return body === undefined || body === null || body === '' ? [] : ['a 204 answer must have no body'];
  const schema = declared?.content?.['application/json']?.schema;
  if (schema) return tripletex.check(`${method} ${pathTemplate} ${status}`, schema, body);
  if (status >= 400) return validateSchema('ApiError', body);
  return [`the spec declares no ${status} answer with a JSON body for ${method.toUpperCase()} ${pathTemplate}`];
}

/** Problems with `body` as an instance of `components.schemas[name]`. */
export function validateSchema(name: string, body: unknown): string[] {
  return tripletex.validateSchema(name, body);
}

/** Property names of a spec schema, in the spec's order. */
export function schemaProperties(name: string): string[] {
  const schema = tripletex.spec().components.schemas[name];
  if (!schema) throw new Error(`the spec has no schema ${name}`);
  return Object.keys((schema.properties as Schema | undefined) ?? {});
}

/** The spec's path template for a concrete, decoded path below /v2 (`/ledger/voucher/12` → `/ledger/voucher/{id}`). */
export function pathTemplate(method: string, path: string): string | undefined {
  return tripletex.template(method, path);
}

/** Whether the spec has an operation `method pathTemplate`. */
export function hasOperation(method: string, pathTemplate: string): boolean {
  return tripletex.operation(method, pathTemplate) !== undefined;
}
