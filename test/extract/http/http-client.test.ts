import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, serverWait, type HttpClientOptions, ProviderAuthError, ProviderHttpError } from '../../../extract/index.ts';

const TOKEN = 'employee-token-s3cr3t-0000';

/** A real HTTP server on loopback; `handle` decides each answer, `hits` records arrival times. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const hits: number[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(Date.now());
    handle(req, res, hits.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { baseUrl: `http://127.0.0.1:${port}/v2`, hits };
}

const servers: Server[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

function client(baseUrl: string, more: Partial<HttpClientOptions> = {}, log: string[] = []) {
  const c = new HttpClient({
    provider: 'tripletex',
    baseUrl,
    rate: { concurrency: 4, requestsPerInterval: 100, intervalMs: 1000 },
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetryTimeMs: 5_000, timeoutMs: 2_000 },
    headers: () => ({ authorization: `Basic ${Buffer.from(`0:${TOKEN}`).toString('base64')}` }),
    secrets: () => [TOKEN, Buffer.from(`0:${TOKEN}`).toString('base64')],
    authHint: 'create or share an employee token and enable the Integrations add-on',
    log: (line) => log.push(line),
    ...more,
  });
  clients.push(c);
  return c;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('the shared HTTP client', () => {
  it('survives a 429 storm, 5xx bursts and dropped connections without losing the answer', async () => {
    const { baseUrl, hits } = await serve((req, res, n) => {
      if (n <= 3) return json(res, 429, { message: 'slow down' }, { 'retry-after': '0' });
      if (n <= 5) return json(res, 503, { message: 'maintenance' });
      if (n === 6) return req.socket.destroy();
      json(res, 200, { values: [{ id: 1 }], url: req.url });
    });
    const log: string[] = [];
    const response = await client(baseUrl, {}, log).get<{ values: { id: number }[]; url: string }>('/ledger/voucher', { from: 0, count: 1000 });
    expect(response.body.values).toEqual([{ id: 1 }]);
    expect(response.body.url).toBe('/v2/ledger/voucher?from=0&count=1000');
    expect(hits).toHaveLength(7);
    expect(log.filter((l) => l.includes('retry'))).toHaveLength(6);
  });

  it('waits as long as X-Rate-Limit-Reset says before trying again', async () => {
    const { baseUrl, hits } = await serve((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'x-rate-limit-reset': '1' }) : json(res, 200, { ok: true }),
    );
    await client(baseUrl).get('/token/session/>whoAmI');
    expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(950);
  });

  it('never starts more requests per interval than the rate policy allows', async () => {
    const { baseUrl, hits } = await serve((_req, res) => json(res, 200, {}));
    const c = client(baseUrl, { rate: { concurrency: 10, requestsPerInterval: 3, intervalMs: 200 } });
    await Promise.all(Array.from({ length: 9 }, (_, i) => c.get(`/ledger/account/${i}`)));
    expect(hits).toHaveLength(9);
    // Any 3 + 1 consecutive requests span about one interval (arrival times jitter a little on
    // a busy machine), and nine take at least two.
    for (let i = 3; i < hits.length; i++) expect(hits[i]! - hits[i - 3]!).toBeGreaterThanOrEqual(150);
    expect(hits[8]! - hits[0]!).toBeGreaterThanOrEqual(390);
  });

  it('ends a refused login with what the user must do, without retrying and without the token', async () => {
    const { baseUrl, hits } = await serve((_req, res) => json(res, 401, { message: `invalid token ${TOKEN}` }));
    const error = await client(baseUrl).get('/ledger/voucher').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe(
      'tripletex: GET /v2/ledger/voucher answered 401: the credentials were refused; create or share an employee token and enable the Integrations add-on.',
    );
    expect((error as ProviderAuthError).bodyExcerpt).toBe('{"message":"invalid token ***"}');
    expect(hits).toHaveLength(1);
  });

  it('gives up after the total retry time with one clear sentence', async () => {
    const { baseUrl } = await serve((_req, res) => json(res, 502, { message: 'bad gateway' }));
    const error = await client(baseUrl, { retry: { baseDelayMs: 20, maxDelayMs: 40, maxRetryTimeMs: 300, timeoutMs: 1_000 } })
      .get('/ledger/posting')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as Error).message).toMatch(/^tripletex: GET \/v2\/ledger\/posting answered 502: it still failed after \d+ attempts over \d+ s; the provider may be down, try again later\.$/);
  });

  it('times out a request that never answers, and retries it', async () => {
    const { baseUrl, hits } = await serve((_req, res, n) => {
      if (n === 1) return; // never answers
      json(res, 200, { ok: true });
    });
    const response = await client(baseUrl, { retry: { timeoutMs: 200, baseDelayMs: 5, maxDelayMs: 10, maxRetryTimeMs: 5_000 } }).get<{ ok: boolean }>('/x');
    expect(response.body.ok).toBe(true);
    expect(hits).toHaveLength(2);
  });

  it('keeps secrets out of the debug log, even when they sit in the query string', async () => {
    const { baseUrl } = await serve((_req, res) => json(res, 200, {}));
    const log: string[] = [];
    await client(baseUrl, {}, log).get(`/token/session/:create`, { employeeToken: TOKEN });
    expect(log).toHaveLength(1);
    expect(log.join('\n')).not.toContain(TOKEN);
    expect(log[0]).toMatch(/^\[tripletex\] GET \/v2\/token\/session\/:create 200/);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(serverWait({ 'retry-after': '2' })).toBe(2000);
    expect(serverWait({ 'retry-after': new Date(Date.now() + 3000).toUTCString() })).toBeGreaterThan(1000);
    expect(serverWait({ 'x-rate-limit-reset': '4' })).toBe(4000);
    expect(serverWait({})).toBeNull();
  });
});
