import { HttpClient, type RatePolicy, type RetryPolicy } from '../http/http-client.ts';
import { ProviderAuthError } from '../http/provider-error.ts';
import type { OAuth2Session } from '../oauth2/index.ts';

/**
 * Fiken: "a single concurrent API-request" and slowed above four a second, per user. The
 * client's window counts each request until its answer is back, so no slack is needed.
 */
export const fikenRate: RatePolicy = { concurrency: 1, requestsPerInterval: 4, intervalMs: 1000 };

export const FIKEN_AUTH_HINT =
  'the company may lack the API add-on in Fiken, or may not be among the companies approved for the app (Rediger konto → Sikkerhet → Apper du har gitt tilgang til)';

/** The largest page Fiken serves. */
export const FIKEN_PAGE_SIZE = 100;

export interface FikenPage<T> {
  values: T[];
  /** `Fiken-Api-Result-Count`: the total, for progress. */
  estimatedTotal: number | null;
}

/**
 * One HTTP client (one queue) per consent key in this process: whatever reads through the
 * same consent at once (a sync, a company listing) shares it, so together they never exceed
 * Fiken's one-at-a-time rule.
 */
const clients = new Map<string, { client: HttpClient; users: number }>();

export class FikenClient {
  private readonly shared: { client: HttpClient; users: number };

  constructor(
    private readonly options: { baseUrl: string; session: OAuth2Session; consentKey: string; rate?: RatePolicy; retry?: Partial<RetryPolicy>; log?: (line: string) => void },
  ) {
    const key = `${options.baseUrl} ${options.consentKey}`;
    let shared = clients.get(key);
    if (!shared) {
      let token = '';
      const client = new HttpClient({
        provider: 'fiken',
        baseUrl: options.baseUrl,
        rate: options.rate ?? fikenRate,
        retry: options.retry,
        headers: async () => {
          token = await options.session.accessToken();
          return { authorization: `Bearer ${token}`, 'x-request-id': crypto.randomUUID() };
        },
        secrets: () => [token, ...options.session.secrets()],
        authHint: FIKEN_AUTH_HINT,
        log: options.log,
      });
      clients.set(key, (shared = { client, users: 0 }));
    }
    shared.users++;
    this.shared = shared;
    this.key = key;
  }

  private readonly key: string;

  /** GET; a 401 (the access token lapsed or was revoked) refreshes once, then fails. */
  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<{ body: T; headers: Record<string, string | string[] | undefined> }> {
    const used = await this.options.session.accessToken();
    try {
      return await this.shared.client.get<T>(path, query);
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
    }
    await this.options.session.refresh(used);
    try {
      return await this.shared.client.get<T>(path, query);
    } catch (error) {
      if (isUnauthorized(error)) throw this.options.session.consentLost('Fiken refused a freshly refreshed access token');
      throw error;
    }
  }

  /** Every page of a list: `page` from 0 to `Fiken-Api-Page-Count` − 1, both paging parameters always sent. */
  async *pages<T>(path: string, query: Record<string, string | number | undefined> = {}): AsyncGenerator<FikenPage<T>> {
    for (let page = 0; ; page++) {
      const { body, headers } = await this.get<T[]>(path, { ...query, page, pageSize: FIKEN_PAGE_SIZE });
      const pageCount = Number(header(headers, 'fiken-api-page-count'));
      const total = Number(header(headers, 'fiken-api-result-count'));
      yield { values: body, estimatedTotal: Number.isFinite(total) ? total : null };
      // Without the header, a short page is the last one.
      if (Number.isFinite(pageCount) ? page + 1 >= pageCount : body.length < FIKEN_PAGE_SIZE) return;
    }
  }

  async all<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages<T>(path, query)) rows.push(...page.values);
    return rows;
  }

  async close(): Promise<void> {
    if (--this.shared.users > 0) return;
    clients.delete(this.key);
    await this.shared.client.close();
  }
}

const isUnauthorized = (error: unknown) => error instanceof ProviderAuthError && error.status === 401;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
