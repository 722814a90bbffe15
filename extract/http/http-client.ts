import { PassThrough, finished, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import iconv from 'iconv-lite';
import PQueue from 'p-queue';
import { Agent, request, type Dispatcher } from 'undici';
import { ProviderAuthError, ProviderBodyError, ProviderHttpError } from './provider-error.ts';

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

export type Query = Record<string, string | number | undefined>;

/** How the answer's body is read. */
export type BodyKind = 'json' | 'text' | 'bytes' | 'stream';

export interface RequestOptions {
  /** Default GET. */
  method?: string;
  query?: Query;
  /** Sent as JSON, or form-encoded when it is a `URLSearchParams` (OAuth2 token endpoints). */
  body?: unknown;
  /** Added to (and overriding) the client's own headers for this request only. */
  headers?: Record<string, string>;
  /**
   * Media types the answer may have (`application/xml`, `text/*`, `*\/*`); another is a
   * `ProviderBodyError`. By default JSON reads `application/json` and `+json`, text reads
   * `text/*` but HTML, XML, JSON and `application/octet-stream`, and bytes and streams anything
   * but HTML (an HTML page where data was due is a login or error page).
   */
  accept?: readonly string[];
}

export interface TextOptions extends RequestOptions {
  /**
   * How the bytes are decoded (any iconv-lite name: `cp437`, `windows-1252`, `utf-8`). Wins over
   * the charset the server states, which for exported files is often missing or wrong; without
   * either, UTF-8.
   */
  encoding?: string;
}

const defaultRetry: RetryPolicy = { timeoutMs: 30_000, baseDelayMs: 250, maxDelayMs: 30_000, maxRetryTimeMs: 5 * 60_000 };

const retryableCodes = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** One answer as it came off the wire: read in full, or (streams, status < 400) still flowing. */
type RawAnswer = { statusCode: number; headers: Record<string, string | string[] | undefined> } & (
  | { bytes: Buffer; stream?: undefined }
  | { bytes?: undefined; stream: Readable; closed: Promise<void> }
);

/**
 * The HTTP client every connector shares: keep-alive connections, the provider's rate policy
 * enforced before a request leaves, and retries with exponential backoff and full jitter on
 * 429, 5xx and dropped connections, honouring `Retry-After` and `X-Rate-Limit-Reset`. Bodies
 * are read as JSON, text in a given encoding, bytes, or a stream.
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

  async get<T>(path: string, query: Query = {}): Promise<HttpResponse<T>> {
    return this.json<T>(path, { query });
  }

  async send<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<HttpResponse<T>> {
    return this.json<T>(path, { method, query, body });
  }

  /** The body parsed as JSON; an empty body (204, 201 with a Location) is `undefined`. */
  async json<T>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const { answer, url, method } = await this.exchange('json', path, options);
    const bytes = answer.bytes!;
    if (bytes.length === 0) return { status: answer.statusCode, headers: answer.headers, body: undefined as T };
    const text = bytes.toString('utf8');
    try {
      return { status: answer.statusCode, headers: answer.headers, body: JSON.parse(text) as T };
    } catch (error) {
      throw this.bodyError(method, url, answer, 'JSON', text, 'its JSON does not parse; the provider may be having trouble, try again later', error);
    }
  }

  /** The body decoded as text: `options.encoding`, else the charset the server states, else UTF-8. */
  async text(path: string, options: TextOptions = {}): Promise<HttpResponse<string>> {
    if (options.encoding !== undefined && !iconv.encodingExists(options.encoding)) throw new RangeError(`HttpClient.text: unknown encoding "${options.encoding}"`);
    const { answer } = await this.exchange('text', path, options);
    const stated = charsetOf(header(answer.headers, 'content-type'));
    const encoding = options.encoding ?? (stated !== null && iconv.encodingExists(stated) ? stated : 'utf-8');
    return { status: answer.statusCode, headers: answer.headers, body: iconv.decode(answer.bytes!, encoding) };
  }

  /** The body as it came, for files small enough to hold (receipts, a zipped export). */
  async bytes(path: string, options: RequestOptions = {}): Promise<HttpResponse<Buffer>> {
    const { answer } = await this.exchange('bytes', path, options);
    return { status: answer.statusCode, headers: answer.headers, body: answer.bytes! };
  }

  /**
   * The body as a stream, for exports too large to hold: hand it straight to a reader. Retries
   * cover the request until the answer starts; a connection lost mid-body ends the stream with a
   * `ProviderHttpError`. The request holds its place in the rate policy's concurrency until the
   * stream is read to the end or destroyed, so read or destroy it before asking for more.
   */
  async stream(path: string, options: RequestOptions = {}): Promise<HttpResponse<Readable>> {
    const { answer } = await this.exchange('stream', path, options);
    return { status: answer.statusCode, headers: answer.headers, body: answer.stream! };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Sends until a success (status < 400) whose content type fits `kind`, retrying what can be. */
  private async exchange(kind: BodyKind, path: string, options: RequestOptions): Promise<{ answer: RawAnswer; url: URL; method: string }> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = new URL(path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let failure: { status: number | null; excerpt: string; wait: number | null; cause?: unknown };
      try {
        const answer = await this.run(kind, method, url, options);
        if (answer.statusCode < 400) {
          const type = header(answer.headers, 'content-type') ?? null;
          if (!accepts(kind, type, options.accept)) {
            const excerpt = answer.stream ? await excerptOf(answer.stream) : answer.bytes.subarray(0, 300).toString('utf8');
            this.log(`${method} ${this.describe(url)} ${answer.statusCode} ${type ?? 'untyped'}, not ${KIND_NAMES[kind]}: failed (${Date.now() - started} ms)`);
            throw this.bodyError(method, url, answer, KIND_NAMES[kind], excerpt, `it is ${type ?? 'of no stated type'}, not ${KIND_NAMES[kind]}; check the provider's base URL, or try again later if the provider is down`);
          }
          this.log(`${method} ${this.describe(url)} ${answer.statusCode}${kind === 'json' ? '' : ` ${kind} ${type ?? ''}`} (${Date.now() - started} ms)`);
          return { answer, url, method };
        }
        const excerpt = this.redact(answer.bytes!.subarray(0, 300).toString('utf8'));
        if (answer.statusCode !== 429 && answer.statusCode < 500) this.log(`${method} ${this.describe(url)} ${answer.statusCode}: failed (${Date.now() - started} ms)`);
        if (answer.statusCode === 401 || answer.statusCode === 403) {
          throw new ProviderAuthError(this.options.provider, method, this.describe(url), answer.statusCode, excerpt, this.options.authHint);
        }
        if (answer.statusCode !== 429 && answer.statusCode < 500) {
          throw new ProviderHttpError(this.options.provider, method, this.describe(url), answer.statusCode, excerpt, 'the request was refused');
        }
        failure = { status: answer.statusCode, excerpt, wait: serverWait(answer.headers) };
      } catch (error) {
        if (error instanceof ProviderHttpError) throw error;
        const code = (error as { code?: string }).code ?? '';
        if (!retryableCodes.has(code)) {
          this.log(`${method} ${this.describe(url)} ${code || (error as Error)?.name || 'error'}: failed (${Date.now() - started} ms)`);
          throw error;
        }
        failure = { status: null, excerpt: code, wait: null, cause: error };
      }
      const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
      // A 429 that does not say how long (Tripletex's never does) means the provider's window is
      // spent: waiting less than a window only spends more of the next one on refusals.
      const floor = failure.status === 429 ? this.options.rate.intervalMs : 0;
      const wait = failure.wait ?? floor + Math.random() * ceiling;
      if (Date.now() - started + wait > this.retry.maxRetryTimeMs) {
        this.log(`${method} ${this.describe(url)} ${failure.status ?? failure.excerpt}: failed, gave up after ${attempt + 1} attempts (${Date.now() - started} ms)`);
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

  /**
   * One attempt through the concurrency queue. A provider counts a request as in flight until
   * its body is read, so a streamed answer keeps its queue place until the stream closes.
   */
  private run(kind: BodyKind, method: string, url: URL, options: RequestOptions): Promise<RawAnswer> {
    if (kind !== 'stream') return this.queue.add(() => this.attempt(kind, method, url, options)) as Promise<RawAnswer>;
    return new Promise<RawAnswer>((resolve, reject) => {
      this.queue
        .add(async () => {
          const answer = await this.attempt(kind, method, url, options);
          resolve(answer);
          if (answer.stream) await answer.closed;
        })
        .catch(reject);
    });
  }

  private async attempt(kind: BodyKind, method: string, url: URL, options: RequestOptions): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept: acceptHeader(kind, options.accept), ...(await this.options.headers?.()), ...options.headers };
    let payload: string | undefined;
    if (options.body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = options.body.toString();
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
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
      const response = await request(url, { method: method as Dispatcher.HttpMethod, headers, body: payload, dispatcher: this.agent });
      slot.release();
      if (kind === 'stream' && response.statusCode < 400) return { statusCode: response.statusCode, headers: response.headers, ...this.relay(method, url, response.statusCode, response.body) };
      return { statusCode: response.statusCode, headers: response.headers, bytes: Buffer.from(await response.body.arrayBuffer()) };
    } finally {
      slot.release();
    }
  }

  /** The body handed on with backpressure; a broken connection becomes a typed error on it. */
  private relay(method: string, url: URL, status: number, body: Readable): { stream: Readable; closed: Promise<void> } {
    const out = new PassThrough();
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    body.on('error', (error: Error & { code?: string }) => {
      out.destroy(
        new ProviderHttpError(this.options.provider, method, this.describe(url), status, error.code ?? error.name,
          'the connection broke while the body was read; try again', { cause: error }),
      );
    });
    body.pipe(out);
    const closed = new Promise<void>((resolve) => {
      finished(out, (error) => {
        body.destroy();
        this.log(`${method} ${this.describe(url)} ${status} stream ${error ? `ended early after ${bytes} bytes` : `read, ${bytes} bytes`}`);
        resolve();
      });
    });
    return { stream: out, closed };
  }

  private bodyError(method: string, url: URL, answer: RawAnswer, expected: string, text: string, why: string, cause?: unknown): ProviderBodyError {
    const type = header(answer.headers, 'content-type') ?? null;
    return new ProviderBodyError(
      this.options.provider, method, this.describe(url), answer.statusCode, type === null ? null : this.redact(type), expected,
      this.redact(text.slice(0, 300)), this.redact(why), { cause },
    );
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

const KIND_NAMES: Record<BodyKind, string> = { json: 'JSON', text: 'text', bytes: 'bytes', stream: 'a file' };

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `text/plain; charset=ISO-8859-1` → `ISO-8859-1`. */
function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m ? m[1]! : null;
}

function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** `type/sub` against `type/sub`, `type/*`, `*\/*` or a suffix pattern `*\/*+json`. */
function matches(type: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === '*/*' || p === type) return true;
  if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
  if (p.startsWith('*/*+')) return type.endsWith(p.slice(3));
  return false;
}

const isJson = (t: string) => t === 'application/json' || t === 'text/json' || t.endsWith('+json');
const isHtml = (t: string) => t === 'text/html' || t === 'application/xhtml+xml';

function accepts(kind: BodyKind, contentType: string | null, accept: readonly string[] | undefined): boolean {
  // No stated type: JSON is judged by whether it parses; anything else is taken as it is.
  if (contentType === null || contentType.trim() === '') return true;
  const type = mediaType(contentType);
  if (accept) return accept.some((p) => matches(type, p));
  switch (kind) {
    case 'json':
      return isJson(type);
    case 'text':
      return (type.startsWith('text/') && !isHtml(type)) || type === 'application/xml' || type.endsWith('+xml') || isJson(type) || type === 'application/octet-stream';
    default:
      return !isHtml(type);
  }
}

function acceptHeader(kind: BodyKind, accept: readonly string[] | undefined): string {
  if (accept) return accept.join(', ');
  return kind === 'json' ? 'application/json' : kind === 'text' ? 'text/*, application/xml;q=0.9, */*;q=0.8' : '*/*';
}

/** The start of a streamed body, for an error; the rest is not read. */
async function excerptOf(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= 300) break;
    }
  } catch {
    // what was read is excerpt enough
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, 300).toString('utf8');
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
