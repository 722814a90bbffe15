// An API route of the Fiken simulator and what its handler gets: the request, the OAuth
// grant behind the bearer token and, under /companies/{companySlug}, the company (already
// checked against the grant).
import type { Grant, RouteParams, SimRequest, SimResponse } from '../kit/index.ts';
import { badRequest } from './api-error.ts';
import type { FikenCompany } from './fiken-company.ts';

export const API_BASE = '/api/v2';

/** What the person approves in Fiken's consent: the companies (indexes) the app may reach. */
export interface FikenApproval {
  companies: ReadonlySet<number>;
}

export type FikenGrant = Grant<FikenApproval>;

export interface FikenUser {
  name: string;
  email: string;
}

export interface ApiContext {
  req: SimRequest;
  params: RouteParams;
  grant: FikenGrant;
  /** The `{companySlug}` company; null on routes without one. */
  company: FikenCompany | null;
  /** Every served company (the grant decides which are visible). */
  companies: readonly FikenCompany[];
  user: FikenUser;
}

export interface ApiRoute {
  method: 'GET';
  /** Below API_BASE, e.g. `/companies/{companySlug}/journalEntries`. */
  pattern: string;
  /** Also answers for a company without the API add-on (only the company object itself). */
  withoutApiAccess?: boolean;
  handle(ctx: ApiContext): SimResponse;
}

export function companyOf(ctx: ApiContext): FikenCompany {
  if (!ctx.company) throw new Error('Fiken simulator: a company route ran without a company');
  return ctx.company;
}

/** An integer path or query parameter, or 400. */
export function integerParam(name: string, text: string | undefined): number {
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) throw badRequest(`${name} must be an integer, got '${text ?? ''}'.`);
  return Number(text);
}

/** A boolean query parameter (`true`/`false`), null when absent, or 400. */
export function booleanParam(query: URLSearchParams, name: string): boolean | null {
  const text = query.get(name);
  if (text === null) return null;
  if (text !== 'true' && text !== 'false') throw badRequest(`${name} must be true or false, got '${text}'.`);
  return text === 'true';
}

export const ok = (body: unknown): SimResponse => ({ status: 200, body });
