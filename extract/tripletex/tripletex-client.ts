import { HttpClient, type RatePolicy, type RetryPolicy } from '../http/http-client.ts';
import { ProviderAuthError } from '../http/provider-error.ts';
import { addDays, osloToday, systemClock, type Clock } from '../../model/index.ts';

export const TRIPLETEX_BASE_URLS = {
  production: 'https://tripletex.no/v2',
  test: 'https://api-test.tripletex.tech/v2',
} as const;

export interface TripletexCredentials {
  consumerToken: string;
  employeeToken: string;
}

/**
 * Tripletex publishes no numbers; this is the 20 requests a second its sandbox enforces. The
 * client's window counts each request until its answer is back, so no slack is needed.
 */
export const tripletexRate: RatePolicy = { concurrency: 4, requestsPerInterval: 20, intervalMs: 1000 };

export const TRIPLETEX_AUTH_HINT =
  'create an employee token for the user (Tripletex: the user\'s "API access" tab) or ask the company to share one, make sure the company has the Integrations add-on, then run "ledgerhouse connect" again';

export interface TripletexClientOptions {
  baseUrl: string;
  credentials: TripletexCredentials;
  /** An accountant's client company; absent means the token owner's own company. */
  clientCompanyId?: number | null;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
  /** Session expiry is counted in Oslo days of this clock's. */
  clock?: Clock;
}

export interface ListEnvelope<T> {
  fullResultSize?: number;
  from?: number;
  count?: number;
  versionDigest?: string | null;
  values: T[];
}

export interface Page<T> {
  values: T[];
  /** `fullResultSize`: deprecated and inexact, good for a progress estimate only. */
  estimatedTotal: number | null;
}

/** Session tokens live this many days; a new one is made a day before the old one lapses. */
const SESSION_DAYS = 7;

/**
 * Tripletex API v2 over the shared HTTP client: session tokens minted from the consumer and
 * employee tokens and renewed before they lapse, Basic auth per company, and paging by
 * offset until a short page (`fullResultSize` is not exact).
 */
export class TripletexClient {
  private readonly http: HttpClient;
  private session: { token: string; expires: string } | null = null;
  private minting: Promise<string> | null = null;
  /** What this connection calls now: session expiry, and where an incremental read starts. */
  readonly clock: Clock;

  constructor(private readonly options: TripletexClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      provider: 'tripletex',
      baseUrl: options.baseUrl,
      rate: options.rate ?? tripletexRate,
      retry: options.retry,
      headers: (): Record<string, string> => (this.session ? { authorization: basicAuth(options.clientCompanyId ?? 0, this.session.token) } : {}),
      secrets: () => [options.credentials.consumerToken, options.credentials.employeeToken, this.session?.token ?? ''],
      authHint: TRIPLETEX_AUTH_HINT,
      log: options.log,
    });
  }

  /** GET with a valid session; a 401 (session lapsed or revoked) mints a new one once, then fails. */
  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    await this.ensureSession();
    const used = this.session;
    try {
      return (await this.http.get<T>(path, query)).body;
    } catch (error) {
      if (!(error instanceof ProviderAuthError) || error.status !== 401) throw error;
      // Requests in flight all see the lapse; only the first replaces the session.
      if (this.session === used) this.session = null;
      await this.ensureSession();
      return (await this.http.get<T>(path, query)).body;
    }
  }

  /** Every page of a list, `count` rows at a time, until a page comes back short. */
  async *pages<T>(path: string, query: Record<string, string | number | undefined> = {}, count = 1000): AsyncGenerator<Page<T>> {
    for (let from = 0; ; ) {
      const envelope = await this.get<ListEnvelope<T>>(path, { ...query, from, count });
      yield { values: envelope.values, estimatedTotal: envelope.fullResultSize ?? null };
      if (envelope.values.length < count) return;
      from += envelope.values.length;
    }
  }

  /** Every row of a list, for the small ones (master data). */
  async all<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages<T>(path, query)) rows.push(...page.values);
    return rows;
  }

  async close(): Promise<void> {
    const token = this.session?.token;
    // A session we made and no longer need should not stay valid for a week. It authorises
    // its own deletion, so it is forgotten only after.
    if (token) await this.http.send('DELETE', `token/session/${encodeURIComponent(token)}`).catch(() => undefined);
    this.session = null;
    await this.http.close();
  }

  private async ensureSession(): Promise<void> {
    const session = this.session;
    if (session && osloToday(this.clock) < addDays(session.expires, -1)) return;
    this.minting ??= this.mint().finally(() => (this.minting = null));
    await this.minting;
  }

  private async mint(): Promise<string> {
    this.session = null;
    const expirationDate = addDays(osloToday(this.clock), SESSION_DAYS);
    const { consumerToken, employeeToken } = this.options.credentials;
    const response = await this.http.send<{ value: { token: string } }>('POST', 'token/session/:create', {}, { consumerToken, employeeToken, expirationDate });
    const token = response.body.value?.token;
    if (!token) throw new Error('tripletex: POST /token/session/:create answered without a session token; the API may have changed.');
    this.session = { token, expires: expirationDate };
    return token;
  }
}

function basicAuth(companyId: number, token: string): string {
  return `Basic ${Buffer.from(`${companyId}:${token}`).toString('base64')}`;
}
