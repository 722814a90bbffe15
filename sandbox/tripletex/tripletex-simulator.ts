// A local Tripletex API v2 on loopback, serving generated companies through the real paths:
// session tokens and Basic auth (accountant clients included), the list envelope with
// `from`/`count`/`fields`, the ledger endpoints, rate limiting and injected faults. Connectors
// and tests talk to it exactly as they would to tripletex.no/v2.
import { HttpSimulator, RateLimiter, Router, type Faults, type SimRequest, type SimResponse } from '../kit/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { ApiFailure, defaultCode, errorResponse, statusText } from './api-error.ts';
import { companyTruth } from './company-truth.ts';
import type { SimulatedYearTruth } from '../kit/index.ts';
import { osloToday, systemClock, type Clock } from '../../model/index.ts';
import { ledgerRoutes } from './ledger-endpoints.ts';
import { masterRoutes } from './master-endpoints.ts';
import { mutateCompany, type MutationPlan, type MutationReport } from './mutations.ts';
import { COMPANY_ID_BASE, CURRENCIES, ServedCompany } from './served-company.ts';
import { sessionRoutes } from './session-endpoints.ts';
import { SessionStore } from './sessions.ts';
import type { CompanyInfo, EmployeeInfo, TxContext } from './tx-context.ts';
import { requestSelection, type TxRoute } from './tx-route.ts';

export type { MutationPlan, MutationReport, PartyKey, VoucherKey } from './mutations.ts';
export type { SimulatedYearTruth } from '../kit/index.ts';

export interface TripletexSimulatorOptions {
  /** Companies served. Without `accountant`, companies[0] is the token owner's own company. */
  companies: GeneratedCompany[];
  consumerToken?: string; // default 'sandbox-consumer-token'
  employeeToken?: string; // default 'sandbox-employee-token'
  /**
   * The employee token belongs to an accounting firm: Basic username 0 then only reaches
   * GET /token/session/>whoAmI and GET /company/>withLoginAccess; each company in `companies`
   * is a client reached with its company id as the Basic username. Default false: username 0
   * or companies[0]'s id reach companies[0].
   */
  accountant?: boolean;
  /** Tripletex-like fixed window per employee token × consumer token. Default { limit: 20, windowMs: 1000 }. */
  rateLimit?: { limit: number; windowMs: number };
  port?: number; // default 0 (any free port), always bound to 127.0.0.1
  /** Session expiry (Oslo days) and change timestamps read it; the system's by default. */
  clock?: Clock;
}

export interface TripletexStats {
  requests: number;
  /** 429s from the rate limiter (injected 429s count as `injected`). */
  rateLimited: number;
  /** Faults served. */
  injected: number;
  /** Requests per decoded path below /v2, e.g. `/ledger/posting`, `/token/session/>whoAmI`. */
  byPath: Record<string, number>;
}

interface Target {
  company: ServedCompany | null;
  info: CompanyInfo;
}

export class TripletexSimulator {
  readonly baseUrl: string;
  readonly consumerToken: string;
  readonly employeeToken: string;
  /** Tripletex company id of companies[i]. */
  readonly companyIds: number[];
  readonly faults: Faults;

  private readonly router = new Router<TxRoute>();
  private readonly sessions: SessionStore;
  private readonly limiter: RateLimiter;
  private readonly infos: CompanyInfo[];
  private readonly firm: CompanyInfo;
  private readonly employee: EmployeeInfo;
  private readonly urlBase: string;
  private readonly clock: Clock;
  private rateLimited = 0;

  private constructor(
    private readonly http: HttpSimulator,
    private readonly served: ServedCompany[],
    private readonly options: TripletexSimulatorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.baseUrl = http.baseUrl;
    this.urlBase = this.baseUrl.replace(/^https?:\/\//, ''); // Tripletex's `url`s carry no scheme
    this.faults = http.faults;
    this.consumerToken = options.consumerToken ?? 'sandbox-consumer-token';
    this.employeeToken = options.employeeToken ?? 'sandbox-employee-token';
    this.companyIds = served.map((c) => c.id);
    this.sessions = new SessionStore(this.consumerToken, this.employeeToken, () => osloToday(this.clock));
    // Tripletex: a fixed window per employee token × consumer token.
    this.limiter = new RateLimiter({ ...(options.rateLimit ?? { limit: 20, windowMs: 1000 }), window: 'fixed' });
    const nok = CURRENCIES[0]!;
    this.firm = { id: COMPANY_ID_BASE - 1, name: 'Sandbox Regnskap AS', orgNumber: '999888777', startDate: null, currency: nok, accountantOrSimilar: true, customerCompanyId: null };
    this.infos = served.map((c) => ({
      id: c.id,
      name: c.organization.name,
      orgNumber: c.organization.org_number,
      startDate: c.annualAccounts[0]!.start,
      currency: c.baseCurrency,
      accountantOrSimilar: false,
      customerCompanyId: options.accountant ? 70_001 + c.index : null,
    }));
    this.employee = {
      id: 5_001,
      firstName: 'Sandbox',
      lastName: 'Integrasjon',
      email: 'api@sandbox.invalid',
      companyId: options.accountant ? this.firm.id : this.infos[0]!.id,
    };
    const world = {
      sessions: this.sessions,
      countTokens: (consumer: string, employee: string) => this.count(consumer, employee),
      clients: () => (options.accountant ? this.infos : []),
    };
    for (const route of [...sessionRoutes(world), ...masterRoutes(), ...ledgerRoutes()]) this.router.add(route.method, route.pattern, route);
  }

  static async start(options: TripletexSimulatorOptions): Promise<TripletexSimulator> {
    if (options.companies.length === 0) throw new RangeError('TripletexSimulator: give at least one company');
    // The company's objects were made long before any sync, as a real one's were.
    const createdAt = (options.clock ?? systemClock).now() - 30 * 86_400_000;
    const served: ServedCompany[] = [];
    for (let i = 0; i < options.companies.length; i++) served.push(await ServedCompany.build(options.companies[i]!, i, createdAt));
    let sim: TripletexSimulator | null = null;
    const http = await HttpSimulator.start({
      basePath: '/v2',
      port: options.port ?? 0,
      requestIdHeader: 'x-tlx-request-id',
      moneyScale: 2,
      handle: (req) => sim!.handle(req),
      errorResponse: (status, message, req) => errorResponse(new ApiFailure(status, defaultCode(status), statusText(status), message), req.requestId),
    });
    sim = new TripletexSimulator(http, served, options);
    return sim;
  }

  stats(): TripletexStats {
    const s = this.http.stats();
    return { requests: s.requests, rateLimited: this.rateLimited, injected: s.injected, byPath: s.byPath };
  }

  resetStats(): void {
    this.http.resetStats();
    this.rateLimited = 0;
  }

  /** Every session token issued so far answers 401 from now on (a new one can be created). */
  expireSessions(): void {
    this.sessions.expireAll();
  }

  /** `:create` and all existing sessions answer 401 from now on. */
  revokeEmployeeToken(): void {
    this.sessions.revokeEmployeeToken();
  }

  /** Deterministic changes to a company between two syncs (seeded). Balanced vouchers only. */
  mutate(companyIndex: number, plan: MutationPlan): MutationReport {
    return mutateCompany(this.company(companyIndex), plan, this.clock.now());
  }

  /** The company as it stands now (after mutations), computed from the served data. */
  truth(companyIndex: number): { years: SimulatedYearTruth[] } {
    return companyTruth(this.company(companyIndex));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private company(index: number): ServedCompany {
    const c = this.served[index];
    if (!c) throw new RangeError(`TripletexSimulator: no company ${index}; it serves ${this.served.length}`);
    return c;
  }

  /**
   * Counts one request. Inside the limit every answer carries X-Rate-Limit-Limit/-Remaining/
   * -Reset; over it the answer is 429 for the rest of the window, and (as in Tripletex, issue
   * #103) without X-Rate-Limit-Reset.
   */
  private count(consumerToken: string, employeeToken: string): Record<string, string> {
    const verdict = this.limiter.enter(`${employeeToken}\u0000${consumerToken}`);
    const limit = this.limiter.rule.limit;
    const headers: Record<string, string> = {
      'X-Rate-Limit-Limit': String(limit),
      'X-Rate-Limit-Remaining': String(verdict.kind === 'enter' ? verdict.remaining : 0),
    };
    if (verdict.kind !== 'enter') {
      this.rateLimited++;
      throw new ApiFailure(429, null, 'Too Many Requests', 'Rate limit exceeded for this employee and consumer token; wait for the current period to end.', null, headers);
    }
    headers['X-Rate-Limit-Reset'] = String(Math.max(1, Math.ceil(verdict.resetMs / 1000)));
    return headers;
  }

  private context(target: Target): TxContext {
    return { urlBase: this.urlBase, company: target.company, companyInfo: target.info, employee: this.employee };
  }

  /** The company a Basic username reaches, or 401. */
  private target(username: string): Target & { firm: boolean } {
    const accountant = this.options.accountant ?? false;
    if (username === '' || username === '0') {
      return accountant ? { company: null, info: this.firm, firm: true } : { company: this.served[0]!, info: this.infos[0]!, firm: false };
    }
    const id = /^\d+$/.test(username) ? Number(username) : NaN;
    const index = accountant ? this.companyIds.indexOf(id) : id === this.companyIds[0] ? 0 : -1;
    if (index < 0) throw new ApiFailure(401, 3000, 'Unauthorized', `The employee has no login access to company '${username}'.`);
    return { company: this.served[index]!, info: this.infos[index]!, firm: false };
  }

  private handle(req: SimRequest): SimResponse {
    const match = this.router.match(req.method, req.path);
    if (match.kind === 'not-found') return errorResponse(new ApiFailure(404, 6000, 'Not Found', `No endpoint ${req.method} ${req.path}.`), req.requestId);
    if (match.kind === 'method-not-allowed') {
      return errorResponse(new ApiFailure(405, null, statusText(405), `${req.method} is not allowed on ${req.path}.`, null, { Allow: match.allowed.join(', ') }), req.requestId);
    }
    const route = match.handler;
    let headers: Record<string, string> = {};
    try {
      if (route.public) {
        const ctx = this.context({ company: this.served[0]!, info: this.infos[0]! });
        return route.handle({ req, params: match.params, ctx, sel: requestSelection(req) });
      }
      const { session, username } = this.sessions.authenticate(req.headers.authorization);
      const target = this.target(username);
      headers = this.count(session.consumerToken, session.employeeToken);
      if (target.firm && !route.firmAllowed) {
        throw new ApiFailure(403, 9000, 'Forbidden', "An accounting firm's session with username 0 only reaches GET /token/session/>whoAmI and GET /company/>withLoginAccess; use a client's company id as the username.");
      }
      const response = route.handle({ req, params: match.params, ctx: this.context(target), sel: requestSelection(req) });
      return { ...response, headers: { ...headers, ...response.headers } };
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      const response = errorResponse(error, req.requestId);
      return { ...response, headers: { ...headers, ...response.headers } };
    }
  }
}
