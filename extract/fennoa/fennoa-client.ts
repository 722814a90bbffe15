import { HttpClient, type RatePolicy, type RetryPolicy } from '../http/http-client.ts';
import { ProviderAuthError, ProviderHttpError } from '../http/provider-error.ts';
import { describe, FennoaShapeError, type FieldReport } from './fennoa-fields.ts';

/** "Fennoa API URL's are always the same, regardless of the company used" (notes §2.1). */
export const FENNOA_BASE_URL = 'https://app.fennoa.com/api';

/**
 * Fennoa: "max 100 active requests per second per IP address" (notes §2.1). The client's
 * window counts each request until its answer is back, so 100 a second never overlaps; a
 * handful in flight is enough to keep the window, not the round trips, the bottleneck.
 */
export const fennoaRate: RatePolicy = { concurrency: 10, requestsPerInterval: 100, intervalMs: 1000 };

/** The largest `limit` the ledger report takes (notes §2.2). */
export const FENNOA_PAGE_SIZE = 500;

export interface FennoaCredentials {
  apiUser: string;
  apiKey: string;
}

export interface FennoaClientOptions {
  baseUrl: string;
  credentials: FennoaCredentials;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
}

/** What to do about a refused API user and key, for the answer Fennoa gave. */
export const FENNOA_AUTH_HINT =
  'Fennoa refused the API user and key: the key is wrong or was revoked. Fennoa shows a key only once and allows one API user per company, ' +
  'so if the key was lost, delete the old API user in Fennoa (Käyttäjät) and create a new one (a company administrator must do it), then run "ledgerhouse connect" again';

const NOT_ALL_FUNCTIONS =
  'Fennoa says "Yritys ei ole Kaikki toiminnot -yritys": the company is not an all-functions ("Kaikki toiminnot") company, and only those have the API. ' +
  'Ask the accounting office to change the company to an all-functions company in Fennoa, then run "ledgerhouse connect" again';

const NOT_ADMIN =
  'the Fennoa user behind the API user lacks administrator rights, so the API user may not read the books. Have a company administrator create the API user ' +
  '(Fennoa → Käyttäjät → Luo uusi API-käyttäjä; only one per company: delete the old one first), then run "ledgerhouse connect" again';

/** The hint for a refusal, from the texts in its body. */
export function refusalHint(body: string): string {
  const text = errorTexts(body).join(' ') || body;
  if (/kaikki toiminnot/i.test(text)) return NOT_ALL_FUNCTIONS;
  if (/pääkäyttäj|ylläpitäj|administrator|admin rights/i.test(text)) return NOT_ADMIN;
  return FENNOA_AUTH_HINT;
}

/** `errors` of a Fennoa body: a string, a list, or `{field: [messages]}` (notes §2.4). */
export function errorTexts(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  const flat = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(flat) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, m]) => flat(m).map((t) => `${k}: ${t}`)) : [];
  return flat(errors);
}

type Query = Record<string, string | number | undefined>;

/** One answer's rows and where they came from, for the sentences about them. */
export interface FennoaPage {
  data: unknown;
  /** `GET accounting_api/get/ledger/2024-01-01/2024-01-31 page 2` */
  where: string;
  pagesCount: number | null;
}

/**
 * Fennoa's API over the shared HTTP client: HTTP Basic with the API user and key, the
 * `{status, data, errors}` envelope (status compared without case: the dimension docs spell
 * it `OK`), refusals turned into what the user must do, and `page`/`limit` paging.
 */
export class FennoaClient {
  private readonly http: HttpClient;

  constructor(
    options: FennoaClientOptions,
    readonly report: FieldReport,
  ) {
    const { apiUser, apiKey } = options.credentials;
    const authorization = `Basic ${Buffer.from(`${apiUser}:${apiKey}`, 'utf8').toString('base64')}`;
    this.http = new HttpClient({
      provider: 'fennoa',
      baseUrl: options.baseUrl,
      rate: options.rate ?? fennoaRate,
      retry: options.retry,
      headers: () => ({ authorization }),
      secrets: () => [apiKey, authorization.slice('Basic '.length)],
      authHint: FENNOA_AUTH_HINT,
      log: options.log,
    });
  }

  /** One answer, its envelope checked: `data` as it came. */
  async get(path: string, query: Query = {}, where = `GET ${path}`): Promise<{ data: unknown; body: Record<string, unknown> }> {
    let body: unknown;
    try {
      body = (await this.http.get<unknown>(path, query)).body;
    } catch (error) {
      throw explained(error);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: it is ${describe(body)}, not an object with "status" and "data". Fennoa may have changed its API; report this message.`);
    }
    const envelope = body as Record<string, unknown>;
    const status = envelope.status;
    if (typeof status !== 'string') {
      throw new FennoaShapeError(`Fennoa's answer to ${where} cannot be read: its "status" is ${describe(status)}, not "ok" or "error". Fennoa may have changed its API; report this message.`);
    }
    if (status.toLowerCase() !== 'ok') {
      const texts = errorTexts(JSON.stringify(envelope));
      throw new ProviderHttpError('fennoa', 'GET', `/${path}`, 200, texts.join('; '), `Fennoa answered status "${status}"${texts.length ? `: ${texts.join('; ')}` : ''}`);
    }
    return { data: envelope.data, body: envelope };
  }

  /** Every page of a paged list: `page` from 1 until `pagination.pagesCount`, or until a page comes back short. */
  async *pages(path: string, query: Query = {}, limit = FENNOA_PAGE_SIZE): AsyncGenerator<FennoaPage> {
    for (let page = 1; ; page++) {
      const where = `GET ${path}${page > 1 ? ` page ${page}` : ''}`;
      const { data, body } = await this.get(path, { ...query, page, limit }, where);
      const pagination = body.pagination as { pagesCount?: unknown } | undefined;
      const pagesCount = typeof pagination?.pagesCount === 'number' ? pagination.pagesCount : null;
      if (pagesCount === null) this.report.missing(path.split('/').slice(0, 3).join('/'), 'pagination.pagesCount', where);
      yield { data, where, pagesCount };
      const rows = Array.isArray(data) ? data.length : 0;
      if (pagesCount !== null ? page >= pagesCount : rows < limit) return;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** A refusal with what to do for the reason Fennoa gave; a 400 with the texts of its `errors`. */
function explained(error: unknown): unknown {
  if (!(error instanceof ProviderHttpError) || error.status === null) return error;
  if (error instanceof ProviderAuthError) {
    return new ProviderAuthError(error.provider, error.method, error.path, error.status, error.bodyExcerpt, refusalHint(error.bodyExcerpt));
  }
  const texts = errorTexts(error.bodyExcerpt);
  if (texts.length === 0 || error.status >= 500 || error.status === 429) return error;
  return new ProviderHttpError(error.provider, error.method, error.path, error.status, error.bodyExcerpt, `Fennoa says: ${texts.join('; ')}`, { cause: error });
}
