// The simulators' HTTP server: node:http on loopback, answering JSON with exact money or any
// other body (text in an encoding, bytes, streams), with fault injection and request
// statistics. The provider simulator supplies the request handler and the shape of its error
// body; everything provider-neutral lives in the kit.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { FaultQueue, type Faults } from './faults.ts';
import { jsonText } from './json-text.ts';
import { BytesBody, StreamBody } from './response-body.ts';

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
  /**
   * A `BytesBody` (bytes, `textBody`) or `StreamBody` is written as it is with its own content type; anything
   * else is serialised with `jsonText`. Omitted for 204 and when undefined.
   */
  body?: unknown;
  headers?: Record<string, string>;
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
    const body = response.body;
    if (response.status === 204 || body === undefined) {
      res.writeHead(response.status, { ...headers, 'content-length': '0' });
      res.end();
      return;
    }
    if (body instanceof StreamBody) {
      res.writeHead(response.status, { ...headers, 'content-type': body.contentType });
      // A client that goes away mid-body ends the pipeline; nothing to answer then.
      pipeline(body.readable(), res).catch(() => res.destroy());
      return;
    }
    if (body instanceof BytesBody) {
      res.writeHead(response.status, { ...headers, 'content-type': body.contentType, 'content-length': String(body.bytes.byteLength) });
      res.end(body.bytes);
      return;
    }
    const text = jsonText(body, this.options.moneyScale);
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
