// A small framework for local simulators of provider APIs (Tripletex now, Fiken next): a
// node:http server on loopback, a router over decoded paths, exact JSON text for money, fault
// injection and request statistics. The provider simulator supplies the request handler and
// the shape of its error body; everything provider-neutral lives here.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Requests and responses

export interface SimRequest {
  method: string;
  /** Decoded path below the base path, e.g. `/token/session/>whoAmI` (also sent as `%3EwhoAmI`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Unique per request; the provider echoes it in its request-id header and error bodies. */
  requestId: string;
}

export interface SimResponse {
  status: number;
  /** Serialised with `jsonText`; omitted for 204 and when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// JSON text with exact money

/** JSON text produced elsewhere (e.g. a projection written straight to text), embedded as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * JSON text of `value`, where every `bigint` is money in minor units written with `scale`
 * decimals (`-123456n`, scale 2 → `-1234.56`). Writing the digits ourselves keeps amounts exact
 * whatever their size: no float ever holds the money. `undefined` properties are left out.
 */
export function jsonText(value: unknown, scale: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return minorUnitsText(value, scale);
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof RawJson) return value.text;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + jsonText(value[i], scale);
        return out + ']';
      }
      let out = '{';
      let first = true;
      for (const key in value) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) continue;
        out += (first ? '' : ',') + JSON.stringify(key) + ':' + jsonText(v, scale);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

/** `-123456n` with scale 2 → `-1234.56`; scale 0 → the integer. */
export function minorUnitsText(minor: bigint, scale: number): string {
  if (scale === 0) return minor.toString();
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

// ---------------------------------------------------------------------------------------------
// Router

export type RouteParams = Record<string, string>;

interface Route<H> {
  method: string;
  pattern: string;
  segments: string[];
  params: number;
  handler: H;
}

export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams; pattern: string }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * Method + path pattern (`/company/{id}`) over decoded paths, so `>whoAmI`, `%3EwhoAmI` and
 * `:create` all match literally. Where a literal and a `{param}` both match, the literal wins.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = splitPath(pattern);
    const params = segments.filter(isParam).length;
    this.routes.push({ method: method.toUpperCase(), pattern, segments, params, handler });
    // Fewer parameters first: literal segments win over captures.
    this.routes.sort((a, b) => a.params - b.params);
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const segments = splitPath(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

const isParam = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], path: string[]): RouteParams | null {
  if (pattern.length !== path.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (isParam(p)) params[p.slice(1, -1)] = path[i]!;
    else if (p !== path[i]) return null;
  }
  return params;
}

// ---------------------------------------------------------------------------------------------
// Faults

export type Fault =
  | { kind: 'status'; status: number; count: number; path?: RegExp }
  | { kind: 'drop'; count: number; path?: RegExp }
  | { kind: 'slow'; delayMs: number; count: number; path?: RegExp };

export interface Faults {
  /** The next `count` requests (optionally only those whose path matches) get this fault. */
  inject(fault: Fault): void;
  clear(): void;
}

/**
 * Injected faults, first in first out. `path` is tested against the decoded path below the
 * base path (`/ledger/posting`, `/token/session/>whoAmI`).
 */
class FaultQueue implements Faults {
  private queue: { fault: Fault; left: number }[] = [];

  inject(fault: Fault): void {
    if (!Number.isInteger(fault.count) || fault.count < 1) throw new RangeError(`fault count must be a positive integer, got ${fault.count}`);
    if (fault.kind === 'status' && (fault.status < 100 || fault.status > 599)) throw new RangeError(`fault status must be an HTTP status, got ${fault.status}`);
    this.queue.push({ fault, left: fault.count });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault this request gets, if any; consumes one of its count. */
  take(path: string): Fault | null {
    for (const entry of this.queue) {
      const re = entry.fault.path;
      if (re) re.lastIndex = 0; // a /g or /y pattern must not carry state between requests
      if (re && !re.test(path)) continue;
      entry.left--;
      if (entry.left === 0) this.queue.splice(this.queue.indexOf(entry), 1);
      return entry.fault;
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Server

export interface HttpStats {
  requests: number;
  /** TCP connections accepted: with keep-alive, far fewer than requests. */
  connections: number;
  /** Faults served (status, drop and slow). */
  injected: number;
  /** Requests per decoded path below the base path, e.g. `/ledger/posting`, `/company/123`. */
  byPath: Record<string, number>;
}

export interface HttpSimulatorOptions {
  /** e.g. `/v2`; requests outside it answer 404 through `handle` with the path as sent. */
  basePath: string;
  /** Default 0: any free port. The server always binds 127.0.0.1. */
  port?: number;
  /** Header carrying the request id on every response, e.g. `x-tlx-request-id`. */
  requestIdHeader: string;
  /** Decimals of `bigint` money in response bodies (2 for NOK amounts, 0 for integer øre). */
  moneyScale: number;
  handle(request: SimRequest): SimResponse | Promise<SimResponse>;
  /** The provider's error answer for an injected `status` fault (or a request it cannot parse). */
  errorResponse(status: number, message: string, request: SimRequest): SimResponse;
}

export class HttpSimulator {
  readonly faults: Faults;
  private readonly queue: FaultQueue;
  private counters: HttpStats = { requests: 0, connections: 0, injected: 0, byPath: {} };
  private readonly sockets = new Set<Socket>();
  private readonly sleeping = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: HttpSimulatorOptions,
    /** e.g. `http://127.0.0.1:43117` */
    readonly origin: string,
  ) {
    this.queue = new FaultQueue();
    this.faults = this.queue;
  }

  static async start(options: HttpSimulatorOptions): Promise<HttpSimulator> {
    const server = createServer();
    // Longer than undici's default keep-alive so the client, not the server, closes idle sockets.
    server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const sim = new HttpSimulator(server, options, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      sim.sockets.add(socket);
      sim.counters.connections++;
      socket.once('close', () => sim.sockets.delete(socket));
    });
    server.on('request', (req, res) => void sim.serve(req, res));
    return sim;
  }

  /** e.g. `http://127.0.0.1:43117/v2` */
  get baseUrl(): string {
    return this.origin + this.options.basePath;
  }

  stats(): HttpStats {
    return { ...this.counters, byPath: { ...this.counters.byPath } };
  }

  resetStats(): void {
    this.counters = { requests: 0, connections: 0, injected: 0, byPath: {} };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Pending 'slow' faults end now; their requests see `closed` and answer nothing.
    for (const [t, wake] of this.sleeping) {
      clearTimeout(t);
      wake();
    }
    this.sleeping.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', this.origin);
    const base = this.options.basePath;
    const inBase = url.pathname === base || url.pathname.startsWith(base + '/');
    const decoded = decodePath(inBase ? url.pathname.slice(base.length) || '/' : url.pathname);
    const request: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: decoded ?? url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      requestId,
    };
    this.counters.requests++;
    this.counters.byPath[request.path] = (this.counters.byPath[request.path] ?? 0) + 1;

    let response: SimResponse;
    try {
      const fault = this.queue.take(request.path);
      if (fault) this.counters.injected++;
      if (fault?.kind === 'drop') {
        // The request was read in full; the client sees the connection close without an answer.
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'slow') await this.sleep(fault.delayMs);
      if (this.closed) return;
      if (fault?.kind === 'status') response = this.options.errorResponse(fault.status, `Injected fault: HTTP ${fault.status}.`, request);
      else if (decoded === null) response = this.options.errorResponse(400, 'The path is not valid percent-encoding.', request);
      else if (!inBase) response = this.options.errorResponse(404, `Nothing is served outside ${base}.`, request);
      else response = await this.options.handle(request);
    } catch (error) {
      response = this.options.errorResponse(500, error instanceof Error ? error.message : String(error), request);
    }
    this.write(res, response, requestId);
  }

  private write(res: ServerResponse, response: SimResponse, requestId: string): void {
    if (res.destroyed || this.closed) return;
    const headers: Record<string, string> = { ...response.headers, [this.options.requestIdHeader]: requestId };
    if (response.status === 204 || response.body === undefined) {
      res.writeHead(response.status, { ...headers, 'content-length': '0' });
      res.end();
      return;
    }
    const text = jsonText(response.body, this.options.moneyScale);
    res.writeHead(response.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text, 'utf8')) });
    res.end(text, 'utf8');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.sleeping.delete(t);
        resolve();
      }, ms);
      this.sleeping.set(t, resolve);
    });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Decodes each segment on its own, so an encoded `/` (`%2F`) cannot create a new segment. */
function decodePath(path: string): string | null {
  try {
    return path
      .split('/')
      .map((s) => decodeURIComponent(s).replaceAll('/', '%2F'))
      .join('/');
  } catch {
    return null;
  }
}
