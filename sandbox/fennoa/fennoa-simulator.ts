// A local Fennoa API on loopback, serving a generated Finnish company through the paths and
// envelopes of the engineering notes (§2): HTTP Basic with the API user and key, the
// accounting_api (periods, accounts, vatcodes, opening balances, the paged ledger report) and
// the dimension_api, Fennoa's Finnish error texts, its limit of 100 requests a second per IP
// address, and injected faults. No Fennoa response has ever been recorded (notes §2.4): the row
// fields are the notes' inferred ones, and `reshape` lets a test serve others.
import { systemClock, type Clock } from '../../model/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { HttpSimulator, RateLimiter, Router, type Faults, type RouteParams, type SimRequest, type SimResponse, type SimulatedYearTruth } from '../kit/index.ts';
import { FennoaCompany, type Statement } from './fennoa-company.ts';
import { mutateCompany, type FennoaMutationPlan, type FennoaMutationReport } from './fennoa-mutations.ts';
import { companyTruth } from './fennoa-truth.ts';

export type { FennoaMutationPlan, FennoaMutationReport, StatementKey } from './fennoa-mutations.ts';

/** The endpoints whose rows `reshape` may change. */
export type FennoaEndpoint = 'periods' | 'accounts' | 'vatcodes' | 'opening_balances' | 'ledger' | 'dimension_types' | 'dimensions';

/** Why the API user is refused: Fennoa's reasons, each with its own text. */
export type FennoaRefusal = 'wrong-key' | 'not-admin' | 'not-all-functions';

export interface FennoaSimulatorOptions {
  /** One company: an API user belongs to the company it was created in. */
  company: GeneratedCompany;
  apiUser?: string; // default 'sandbox-api-user'
  apiKey?: string; // default 'sandbox-api-key'
  /** Requests a second per IP address (sliding second; also the cap on requests in flight). Default 100, Fennoa's. */
  perSecond?: number;
  port?: number;
  /** The rows of an endpoint as served; return another value to serve something else (a field renamed, the list an object). */
  reshape?: (endpoint: FennoaEndpoint, data: Record<string, unknown>[]) => unknown;
  clock?: Clock;
}

export interface FennoaStats {
  requests: number;
  /** 429s for more than `perSecond` requests in a second. */
  rateLimited: number;
  injected: number;
  byPath: Record<string, number>;
}

/** The accounting API's texts (Finnish, as Fennoa answers); the notes give only their meaning. */
export const FENNOA_TEXTS = {
  unauthorized: 'API-avain tai yritystunnus on virheellinen tai käyttäjällä ei ole oikeuksia',
  notAdmin: 'API-käyttäjän luojalla ei ole pääkäyttäjän oikeuksia',
  notAllFunctions: 'Yritys ei ole Kaikki toiminnot -yritys',
  tooMany: 'Liian monta pyyntöä: enintään 100 aktiivista pyyntöä sekunnissa IP-osoitetta kohden',
  notFound: 'Resurssia ei löytynyt',
  badLimit: 'Parametri limit saa olla enintään 500',
  badDate: 'Virheellinen päivämäärä',
} as const;

const MAX_LIMIT = 500;

type Handler = (req: SimRequest, params: RouteParams) => SimResponse;

export class FennoaSimulator {
  readonly baseUrl: string;
  readonly apiUser: string;
  readonly apiKey: string;
  readonly faults: Faults;
  private readonly router = new Router<Handler>();
  private readonly gate: RateLimiter;
  private rateLimited = 0;
  private refusal: FennoaRefusal | null = null;

  private constructor(
    private readonly http: HttpSimulator,
    private readonly company: FennoaCompany,
    private readonly options: FennoaSimulatorOptions,
  ) {
    this.baseUrl = http.baseUrl;
    this.apiUser = options.apiUser ?? 'sandbox-api-user';
    this.apiKey = options.apiKey ?? 'sandbox-api-key';
    this.faults = http.faults;
    const perSecond = options.perSecond ?? 100;
    this.gate = new RateLimiter({ limit: perSecond, windowMs: 1000, window: 'sliding', concurrent: perSecond });
    const c = company;
    this.router
      .add('GET', '/accounting_api/get/periods', () =>
        this.list('periods', c.periods.map((p) => ({ id: p.id, start_date: p.start, end_date: p.end, is_closed: p.closed ? 1 : 0 }))),
      )
      .add('GET', '/accounting_api/get/accounts', () =>
        this.list('accounts', c.accounts.map((a) => ({ code: a.code, name_fi: a.name, name_en: null, name_sv: null, is_active: a.active ? 1 : 0 }))),
      )
      .add('GET', '/accounting_api/get/vatcodes', () =>
        this.list('vatcodes', c.vatCodes.map((v) => ({ id: v.id, code: v.code, name_fi: v.name, percentage: v.percentage }))),
      )
      .add('GET', '/accounting_api/get/opening_balances/{period_id}', (_req, { period_id }) => {
        const period = c.period(Number(period_id));
        if (!period) return failure(404, FENNOA_TEXTS.notFound);
        const opening = c.openings().get(period.id)!;
        return this.list('opening_balances', [...opening].filter(([, cents]) => cents !== 0n).map(([account, cents]) => ({ account, balance: cents })));
      })
      .add('GET', '/accounting_api/get/ledger/{start_date}/{end_date}', (req, { start_date, end_date }) => this.ledger(req, start_date!, end_date!))
      .add('GET', '/dimension_api/get/types', () =>
        this.list('dimension_types', c.dimensionTypes.map((t) => ({ id: t.id, name_fi: t.name_fi, name_en: t.name_en, name_sv: t.name_sv })), 'OK'),
      )
      .add('GET', '/dimension_api', (req) => {
        const type = req.query.get('dimension_type_id');
        const active = req.query.get('is_active');
        const code = req.query.get('code');
        const rows = c.dimensions
          .filter((d) => (type === null || String(d.typeId) === type) && (active === null || (d.active ? '1' : '0') === active) && (code === null || d.code === code))
          .map((d) => ({ id: d.id, dimension_type_id: d.typeId, code: d.code, name_fi: d.name, name_en: null, name_sv: null, description: null, is_active: d.active ? 1 : 0, active_after: null }));
        return this.list('dimensions', rows, 'OK');
      });
  }

  static async start(options: FennoaSimulatorOptions): Promise<FennoaSimulator> {
    const perSecond = options.perSecond ?? 100;
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`FennoaSimulator: perSecond must be a positive integer, got ${perSecond}`);
    const company = await FennoaCompany.build(options.company);
    let sim: FennoaSimulator | null = null;
    const http = await HttpSimulator.start({
      basePath: '/api',
      port: options.port ?? 0,
      requestIdHeader: 'x-sandbox-request-id',
      // Euros with cents: `121.00`.
      moneyScale: 2,
      handle: (req) => sim!.handle(req),
      errorResponse: (status, message) => failure(status, message),
    });
    sim = new FennoaSimulator(http, company, options);
    return sim;
  }

  /** e.g. `http://127.0.0.1:43117` */
  get origin(): string {
    return this.http.origin;
  }

  get companyName(): string {
    return this.company.name;
  }

  get businessId(): string | null {
    return this.company.businessId;
  }

  /** From now on every request is refused for `reason` (null: accepted again). */
  refuse(reason: FennoaRefusal | null): void {
    this.refusal = reason;
  }

  stats(): FennoaStats {
    const s = this.http.stats();
    return { requests: s.requests, rateLimited: this.rateLimited, injected: s.injected, byPath: s.byPath };
  }

  resetStats(): void {
    this.http.resetStats();
    this.rateLimited = 0;
  }

  mutate(plan: FennoaMutationPlan): FennoaMutationReport {
    return mutateCompany(this.company, plan);
  }

  /** The company as it is served now; one company, index 0. */
  truth(companyIndex = 0): { years: SimulatedYearTruth[] } {
    if (companyIndex !== 0) throw new RangeError(`FennoaSimulator: it serves one company, not company ${companyIndex}`);
    return companyTruth(this.company);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: SimRequest): Promise<SimResponse> {
    const refused = this.authenticate(req);
    if (refused) return refused;
    const verdict = this.gate.enter('127.0.0.1');
    if (verdict.kind !== 'enter') {
      this.rateLimited++;
      return failure(429, FENNOA_TEXTS.tooMany);
    }
    try {
      const match = this.router.match(req.method, req.path);
      if (match.kind === 'not-found') return failure(404, FENNOA_TEXTS.notFound);
      // "405 = wrong HTTP method" (notes §2.1).
      if (match.kind === 'method-not-allowed') return { ...failure(405, `Väärä HTTP-metodi ${req.method}`), headers: { Allow: match.allowed.join(', ') } };
      return match.handler(req, match.params);
    } finally {
      verdict.leave();
    }
  }

  /** HTTP Basic: user = the API user, password = its key (UTF-8). */
  private authenticate(req: SimRequest): SimResponse | null {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const ok = colon > 0 && decoded.slice(0, colon) === this.apiUser && decoded.slice(colon + 1) === this.apiKey;
    if (!ok || this.refusal === 'wrong-key') return { ...failure(401, FENNOA_TEXTS.unauthorized), headers: { 'WWW-Authenticate': 'Basic realm="Fennoa API"' } };
    if (this.refusal === 'not-admin') return failure(403, FENNOA_TEXTS.notAdmin);
    if (this.refusal === 'not-all-functions') return failure(403, FENNOA_TEXTS.notAllFunctions);
    return null;
  }

  private list(endpoint: FennoaEndpoint, rows: Record<string, unknown>[], status = 'ok', pagination?: object): SimResponse {
    const data = this.options.reshape ? this.options.reshape(endpoint, rows) : rows;
    return { status: 200, body: { status, ...(pagination ? { pagination } : {}), data } };
  }

  /** The ledger report: every statement row dated within [start, end], `limit` rows a page, statements in date order. */
  private ledger(req: SimRequest, start: string, end: string): SimResponse {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)) return failure(400, `${FENNOA_TEXTS.badDate}: ${start}/${end}`);
    const page = positive(req.query.get('page'), 1);
    const limit = positive(req.query.get('limit'), 100);
    if (page === null || limit === null) return failure(400, 'Parametrit page ja limit ovat positiivisia kokonaislukuja');
    if (limit > MAX_LIMIT) return failure(400, FENNOA_TEXTS.badLimit);
    const c = this.company;
    const [first, last] = c.statementRange(start, end);
    const offset = c.rowsBefore(first);
    const total = c.rowsBefore(last) - offset;
    const from = Math.min(total, (page - 1) * limit);
    const to = Math.min(total, from + limit);
    const rows: Record<string, unknown>[] = [];
    if (from < to) {
      let s = c.statementOfRow(offset + from);
      let r = offset + from - c.rowsBefore(s);
      for (let n = from; n < to; n++) {
        const st = c.statements[s]!;
        rows.push(ledgerRow(st, r));
        if (++r >= st.rows.length) {
          s++;
          r = 0;
        }
      }
    }
    return this.list('ledger', rows, 'ok', { page, limit, pagesCount: Math.ceil(total / limit) });
  }
}

/** One row of the ledger report; `debit` or `credit`, positive, the other null (notes §2.2, §2.5). */
function ledgerRow(s: Statement, r: number): Record<string, unknown> {
  const row = s.rows[r]!;
  const out: Record<string, unknown> = {
    statement_id: s.id,
    statement_series_code: s.series,
    statement_no: s.no,
    entry_date: s.date,
    statement_description: s.description,
    description: row.description,
    account: Number(row.account),
    debit: row.amount >= 0n ? row.amount : null,
    credit: row.amount < 0n ? -row.amount : null,
    vatcode: row.vatId,
  };
  for (const [type, code] of row.dims) out[`dim_${type}`] = code;
  return out;
}

/** `{"status":"error","errors":[…]}` (notes §2.4). */
function failure(status: number, message: string): SimResponse {
  return { status, body: { status: 'error', errors: [message] } };
}

function positive(text: string | null, otherwise: number): number | null {
  if (text === null) return otherwise;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : null;
}
