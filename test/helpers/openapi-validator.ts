// The part of checking bodies against an official OpenAPI spec that does not depend on the
// provider: the spec loaded once, its component schemas (as the caller adjusts them)
// registered with ajv, response schemas compiled once each. openapi.ts (Tripletex) and
// fiken-openapi.ts say how each spec is read and adjusted.
import { Ajv, type ValidateFunction } from 'ajv';

export type Schema = { [key: string]: unknown };

export interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }>; headers?: Record<string, unknown> }>;
}

export interface OpenApiSpec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface OpenApiValidator {
  spec(): OpenApiSpec;
  operation(method: string, pathTemplate: string): Operation | undefined;
  /** The spec's path template a concrete, decoded path (`/ledger/voucher/12`) falls under, if any; literal segments win over `{params}`. */
  template(method: string, path: string): string | undefined;
  /** Problems with `body` against `schema` (from the spec; compiled once per `key`). */
  check(key: string, schema: unknown, body: unknown): string[];
  /** Problems with `body` as an instance of `components.schemas[name]`. */
  validateSchema(name: string, body: unknown): string[];
}

export function openApiValidator(specId: string, read: () => OpenApiSpec, adjust: (schemas: Record<string, Schema>) => Record<string, Schema>): OpenApiValidator {
  let loaded: { spec: OpenApiSpec; ajv: Ajv; cache: Map<string, ValidateFunction> } | null = null;
  const load = () => {
    if (loaded) return loaded;
    const spec = read();
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: specId, components: { schemas: adjust(spec.components.schemas) } });
    loaded = { spec, ajv, cache: new Map() };
    return loaded;
  };
  /** `#/components/schemas/X` inside a response schema, pointed at the registered spec. */
  const rebase = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(rebase);
    if (schema === null || typeof schema !== 'object') return schema;
    return Object.fromEntries(
      Object.entries(schema as Schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? specId + v : rebase(v)]),
    );
  };
  const check = (key: string, schema: unknown, body: unknown): string[] => {
    const l = load();
    let fn = l.cache.get(key);
    if (!fn) l.cache.set(key, (fn = l.ajv.compile(rebase(schema) as Schema)));
    return fn(body) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
  return {
    spec: () => load().spec,
    operation: (method, pathTemplate) => load().spec.paths[pathTemplate]?.[method.toLowerCase()],
    template(method, path) {
      const segments = path.split('/').filter(Boolean);
      let best: { template: string; params: number } | undefined;
      for (const [template, operations] of Object.entries(load().spec.paths)) {
        if (!operations[method.toLowerCase()]) continue;
        const parts = template.split('/').filter(Boolean);
        if (parts.length !== segments.length) continue;
        let params = 0;
        const fits = parts.every((p, i) => (p.startsWith('{') && p.endsWith('}') ? ++params > 0 : p === segments[i]));
        if (fits && (!best || params < best.params)) best = { template, params };
      }
      return best?.template;
    },
    check,
    validateSchema(name, body) {
      if (!load().spec.components.schemas[name]) return [`the spec has no schema ${name}`];
      return check(`schema ${name}`, { $ref: `#/components/schemas/${name}` }, body);
    },
  };
}
