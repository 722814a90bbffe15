// A Tripletex route: handler plus who may call it.
import { RawJson, type RouteParams, type SimRequest, type SimResponse } from '../kit/index.ts';
import { ApiFailure } from './api-error.ts';
import { checkSelection, parseFields, projectJson, type Model, type Selection } from './fields.ts';
import type { TxContext } from './tx-context.ts';

export interface TxRequest {
  req: SimRequest;
  params: RouteParams;
  ctx: TxContext;
  /** The parsed `fields` parameter (`*` when absent). */
  sel: Selection;
}

export interface TxRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  /** Reachable by an accounting firm's username 0 (only `>whoAmI` and `>withLoginAccess`). */
  firmAllowed?: boolean;
  /** Needs no Authorization header (`:create`). */
  public?: boolean;
  handle(r: TxRequest): SimResponse;
}

export function requestSelection(req: SimRequest): Selection {
  return parseFields(req.query.get('fields'));
}

/** `{value: …}` for one object. */
export function single<R>(model: Model<R, TxContext>, row: R, r: TxRequest, status = 200): SimResponse {
  checkSelection(model, r.sel);
  return { status, body: { value: new RawJson(projectJson(model, row, r.sel, r.ctx)) } };
}

/** The integer `{id}` of a path, or 400 / 12000 as Tripletex answers a bad path parameter. */
export function idParam(r: TxRequest, name = 'id'): number {
  const text = r.params[name] ?? '';
  if (!/^\d+$/.test(text)) throw new ApiFailure(400, 12000, 'Bad Request', `Path parameter ${name} '${text}' is not an integer.`);
  return Number(text);
}

export function notFound(what: string): ApiFailure {
  return new ApiFailure(404, 6000, 'Object not found', `${what} does not exist.`);
}
