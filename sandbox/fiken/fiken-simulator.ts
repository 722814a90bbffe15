// A local Fiken API v2 and its OAuth2 server on loopback, serving generated Norwegian
// companies through Fiken's real paths: /oauth/authorize (approves at once), /oauth/token,
// /oauth/revoke and /api/v2/… with bearer tokens, per-company consent and the API add-on,
// Fiken-Api-* paging headers, one request at a time and a per-second limit per user, and
// injected faults. Connectors and tests talk to it exactly as they would to fiken.no.
import {
  GrantStore,
  HttpSimulator,
  RateLimiter,
  Router,
  SimFailure,
  bearerToken,
  oauthErrorResponse,
  oauthRoutes,
  statusFailure,
  type Faults,
  type OAuthRoute,
  type RouteParams,
  type SimRequest,
  type SimResponse,
} from '../kit/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import type { SimulatedYearTruth } from '../kit/index.ts';
import { accountRoutes } from './account-endpoints.ts';
import { notFound } from './api-error.ts';
import { API_BASE, type ApiRoute, type FikenApproval, type FikenGrant, type FikenUser } from './api-route.ts';
import { companyRoutes } from './company-endpoints.ts';
import { companyTruth } from './company-truth.ts';
import { today } from './days.ts';
import { systemClock, type Clock } from '../../model/index.ts';
import { FikenCompany } from './fiken-company.ts';
import { ledgerRoutes } from './ledger-endpoints.ts';
import { mutateCompany, type FikenMutationPlan, type FikenMutationReport } from './mutations.ts';
import { partyRoutes } from './party-endpoints.ts';
import { uniqueSlugs } from './slug.ts';

export type { FikenMutationPlan, FikenMutationReport, JournalEntryKey } from './mutations.ts';
export type { SimulatedYearTruth } from '../kit/index.ts';

export interface FikenSimulatorOptions {
  /** Each a Fiken company; its slug comes from the name (lowercase, dashes), made unique. */
  companies: GeneratedCompany[];
  clientId?: string; // default 'sandbox-client-id'
  clientSecret?: string; // default 'sandbox-client-secret'
  /** Companies the person approves during consent (indexes into companies); default all. */
  approvedCompanies?: number[];
  /** Companies with hasApiAccess false (the API add-on not bought); default none. Their API paths answer 403. */
  withoutApiAccess?: number[];
  accessTokenTtlSeconds?: number; // default 86157, like Fiken's example
  /**
   * Fiken: one request at a time per user (a second concurrent request gets 429) and at most
   * `perSecond` per second (sliding 1 s window; over it → 429). Default 4.
   */
  perSecond?: number;
  port?: number; // default 0; always 127.0.0.1
  /**
   * How long the server works on each API request while holding the user's one-request slot
   * (default 2 ms). Without it every answer would be ready in the same tick and concurrent
   * requests could never overlap; the answer is written before the slot frees, so a strictly
   * serial client is never turned away.
   */
  serviceTimeMs?: number;
  /** Today's date for created and modified days, and the tokens' expiry; the system's by default. */
  clock?: Clock;
}

export interface FikenStats {
  /** Every HTTP request, OAuth endpoints included. */
  requests: number;
  /** 429s for more than `perSecond` requests in a second. */
  rateLimited: number;
  /** 429s for a request sent while another of the same user was in flight. */
  concurrentRejected: number;
  /** Faults served (injected 429s count here, not above). */
  injected: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Requests per decoded path, e.g. `/api/v2/companies/{slug}/journalEntries`, `/oauth/token`. */
  byPath: Record<string, number>;
}

type Handler = { kind: 'oauth'; route: OAuthRoute } | { kind: 'api'; route: ApiRoute };

const USER: FikenUser = { name: 'Sandbox Bruker', email: 'sandbox.bruker@fiken.example' };
/** All grants belong to the one simulated person, so the request rules share one key. */
const USER_KEY = 'sandbox-user';

export class FikenSimulator {
  readonly apiBaseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly companySlugs: string[];
  readonly faults: Faults;

  private readonly router = new Router<Handler>();
  private readonly gate: RateLimiter;
  private readonly serviceTimeMs: number;
  private readonly clock: Clock;
  private rateLimited = 0;
  private concurrentRejected = 0;

  private constructor(
    private readonly http: HttpSimulator,
    private readonly companies: FikenCompany[],
    private readonly grants: GrantStore<FikenApproval>,
    approved: ReadonlySet<number>,
    options: FikenSimulatorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.apiBaseUrl = http.origin + API_BASE;
    this.authorizeUrl = `${http.origin}/oauth/authorize`;
    this.tokenUrl = `${http.origin}/oauth/token`;
    this.revokeUrl = `${http.origin}/oauth/revoke`;
    this.clientId = options.clientId ?? 'sandbox-client-id';
    this.clientSecret = options.clientSecret ?? 'sandbox-client-secret';
    this.companySlugs = companies.map((c) => c.slug);
    this.faults = http.faults;
    // Fiken: one request in flight per user, and `perSecond` in any sliding second.
    this.gate = new RateLimiter({ limit: options.perSecond ?? 4, windowMs: 1000, window: 'sliding', concurrent: 1 });
    this.serviceTimeMs = options.serviceTimeMs ?? 2;
    const oauth = oauthRoutes(grants, {
      paths: { authorize: '/oauth/authorize', token: '/oauth/token', revoke: '/oauth/revoke' },
      realm: 'fiken',
      // The person approves the configured companies, always.
      consent: () => ({ companies: approved }),
    });
    for (const route of oauth) {
      this.router.add(route.method, route.pattern, { kind: 'oauth', route });
    }
    for (const route of [...companyRoutes(), ...accountRoutes(), ...ledgerRoutes(), ...partyRoutes()]) {
      this.router.add(route.method, API_BASE + route.pattern, { kind: 'api', route });
    }
  }

  static async start(options: FikenSimulatorOptions): Promise<FikenSimulator> {
    const n = options.companies.length;
    if (n === 0) throw new RangeError('FikenSimulator: give at least one company');
    const approved = indexes('approvedCompanies', options.approvedCompanies ?? options.companies.map((_, i) => i), n);
    const noApi = new Set(indexes('withoutApiAccess', options.withoutApiAccess ?? [], n));
    const ttl = options.accessTokenTtlSeconds ?? 86_157;
    if (!(ttl > 0)) throw new RangeError(`FikenSimulator: accessTokenTtlSeconds must be positive, got ${ttl}`);
    const serviceTime = options.serviceTimeMs ?? 2;
    if (!(serviceTime >= 0)) throw new RangeError(`FikenSimulator: serviceTimeMs must be 0 or more, got ${serviceTime}`);
    const perSecond = options.perSecond ?? 4;
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`FikenSimulator: perSecond must be a positive integer, got ${perSecond}`);
    // The company's objects were made long before any sync, as a real one's were.
    const clock = options.clock ?? systemClock;
    const createdDay = today(clock) - 30;
    const slugs = uniqueSlugs(options.companies.map((c) => c.organization.name));
    const companies: FikenCompany[] = [];
    for (let i = 0; i < n; i++) companies.push(await FikenCompany.build(options.companies[i]!, i, slugs[i]!, !noApi.has(i), createdDay));
    const grants = new GrantStore<FikenApproval>({
      clientId: options.clientId ?? 'sandbox-client-id',
      clientSecret: options.clientSecret ?? 'sandbox-client-secret',
      accessTokenTtlSeconds: ttl,
      codeTtlSeconds: 600,
      rotation: 'grace',
      clock,
    });
    let sim: FikenSimulator | null = null;
    const http = await HttpSimulator.start({
      // The OAuth server and the API share the port, so the framework sees whole paths.
      basePath: '',
      port: options.port ?? 0,
      requestIdHeader: 'x-sandbox-request-id',
      moneyScale: 0,
      handle: (req) => sim!.handle(req),
      errorResponse: (status, message) => oauthErrorResponse(statusFailure(status, message)),
    });
    sim = new FikenSimulator(http, companies, grants, new Set(approved), options);
    return sim;
  }

  stats(): FikenStats {
    const s = this.http.stats();
    return { requests: s.requests, rateLimited: this.rateLimited, concurrentRejected: this.concurrentRejected, injected: s.injected, refreshes: this.grants.refreshes, byPath: s.byPath };
  }

  resetStats(): void {
    this.http.resetStats();
    this.rateLimited = 0;
    this.concurrentRejected = 0;
    this.grants.refreshes = 0;
  }

  /** Every access token issued so far answers 401 from now on (refresh tokens still work). */
  expireAccessTokens(): void {
    this.grants.expireAccessTokens();
  }

  /** The person withdraws consent: every refresh token (invalid_grant) and access token (401) dies. */
  revokeConsent(): void {
    this.grants.revokeAll();
  }

  /** Deterministic changes to a company between two syncs (seeded); see mutations.ts. */
  mutate(companyIndex: number, plan: FikenMutationPlan): FikenMutationReport {
    return mutateCompany(this.company(companyIndex), plan, today(this.clock));
  }

  /** The company as it is served now (after mutations). */
  truth(companyIndex: number): { years: SimulatedYearTruth[] } {
    return companyTruth(this.company(companyIndex));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private company(index: number): FikenCompany {
    const c = this.companies[index];
    if (!c) throw new RangeError(`FikenSimulator: no company ${index}; it serves ${this.companies.length}`);
    return c;
  }

  private async handle(req: SimRequest): Promise<SimResponse> {
    const match = this.router.match(req.method, req.path);
    if (match.kind === 'not-found') return oauthErrorResponse(notFound(`No endpoint ${req.method} ${req.path}.`));
    if (match.kind === 'method-not-allowed') {
      return oauthErrorResponse(new SimFailure(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}.`, { Allow: match.allowed.join(', ') }));
    }
    if (match.handler.kind === 'oauth') return match.handler.route.handle(req);
    return this.api(match.handler.route, req, match.params);
  }

  private async api(route: ApiRoute, req: SimRequest, params: RouteParams): Promise<SimResponse> {
    let grant: FikenGrant;
    try {
      grant = this.grants.authenticate(bearerToken(req));
    } catch (error) {
      return failed(error);
    }
    const decision = this.gate.enter(USER_KEY);
    if (decision.kind === 'busy') {
      this.concurrentRejected++;
      return oauthErrorResponse(new SimFailure(429, 'too_many_requests', 'Only one concurrent API request is allowed per user; wait for the previous answer.'));
    }
    if (decision.kind === 'rate') {
      this.rateLimited++;
      return oauthErrorResponse(new SimFailure(429, 'too_many_requests', 'Too many requests per second; slow down.'));
    }
    try {
      if (this.serviceTimeMs > 0) await new Promise((resolve) => setTimeout(resolve, this.serviceTimeMs));
      const company = params.companySlug === undefined ? null : this.scoped(grant, params.companySlug, route);
      return route.handle({ req, params, grant, company, companies: this.companies, user: USER });
    } catch (error) {
      return failed(error);
    } finally {
      decision.leave();
    }
  }

  /** The company a slug names, if this grant reaches it with this route. */
  private scoped(grant: FikenGrant, slug: string, route: ApiRoute): FikenCompany {
    const c = this.companies.find((x) => x.slug === slug);
    if (!c) throw notFound(`No company with slug '${slug}'.`);
    if (!grant.approval.companies.has(c.index)) throw new SimFailure(403, 'forbidden', `The user has not given this app access to '${slug}'.`);
    if (!c.hasApiAccess && !route.withoutApiAccess) throw new SimFailure(403, 'forbidden', `'${slug}' has no API access (the API module is not activated).`);
    return c;
  }
}

function failed(error: unknown): SimResponse {
  if (error instanceof SimFailure) return oauthErrorResponse(error);
  throw error;
}

function indexes(name: string, list: readonly number[], n: number): number[] {
  for (const i of list) if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`FikenSimulator: ${name} has ${i}, not an index into the ${n} companies`);
  return [...list];
}
