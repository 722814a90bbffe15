import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import { Agent, request, type Dispatcher } from 'undici';
import { ProviderAuthError, ProviderHttpError } from './provider-error.ts';

/** How fast a provider lets us call it; the client never goes faster. */
export interface RatePolicy {
  /** Requests in flight at once. */
  concurrency: number;
  /** At most this many requests start within each `intervalMs`. */
  requestsPerInterval: number;
  intervalMs: number;
}

export interface RetryPolicy {
  /** Per request, until the response headers arrive. */
  timeoutMs: number;
  /** First backoff step; each retry doubles the ceiling (full jitter below it). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up when retrying one request has taken this long in total. */
  maxRetryTimeMs: number;
}

export interface HttpClientOptions {
  provider: string;
  baseUrl: string;
  rate: RatePolicy;
  retry?: Partial<RetryPolicy>;
  /** Auth and other headers, asked for on every attempt so a refreshed token is used. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Values that must never appear in a log line or an error (tokens, keys). */
  secrets?: () => string[];
  /** What the user must do when the provider refuses the credentials. */
  authHint: string;
  /** Debug log; every line is redacted first. */
  log?: (line: string) => void;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

const defaultRetry: RetryPolicy = { timeoutMs: 30_000, baseDelayMs: 250, maxDelayMs: 30_000, maxRetryTimeMs: 5 * 60_000 };

const retryableCodes = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/**
 * The HTTP client every connector shares: keep-alive connections, the provider's rate policy
 * enforced before a request leaves, and retries with exponential backoff and full jitter on
 * 429, 5xx and dropped connections, honouring `Retry-After` and `X-Rate-Limit-Reset`.
 */
export class HttpClient {
  private readonly queue: PQueue;
  private readonly agent: Dispatcher;
  private readonly retry: RetryPolicy;
  private readonly window: RequestWindow;

  constructor(private readonly options: HttpClientOptions) {
    // The queue bounds requests in flight; the window bounds how many leave per interval.
    this.queue = new PQueue({ concurrency: options.rate.concurrency });
    this.window = new RequestWindow(options.rate.requestsPerInterval, options.rate.intervalMs);
    this.retry = { ...defaultRetry, ...options.retry };
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: options.rate.concurrency, headersTimeout: this.retry.timeoutMs, bodyTimeout: this.retry.timeoutMs });
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<HttpResponse<T>> {
    return this.send<T>('GET', path, query);
  }

  /** `body`: JSON, or a form when it is `URLSearchParams`. */
  async send<T>(method: string, path: string, query: Record<string, string | number | undefined> = {}, body?: unknown): Promise<HttpResponse<T>> {
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let failure: { status: number | null; excerpt: string; wait: number | null; cause?: unknown };
      try {
        const response = await this.queue.add(() => this.attempt(method, url, body));
        if (response.statusCode < 400) {
          this.log(`${method} ${this.describe(url)} ${response.statusCode} (${Date.now() - started} ms)`);
          return { status: response.statusCode, headers: response.headers, body: (response.text === '' ? undefined : JSON.parse(response.text)) as T };
        }
        const excerpt = this.redact(response.text.slice(0, 300));
        if (response.statusCode === 401 || response.statusCode === 403) {
          throw new ProviderAuthError(this.options.provider, method, this.describe(url), response.statusCode, excerpt, this.options.authHint);
        }
        if (response.statusCode !== 429 && response.statusCode < 500) {
          throw new ProviderHttpError(this.options.provider, method, this.describe(url), response.statusCode, excerpt, 'the request was refused');
        }
        failure = { status: response.statusCode, excerpt, wait: serverWait(response.headers) };
      } catch (error) {
        if (error instanceof ProviderHttpError) throw error;
        const code = (error as { code?: string }).code ?? '';
        if (!retryableCodes.has(code)) throw error;
        failure = { status: null, excerpt: code, wait: null, cause: error };
      }
      const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
      // A 429 that does not say how long (Tripletex's never does) means the provider's window is
      // spent: waiting less than a window only spends more of the next one on refusals.
      const floor = failure.status === 429 ? this.options.rate.intervalMs : 0;
      const wait = failure.wait ?? floor + Math.random() * ceiling;
      if (Date.now() - started + wait > this.retry.maxRetryTimeMs) {
        throw new ProviderHttpError(
          this.options.provider, method, this.describe(url), failure.status, failure.excerpt,
          `it still failed after ${attempt + 1} attempts over ${Math.round((Date.now() - started) / 1000)} s; the provider may be down, try again later`,
          { cause: failure.cause },
        );
      }
      this.log(`${method} ${this.describe(url)} ${failure.status ?? failure.excerpt}: retry ${attempt + 1} in ${Math.round(wait)} ms`);
      await sleep(wait);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** One request, body included: a provider counts a request as in flight until it is read. */
  private async attempt(method: string, url: URL, body: unknown) {
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.options.headers?.()) };
    // A form (an OAuth token endpoint's) goes as one; any other body as JSON.
    const form = body instanceof URLSearchParams;
    if (body !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    // A slot is taken in the same synchronous step that sends the request, and counts until
    // the answer's headers are in plus a whole interval: the provider saw the request before
    // it answered, so however late this thread or the provider's is, the provider never sees
    // more than its limit within an interval. (Reading the body does not count: the provider
    // has long counted the request by then.)
    let slot = this.window.take();
    while (!('release' in slot)) {
      await slot.wait;
      slot = this.window.take();
    }
    try {
      const response = await request(url, { method: method as Dispatcher.HttpMethod, headers, body: body === undefined ? undefined : form ? body.toString() : JSON.stringify(body), dispatcher: this.agent });
      slot.release();
      return { statusCode: response.statusCode, headers: response.headers, text: await response.body.text() };
    } finally {
      slot.release();
    }
  }

  /** The path as it may be shown: no query string (it can hold tokens). */
  private describe(url: URL): string {
    return this.redact(url.pathname);
  }

  private redact(text: string): string {
    let out = text;
    for (const secret of this.options.secrets?.() ?? []) if (secret) out = out.split(secret).join('***');
    return out;
  }

  private log(line: string): void {
    this.options.log?.(this.redact(`[${this.options.provider}] ${line}`));
  }
}

/**
 * The provider's limit as a sliding window (fixed windows would allow twice the rate across a
 * boundary): at most `perInterval` requests hold a slot, from leaving until `intervalMs`
 * after their answer started to arrive.
 */
class RequestWindow {
  private readonly slots: { answeredAt: number }[] = [];
  private answered: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(
    private readonly perInterval: number,
    private readonly intervalMs: number,
  ) {}

  /** A slot to release when the answer is in, or what to wait for before asking again. */
  take(): { release: () => void } | { wait: Promise<unknown> } {
    const now = performance.now();
    for (let i = this.slots.length - 1; i >= 0; i--) if (now - this.slots[i]!.answeredAt >= this.intervalMs) this.slots.splice(i, 1);
    if (this.slots.length < this.perInterval) {
      const slot = { answeredAt: Number.POSITIVE_INFINITY };
      this.slots.push(slot);
      return {
        release: () => {
          if (Number.isFinite(slot.answeredAt)) return;
          slot.answeredAt = performance.now();
          this.answered?.resolve();
          this.answered = null;
        },
      };
    }
    const earliest = Math.min(...this.slots.map((s) => s.answeredAt));
    if (Number.isFinite(earliest)) return { wait: sleep(this.intervalMs - (now - earliest) + 1) };
    // Every slot is in flight: the first answer starts the first countdown.
    if (!this.answered) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.answered = { promise, resolve };
    }
    return { wait: this.answered.promise };
  }
}

/** How long the server asked us to wait, in ms: `Retry-After` (seconds or a date), else `X-Rate-Limit-Reset` (seconds). */
export function serverWait(headers: Record<string, string | string[] | undefined>): number | null {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  const reset = Number(header('x-rate-limit-reset'));
  return Number.isFinite(reset) && reset >= 0 ? reset * 1000 : null;
}
