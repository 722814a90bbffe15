// An API route of the Fortnox simulator: the scope it needs and its handler, which gets the
// request and the tenant (company) behind the bearer token, already checked for its
// integration licence and the consent's scopes.
import type { Clock } from '../../model/index.ts';
import type { Grant, RouteParams, SimRequest, SimResponse } from '../kit/index.ts';
import { badParameter, notFound } from './api-error.ts';
import type { FortnoxCompany, FxYear } from './fortnox-company.ts';
import type { DocumentStore } from './fortnox-documents.ts';

export const API_BASE = '/3';

/** Fortnox's scopes the simulator knows (notes/fortnox-fennoa.md §1.2). */
export const FORTNOX_SCOPES = [
  'companyinformation',
  'bookkeeping',
  'costcenter',
  'project',
  'customer',
  'supplier',
  'connectfile',
  'archive',
  'inbox',
  'invoice',
  'supplierinvoice',
  'settings',
] as const;
export type FortnoxScope = (typeof FORTNOX_SCOPES)[number];

/** What the person approves on Fortnox's consent page: one tenant, the app's scopes. */
export interface FortnoxApproval {
  company: number;
  scopes: ReadonlySet<string>;
  /** `account_type=service`: consent for a service account (a system administrator's). */
  service: boolean;
}

export type FortnoxGrant = Grant<FortnoxApproval>;

export interface ApiContext {
  req: SimRequest;
  params: RouteParams;
  company: FortnoxCompany;
  documents: DocumentStore;
  clock: Clock;
  /** e.g. `http://127.0.0.1:4711/3`, for `@url`s. */
  apiBaseUrl: string;
}

export interface ApiRoute {
  method: 'GET';
  /** Below API_BASE, e.g. `/vouchers/{VoucherSeries}/{VoucherNumber}`. */
  pattern: string;
  scope: FortnoxScope;
  handle(ctx: ApiContext): SimResponse | Promise<SimResponse>;
}

export const ok = (body: unknown): SimResponse => ({ status: 200, body });

/** A query parameter by name, case-insensitively (Fortnox's are lower case; its spec writes `financialYear`, `Date`). */
export function param(query: URLSearchParams, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === lower) return v;
  return null;
}

/**
 * The financial year a request selects: `financialyear` (an id), `financialyeardate` (a date
 * inside it), or else the year holding today, or the newest.
 */
export function selectedYear(ctx: ApiContext, todayIso: string): FxYear {
  const c = ctx.company;
  const id = param(ctx.req.query, 'financialyear');
  if (id !== null) {
    if (!/^\d+$/.test(id)) throw badParameter(`Ogiltig parameter financialyear: '${id}'.`);
    const y = c.yearById(Number(id));
    if (!y) throw notFound(`Kan inte hitta räkenskapsåret (financialyear ${id}).`);
    return y;
  }
  const date = param(ctx.req.query, 'financialyeardate');
  if (date !== null) {
    const y = c.yearOfDate(date);
    if (!y) throw notFound(`Kan inte hitta räkenskapsåret för datum ${date}.`);
    return y;
  }
  return c.yearOfDate(todayIso) ?? c.years[c.years.length - 1]!;
}
