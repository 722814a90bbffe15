import type { Readable } from 'node:stream';
import { HttpClient, type Query, type RatePolicy, type RetryPolicy } from '../http/http-client.ts';
import { ProviderAuthError, ProviderHttpError } from '../http/provider-error.ts';
import type { OAuth2Session } from '../oauth2/index.ts';
import { fortnoxRefusal } from './fortnox-errors.ts';

/**
 * Fortnox: 25 requests per sliding 5 seconds per client and tenant (one consent's token).
 * The client's window counts a request from leaving until 5 s after its answer, so it never
 * goes over; a few in flight at once keep the window busy despite the latency.
 */
export const fortnoxRate: RatePolicy = { concurrency: 4, requestsPerInterval: 25, intervalMs: 5000 };

/** The largest page Fortnox is known to serve; fewer pages, fewer requests of the 25. */
export const FORTNOX_PAGE_SIZE = 500;

export const FORTNOX_AUTH_HINT =
  'the consent may have been removed in Fortnox (Inställningar → Integrationer), or the company lacks the integration licence; run "ledgerhouse connect" for the organization again';

export interface FortnoxPage<T> {
  values: T[];
  /** `MetaInformation.@TotalResources`: the total, for progress and the incremental decision. */
  estimatedTotal: number | null;
  totalPages: number | null;
}

interface MetaInformation {
  '@TotalResources'?: number;
  '@TotalPages'?: number;
  '@CurrentPage'?: number;
}

/**
 * One HTTP client (one request window) per consent in this process: a sync and a company
 * listing of the same organization share Fortnox's 25 per 5 s instead of each taking them.
 * Each reader sends its own session's token (sessions of one consent share the stored pair).
 */
const clients = new Map<string, { client: HttpClient; users: number; sessions: Set<OAuth2Session> }>();

export interface FortnoxClientOptions {
  baseUrl: string;
  session: OAuth2Session;
  /** Identifies the consent (the tenant's token): readers of one consent share one window. */
  consentKey: string;
  /** The organization, for the sentences that say which command to run. */
  orgId: string;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
}

export class FortnoxClient {
  private readonly shared: { client: HttpClient; users: number; sessions: Set<OAuth2Session> };
  private readonly key: string;

  constructor(private readonly options: FortnoxClientOptions) {
    this.key = `${options.baseUrl} ${options.consentKey}`;
    let shared = clients.get(this.key);
    if (!shared) {
      const sessions = new Set<OAuth2Session>();
      const client = new HttpClient({
        provider: 'fortnox',
        baseUrl: options.baseUrl,
        rate: options.rate ?? fortnoxRate,
        retry: options.retry,
        secrets: () => [...sessions].flatMap((s) => s.secrets()),
        authHint: FORTNOX_AUTH_HINT,
        log: options.log,
      });
      clients.set(this.key, (shared = { client, users: 0, sessions }));
    }
    shared.users++;
    shared.sessions.add(options.session);
    this.shared = shared;
  }

  /** The pace this client keeps: the incremental read weighs requests against an export with it. */
  get rate(): RatePolicy {
    return this.options.rate ?? fortnoxRate;
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.authorized((http, headers) => http.json<T>(path, { query, headers }))).body;
  }

  /** A file (a SIE export) as a stream; read or destroy it before asking for more. */
  async stream(path: string, query: Query = {}): Promise<Readable> {
    return (await this.authorized((http, headers) => http.stream(path, { query, headers }))).body;
  }

  /** Every page of a list: `page` from 1 to `MetaInformation.@TotalPages`. */
  async *pages<T>(path: string, key: string, query: Query = {}): AsyncGenerator<FortnoxPage<T>> {
    for (let page = 1; ; page++) {
      const body = await this.get<Record<string, unknown> & { MetaInformation?: MetaInformation }>(path, { ...query, page, limit: FORTNOX_PAGE_SIZE });
      const values = (body[key] ?? []) as T[];
      if (!Array.isArray(values)) throw new ProviderHttpError('fortnox', 'GET', path, 200, '', `the answer has no "${key}" list; the API may have changed`);
      const meta = body.MetaInformation;
      const totalPages = numberOrNull(meta?.['@TotalPages']);
      yield { values, estimatedTotal: numberOrNull(meta?.['@TotalResources']), totalPages };
      // Without MetaInformation, a short page is the last one.
      if (totalPages !== null ? page >= totalPages : values.length < FORTNOX_PAGE_SIZE) return;
    }
  }

  async all<T>(path: string, key: string, query: Query = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages<T>(path, key, query)) rows.push(...page.values);
    return rows;
  }

  async close(): Promise<void> {
    this.shared.sessions.delete(this.options.session);
    if (--this.shared.users > 0) return;
    clients.delete(this.key);
    await this.shared.client.close();
  }

  /**
   * A request; a 401 (the access token lapsed or was revoked) refreshes once, then fails. A
   * refusal Fortnox explains (no licence, no rights, a missing scope) becomes its sentence.
   */
  private async authorized<R>(send: (http: HttpClient, headers: Record<string, string>) => Promise<R>): Promise<R> {
    const { session, orgId } = this.options;
    const used = await session.accessToken();
    try {
      return await send(this.shared.client, { authorization: `Bearer ${used}` });
    } catch (error) {
      if (!isUnauthorized(error)) throw fortnoxRefusal(error, orgId) ?? error;
    }
    const fresh = await session.refresh(used);
    try {
      return await send(this.shared.client, { authorization: `Bearer ${fresh}` });
    } catch (error) {
      if (isUnauthorized(error)) throw fortnoxRefusal(error, orgId) ?? session.consentLost('Fortnox refused a freshly refreshed access token (the integration was probably removed in Fortnox)');
      throw fortnoxRefusal(error, orgId) ?? error;
    }
  }
}

/** 401 alone: Fortnox answers 403 for what a new token cannot fix (licence, rights, scope). */
const isUnauthorized = (error: unknown) => error instanceof ProviderAuthError && error.status === 401 && fortnoxRefusal(error, '') === null;

function numberOrNull(v: unknown): number | null {
  const n = Number(v);
  return v !== undefined && v !== null && Number.isFinite(n) ? n : null;
}
