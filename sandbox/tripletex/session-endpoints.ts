// Tokens and identity: /token/session/:create (POST and legacy PUT), DELETE
// /token/session/{token}, /token/session/>whoAmI, /company/>withLoginAccess, /company/{id}.
import type { SimResponse } from '../kit/index.ts';
import { ApiFailure } from './api-error.ts';
import { STAR } from './fields.ts';
import { arrayRows, Digest, listBody, pageOf, sortRows } from './list-response.ts';
import { clientModel, companyModel, loggedInUserInfoModel, sessionTokenModel, type WhoAmI } from './session-models.ts';
import type { SessionStore } from './sessions.ts';
import type { CompanyInfo } from './tx-context.ts';
import { idParam, notFound, single, type TxRequest, type TxRoute } from './tx-route.ts';

export interface SessionWorld {
  sessions: SessionStore;
  /** Counts a `:create` against its token pair; rate-limit headers, or throws the 429. */
  countTokens(consumerToken: string, employeeToken: string): Record<string, string>;
  /** What `>withLoginAccess` lists: every client for an accounting firm, none otherwise. */
  clients(): CompanyInfo[];
}

function createSession(world: SessionWorld, r: TxRequest, input: Record<string, unknown>, status: number): SimResponse {
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : null);
  const consumerToken = text('consumerToken');
  const employeeToken = text('employeeToken');
  let headers: Record<string, string> = {};
  if (consumerToken === world.sessions.consumerToken && employeeToken === world.sessions.employeeToken) {
    headers = world.countTokens(consumerToken, employeeToken);
  }
  try {
    const session = world.sessions.create(consumerToken, employeeToken, text('expirationDate'));
    const response = single(sessionTokenModel, session, { ...r, sel: STAR }, status);
    return { ...response, headers: { ...headers, ...response.headers } };
  } catch (error) {
    if (error instanceof ApiFailure) throw new ApiFailure(error.status, error.code, error.message, error.developerMessage, error.validationMessages, { ...headers, ...error.headers });
    throw error;
  }
}

function jsonBody(r: TxRequest): Record<string, unknown> {
  const text = r.req.body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ApiFailure(422, 22000, 'Invalid JSON', 'The request body must be a JSON object {consumerToken, employeeToken, expirationDate}.');
}

export function sessionRoutes(world: SessionWorld): TxRoute[] {
  return [
    { method: 'POST', pattern: '/token/session/:create', public: true, handle: (r) => createSession(world, r, jsonBody(r), 201) },
    {
      method: 'PUT',
      pattern: '/token/session/:create',
      public: true,
      handle: (r) => createSession(world, r, Object.fromEntries(r.req.query), 200),
    },
    {
      method: 'DELETE',
      pattern: '/token/session/{token}',
      handle: (r) => {
        if (!world.sessions.end(r.params.token ?? '')) throw notFound('The session token');
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/token/session/>whoAmI',
      firmAllowed: true,
      handle: (r) => {
        const who: WhoAmI = { employee: r.ctx.employee, company: r.ctx.companyInfo, proxy: r.ctx.companyInfo.id !== r.ctx.employee.companyId };
        return single(loggedInUserInfoModel, who, r);
      },
    },
    {
      method: 'GET',
      pattern: '/company/>withLoginAccess',
      firmAllowed: true,
      handle: (r) => {
        const q = r.req.query;
        const clients = world.clients();
        const digest = new Digest().addText(q.get('fields') ?? '');
        for (const c of clients) digest.add(c.id);
        const rows = sortRows(clientModel, arrayRows(clients), q.get('sorting'), r.ctx);
        return { status: 200, body: listBody(clientModel, rows, pageOf(q), r.sel, r.ctx, digest.hex()) };
      },
    },
    {
      method: 'GET',
      pattern: '/company/{id}',
      handle: (r) => {
        const id = idParam(r);
        if (id !== r.ctx.companyInfo.id) throw notFound(`Company ${id}`);
        return single(companyModel, r.ctx.companyInfo, r);
      },
    },
  ];
}
