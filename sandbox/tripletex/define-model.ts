// Declaring a Tripletex model: the spec's property list plus getters for the properties the
// simulator knows. Every other property of the spec answers `null`, as Tripletex does for
// data a company does not have.
import { osloDateTime } from '../../model/index.ts';
import type { Model, Value } from './fields.ts';
import { SPEC_FIELDS, type SpecSchema } from './spec-fields.ts';
import type { TxContext } from './tx-context.ts';

type Getters<R> = { readonly [field: string]: (row: R, ctx: TxContext) => Value };

export function defineModel<R>(spec: {
  schema: SpecSchema;
  path: string | null;
  id: (row: R) => number | null;
  refs?: Record<string, () => Model<never, TxContext>>;
  get: Getters<R>;
}): Model<R, TxContext> {
  const fields = SPEC_FIELDS[spec.schema];
  for (const name of Object.keys(spec.get)) {
    if (!(fields as readonly string[]).includes(name)) throw new Error(`tripletex simulator: ${spec.schema} has no property ${name} in the spec`);
  }
  const always = (): Value => null;
  const getters = new Map<string, (row: R, ctx: TxContext) => Value>();
  for (const field of fields) {
    const own = spec.get[field];
    if (own) getters.set(field, own);
    else if (field === 'id') getters.set(field, (row) => spec.id(row));
    else if (field === 'url') {
      getters.set(field, (row, ctx) => {
        const id = spec.id(row);
        return spec.path === null || id === null ? null : `${ctx.urlBase}/${spec.path}/${id}`;
      });
    } else getters.set(field, always);
  }
  return {
    schema: spec.schema,
    fields,
    path: spec.path,
    refs: spec.refs ?? {},
    id: spec.id,
    getter: (field) => getters.get(field) ?? always,
    get: (row, field, ctx) => (getters.get(field) ?? always)(row, ctx),
  };
}

/** `Change` entries: the creation and, once changed, the last update. */
export function changes(ctx: TxContext, createdAt: number, changedAt: number, version: number): Value {
  const list: Value[] = [{ employeeId: ctx.employee.id, timestamp: osloDateTime(createdAt), changeType: 'CREATE' }];
  if (version > 0) list.push({ employeeId: ctx.employee.id, timestamp: osloDateTime(changedAt), changeType: 'UPDATE' });
  return list;
}
