// A local Fortnox API v3 and its OAuth2 server on loopback, serving generated Swedish companies
// (one tenant each) through Fortnox's real paths: /oauth-v1/auth (the person decides at once),
// /oauth-v1/token (Basic client auth; refresh tokens rotate immediately), /oauth-v1/revoke
// and /3/… with bearer tokens, per-tenant integration licence and consent scopes,
// MetaInformation paging, ErrorInformation errors, 25 requests per 5 s per tenant and
// injected faults. Connectors and tests talk to it exactly as they would to fortnox.se.
import { systemClock, type Clock } from '../../model/index.ts';
import {
  GrantStore,
  HttpSimulator,
  RateLimiter,
  Router,
  SimFailure,
  bearerToken,
  oauthErrorResponse,
  oauthRoutes,
  type Faults,
  type OAuthRoute,
  type RouteParams,
  type SimRequest,
  type SimResponse,
  type SimulatedYearTruth,
} from '../kit/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { errorInformation, failureResponse, FortnoxFailure, FX } from './api-error.ts';
import { API_BASE, FORTNOX_SCOPES, type ApiRoute, type FortnoxApproval, type FortnoxGrant } from './api-route.ts';
import { bookkeepingRoutes } from './bookkeeping-endpoints.ts';
import { companyRoutes } from './company-endpoints.ts';
import { companyTruth } from './company-truth.ts';
import { documentRoutes } from './document-endpoints.ts';
import { FortnoxCompany } from './fortnox-company.ts';
import { DocumentStore, type FxDocument } from './fortnox-documents.ts';
import { mutateCompany, type FortnoxMutationPlan, type FortnoxMutationReport } from './mutations.ts';
import { registerRoutes } from './register-endpoints.ts';

export type { FortnoxMutationPlan, FortnoxMutationReport } from './mutations.ts';
export type { FxDocument } from './fortnox-documents.ts';

export interface FortnoxSimulatorOptions {
  /** Each a Fortnox tenant (generate with country 'SE'). */
  companies: GeneratedCompany[];
  clientId?: string; // default 'sandbox-client-id'
  clientSecret?: string; // default 'sandbox-client-secret'
  /** Scopes the app is registered for; a consent grants the requested ones among them. Default: all. */
  appScopes?: string[];
  /** Companies (indexes) without an integration licence: their API answers 2001103 "Api-licens saknas". */
  withoutIntegrationLicence?: number[];
  /** Documents per company (receipts, supplier and customer invoices), default 2 % of its vouchers (at least 10). */
  documents?: number;
  /** Fortnox: 25 requests per 5-second sliding window per tenant; tests may shorten both. */
  rateLimit?: { limit: number; windowMs: number };
  accessTokenTtlSeconds?: number; // default 3600
  refreshTokenTtlSeconds?: number; // default 45 days
  port?: number; // default 0; always 127.0.0.1
  /** Today, the tokens' expiry and `lastmodified` times; the system's by default. */
  clock?: Clock;
}

export interface FortnoxStats {
  /** Every HTTP request, OAuth endpoints included. */
  requests: number;
  /** 429s for more than the limit in the window (injected 429s count under `injected`). */
  rateLimited: number;
  injected: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** Requests per decoded path, e.g. `/3/sie/4`, `/oauth-v1/token`. */
  byPath: Record<string, number>;
}

type Handler = { kind: 'oauth'; route: OAuthRoute } | { kind: 'api'; route: ApiRoute };

export class FortnoxSimulator {
  readonly apiBaseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly faults: Faults;
  /** The tenant the person picks on the consent page (a consultant under an agency licence picks one); default 0. */
  consentCompany = 0;
  /** The person consenting lacks the rights to approve integrations: consent ends in `access_denied`. */
  consentWithoutRights = false;

  private readonly router = new Router<Handler>();
  private readonly gate: RateLimiter;
  private readonly clock: Clock;
  private rateLimited = 0;

  private constructor(
    private readonly http: HttpSimulator,
    private readonly companies: FortnoxCompany[],
    private readonly documentStores: DocumentStore[],
    private readonly grants: GrantStore<FortnoxApproval>,
    options: FortnoxSimulatorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.apiBaseUrl = http.origin + API_BASE;
    this.authorizeUrl = `${http.origin}/oauth-v1/auth`;
    this.tokenUrl = `${http.origin}/oauth-v1/token`;
    this.revokeUrl = `${http.origin}/oauth-v1/revoke`;
    this.clientId = options.clientId ?? 'sandbox-client-id';
    this.clientSecret = options.clientSecret ?? 'sandbox-client-secret';
    this.faults = http.faults;
    const rule = options.rateLimit ?? { limit: 25, windowMs: 5000 };
    this.gate = new RateLimiter({ limit: rule.limit, windowMs: rule.windowMs, window: 'sliding' });
    const appScopes = new Set(options.appScopes ?? FORTNOX_SCOPES);
    const oauth = oauthRoutes(grants, {
      paths: { authorize: '/oauth-v1/auth', token: '/oauth-v1/token' },
      realm: 'fortnox',
      consent: (q) => {
        if (this.consentWithoutRights) return null;
        const requested = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
        return { company: this.consentCompany, scopes: new Set(requested.filter((s) => appScopes.has(s))), service: q.get('account_type') === 'service' };
      },
    });
    for (const route of oauth) {
      const wrapped: OAuthRoute =
        route.pattern === '/oauth-v1/auth' ? { ...route, handle: (req) => this.authorize(route, req) }
        : route.pattern === '/oauth-v1/token' ? { ...route, handle: (req) => this.token(route, req) }
        : route;
      this.router.add(wrapped.method, wrapped.pattern, { kind: 'oauth', route: wrapped });
    }
    this.router.add('POST', '/oauth-v1/revoke', { kind: 'oauth', route: { method: 'POST', pattern: '/oauth-v1/revoke', handle: (req) => this.revoke(req) } });
    for (const route of [...companyRoutes(), ...bookkeepingRoutes(), ...registerRoutes(), ...documentRoutes()]) {
      this.router.add(route.method, API_BASE + route.pattern, { kind: 'api', route });
    }
  }

  static async start(options: FortnoxSimulatorOptions): Promise<FortnoxSimulator> {
    const n = options.companies.length;
    if (n === 0) throw new RangeError('FortnoxSimulator: give at least one company');
    const noLicence = new Set(options.withoutIntegrationLicence ?? []);
    for (const i of noLicence) if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`FortnoxSimulator: withoutIntegrationLicence has ${i}, not an index into the ${n} companies`);
    const ttl = options.accessTokenTtlSeconds ?? 3600;
    if (!(ttl > 0)) throw new RangeError(`FortnoxSimulator: accessTokenTtlSeconds must be positive, got ${ttl}`);
    const rule = options.rateLimit;
    if (rule && (!Number.isInteger(rule.limit) || rule.limit < 1 || !(rule.windowMs > 0))) throw new RangeError(`FortnoxSimulator: rateLimit needs a positive integer limit and a positive windowMs`);
    const clock = options.clock ?? systemClock;
    // The company's vouchers were last changed long before any sync.
    const createdAt = clock.now() - 30 * 86_400_000;
    const companies: FortnoxCompany[] = [];
    const stores: DocumentStore[] = [];
    for (let i = 0; i < n; i++) {
      const c = await FortnoxCompany.build(options.companies[i]!, i, !noLicence.has(i), createdAt);
      companies.push(c);
      const vouchers = c.vouchers.reduce((s, y) => s + y.length, 0);
      stores.push(new DocumentStore(c, options.documents ?? Math.max(10, Math.round(vouchers * 0.02))));
    }
    const grants = new GrantStore<FortnoxApproval>({
      clientId: options.clientId ?? 'sandbox-client-id',
      clientSecret: options.clientSecret ?? 'sandbox-client-secret',
      accessTokenTtlSeconds: ttl,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 45 * 86_400,
      codeTtlSeconds: 600,
      rotation: 'immediate',
      clock,
    });
    let sim: FortnoxSimulator | null = null;
    const http = await HttpSimulator.start({
      // The OAuth server and the API share the port (apps.fortnox.se and api.fortnox.se in life).
      basePath: '',
      port: options.port ?? 0,
      requestIdHeader: 'x-sandbox-request-id',
      moneyScale: 2,
      handle: (req) => sim!.handle(req),
      errorResponse: (status, message) => errorInformation(status, status >= 500 ? FX.systemException : null, message),
    });
    sim = new FortnoxSimulator(http, companies, stores, grants, options);
    return sim;
  }

  /** DatabaseNumber (tenant id) of each company. */
  get databaseNumbers(): number[] {
    return this.companies.map((c) => c.databaseNumber);
  }

  stats(): FortnoxStats {
    const s = this.http.stats();
    return { requests: s.requests, rateLimited: this.rateLimited, injected: s.injected, refreshes: this.grants.refreshes, byPath: s.byPath };
  }

  resetStats(): void {
    this.http.resetStats();
    this.rateLimited = 0;
    this.grants.refreshes = 0;
  }

  /** Every access token issued so far answers 401 from now on (refresh tokens still work). */
  expireAccessTokens(): void {
    this.grants.expireAccessTokens();
  }

  /** The customer withdraws every consent: refresh tokens (invalid_grant) and access tokens (401) die. */
  revokeConsent(): void {
    this.grants.revokeAll();
  }

  /** The documents of a company (what a documents stream should end up with). */
  documents(companyIndex: number): readonly FxDocument[] {
    this.company(companyIndex);
    return this.documentStores[companyIndex]!.all;
  }

  /** A document's file bytes. */
  documentContent(companyIndex: number, doc: FxDocument): Uint8Array {
    return this.documentStores[companyIndex]!.content(doc);
  }

  /** Deterministic changes between two syncs (new vouchers, corrections); see mutations.ts. */
  mutate(companyIndex: number, plan: FortnoxMutationPlan): FortnoxMutationReport {
    return mutateCompany(this.company(companyIndex), plan, this.clock);
  }

  /** The company as it is served now (after mutations); year keys are Fortnox's ids in `ids`. */
  truth(companyIndex: number): { years: SimulatedYearTruth[]; ids: number[] } {
    const c = this.company(companyIndex);
    return { ...companyTruth(c), ids: c.years.map((y) => y.id) };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private company(index: number): FortnoxCompany {
    const c = this.companies[index];
    if (!c) throw new RangeError(`FortnoxSimulator: no company ${index}; it serves ${this.companies.length}`);
    return c;
  }

  private async handle(req: SimRequest): Promise<SimResponse> {
    const match = this.router.match(req.method, req.path);
    if (match.kind === 'not-found') return errorInformation(404, FX.notFound, `No endpoint ${req.method} ${req.path}.`);
    if (match.kind === 'method-not-allowed') return { ...errorInformation(405, null, `${req.method} is not allowed on ${req.path}.`), headers: { Allow: match.allowed.join(', ') } };
    if (match.handler.kind === 'oauth') return match.handler.route.handle(req);
    return this.api(match.handler.route, req, match.params);
  }

  private async api(route: ApiRoute, req: SimRequest, params: RouteParams): Promise<SimResponse> {
    try {
      const grant: FortnoxGrant = this.grants.authenticate(bearerToken(req));
      const company = this.company(grant.approval.company);
      if (!company.hasIntegrationLicence) throw new FortnoxFailure(403, FX.noApiLicence, 'Api-licens saknas. (The company has no integration licence: it must order one in Fortnox.)');
      if (!grant.approval.scopes.has(route.scope)) throw new FortnoxFailure(403, FX.noScopeAccess, `Har inte behörighet för scope (the consent does not include the scope '${route.scope}').`);
      // Per client and tenant: every token of this consent's tenant shares the budget.
      const decision = this.gate.enter(`tenant:${company.databaseNumber}`);
      if (decision.kind !== 'enter') {
        this.rateLimited++;
        return errorInformation(429, null, 'Too many requests: at most 25 requests per 5 seconds per tenant.');
      }
      return await route.handle({ req, params, company, documents: this.documentStores[company.index]!, clock: this.clock, apiBaseUrl: this.apiBaseUrl });
    } catch (error) {
      if (error instanceof SimFailure) return failureResponse(error);
      throw error;
    }
  }

  /** The person lacking the rights to approve integrations gets Fortnox's own explanation back. */
  private authorize(route: OAuthRoute, req: SimRequest): SimResponse {
    if (!req.query.get('scope')) return { status: 400, body: { error: 'invalid_request', error_description: 'The parameter scope is required.' } };
    const res = route.handle(req);
    const location = res.headers?.Location;
    if (this.consentWithoutRights && location) {
      const target = new URL(location);
      if (target.searchParams.get('error') === 'access_denied') {
        target.searchParams.set('error_description', 'The user does not have the rights to approve integrations in this Fortnox company; a system administrator must do it.');
        return { ...res, headers: { ...res.headers, Location: target.toString() } };
      }
    }
    return res;
  }

  /** The token answer carries the granted scopes, space-separated, as Fortnox's does. */
  private token(route: OAuthRoute, req: SimRequest): SimResponse {
    const res = route.handle(req);
    if (res.status !== 200) return res;
    const body = res.body as { access_token: string };
    const grant = this.grants.authenticate(body.access_token);
    return { ...res, body: { ...body, scope: [...grant.approval.scopes].join(' ') } };
  }

  /** Fortnox revokes by refresh token: Basic client auth, `token=…&token_type_hint=refresh_token`. */
  private revoke(req: SimRequest): SimResponse {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const text = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = text.indexOf(':');
    if (colon < 0 || !this.grants.clientMatches(text.slice(0, colon), text.slice(colon + 1))) {
      return oauthErrorResponse(new SimFailure(401, 'invalid_client', 'Client authentication failed: send HTTP Basic client_id:client_secret.', { 'WWW-Authenticate': 'Basic realm="fortnox"' }));
    }
    const form = new URLSearchParams(req.body.toString('utf8'));
    const token = form.get('token');
    if (!token) return oauthErrorResponse(new SimFailure(400, 'invalid_request', 'The parameter token is required.'));
    const grant = this.grants.grantOfRefreshToken(token);
    if (grant) this.grants.revoke(grant);
    // RFC 7009: an unknown token is not an error.
    return { status: 200, body: { revoked: true } };
  }
}
