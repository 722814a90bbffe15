// A loopback HTTP proxy in front of a simulator that keeps a copy of every answer, so a test
// can check afterwards that each one is what the provider's spec declares, whichever process
// (this one or a `ledgerhouse sync` child) asked. It forwards byte for byte and passes faults
// on: a connection the simulator drops is dropped toward the client too.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedAnswer {
  method: string;
  /** Path as the client sent it, without the query, e.g. `/v2/token/session/%3EwhoAmI`. */
  path: string;
  status: number;
  contentType: string;
  body: string;
}

export class RecordingProxy {
  readonly answers: ServedAnswer[] = [];
  /** Requests forwarded since the last `countRequests` reset. */
  requests = 0;
  private readonly listeners = new Set<(count: number) => void>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** e.g. `http://127.0.0.1:43117`: what clients talk to instead of the simulator. */
    readonly origin: string,
    private readonly upstream: URL,
  ) {}

  /** A proxy on a free loopback port forwarding to `upstreamOrigin` (e.g. `http://127.0.0.1:40000`). */
  static async start(upstreamOrigin: string): Promise<RecordingProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const proxy = new RecordingProxy(server, `http://127.0.0.1:${port}`, new URL(upstreamOrigin));
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      // A client killed mid-request resets its socket; that is the test's doing, not an error.
      socket.on('error', () => undefined);
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    server.on('request', (req, res) => proxy.forward(req, res));
    return proxy;
  }

  /** Calls `listener` with the running request count as each request arrives; returns its removal. */
  onRequest(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resetRequestCount(): void {
    this.requests = 0;
  }

  async close(): Promise<void> {
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    for (const listener of this.listeners) listener(this.requests);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    // A new upstream connection per request: a reused socket the simulator closed meanwhile
    // would look like a dropped connection the simulator never meant.
    const upstream = httpRequest(
      { host: this.upstream.hostname, port: this.upstream.port, method, path: url, headers: { ...endToEndHeaders(req.headers), host: this.upstream.host }, agent: false },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          this.answers.push({
            method,
            path: url.split('?')[0]!,
            status: answer.statusCode ?? 0,
            contentType: String(answer.headers['content-type'] ?? ''),
            body: body.toString('utf8'),
          });
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, endToEnd(answer.rawHeaders));
          res.end(body);
        });
        answer.on('error', () => req.socket.destroy());
      },
    );
    // The simulator dropped the connection (an injected fault): so does the proxy.
    upstream.on('error', () => req.socket.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }
}

// Hop-by-hop headers describe one connection; each side of the proxy has its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);

function endToEnd(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

function endToEndHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}
