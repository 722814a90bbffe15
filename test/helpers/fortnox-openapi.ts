// Validates response bodies against Fortnox's official OpenAPI spec
// (shared/reference/fortnox/openapi-fortnox.json, OpenAPI 3.0.3) with ajv: given method, path
// template and status, it finds the operation's response schema and checks a body against it.
//
// Adjustments to the spec, all deliberate:
// - Closed shapes: the spec sets no `additionalProperties`, so any extra property would pass.
//   Here every object with declared properties rejects others, so a misspelt or invented
//   property is caught.
// - Paging: the list wrappers (`{<Plural>: [...]}`) omit `MetaInformation`, which the docs and
//   every recorded list answer carry (notes/fortnox-fennoa.md §1.5); each wrapper whose only
//   property is an array accepts `MetaInformation` (the spec's own `fortnox_MetaInformation`).
// - Nullability: none; an absent value must be left out.
// - Errors: every operation's `default` answer is `fortnox_ErrorInformationWrap`.
// Formats are not validated (int32/double/date hints).
import { readFileSync } from 'node:fs';
import { openApiValidator, type OpenApiSpec, type Schema } from './openapi-validator.ts';
import { referencePath } from './reference.ts';

const fortnox = openApiValidator(
  'fortnox-openapi.json',
  () => JSON.parse(readFileSync(referencePath('fortnox', 'openapi-fortnox.json'), 'utf8')) as OpenApiSpec,
  (raw) => Object.fromEntries(Object.entries(raw).map(([name, schema]) => [name, withMeta(close(schema))])),
);

function close(schema: unknown): Schema {
  if (Array.isArray(schema) || schema === null || typeof schema !== 'object') return schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'properties' && value && typeof value === 'object') out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, close(v)]));
    else if (key === 'items' || key === 'additionalProperties') out[key] = typeof value === 'object' ? close(value) : value;
    else out[key] = value;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function withMeta(schema: Schema): Schema {
  const props = schema.properties as Record<string, Schema> | undefined;
  if (!props) return schema;
  const names = Object.keys(props);
  if (names.length !== 1 || props[names[0]!]!.type !== 'array') return schema;
  return { ...schema, properties: { ...props, MetaInformation: { $ref: '#/components/schemas/fortnox_MetaInformation' } } };
}

/** Problems with `body` as the JSON answer of `method pathTemplate` with `status` (empty = valid). */
export function validateFortnoxResponse(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const op = fortnox.operation(method, pathTemplate);
  if (!op) return [`the spec has no operation ${method.toUpperCase()} ${pathTemplate}`];
  const declared = op.responses?.[String(status)] ?? (status >= 400 ? op.responses?.default : undefined);
  const content = declared?.content ?? {};
  const schema = content['application/json']?.schema ?? content['*/*']?.schema;
  if (!schema) return [`the spec declares no ${status} JSON answer for ${method.toUpperCase()} ${pathTemplate}`];
  return fortnox.check(`${method} ${pathTemplate} ${status}`, schema, body);
}

/** Problems with `body` as an instance of `components.schemas[name]`. */
export function validateFortnoxSchema(name: string, body: unknown): string[] {
  return fortnox.validateSchema(name, body);
}

/** The spec's path template for a concrete, decoded path (`/3/vouchers/A/1` → `/3/vouchers/{VoucherSeries}/{VoucherNumber}`). */
export function fortnoxPathTemplate(method: string, path: string): string | undefined {
  return fortnox.template(method, path);
}
