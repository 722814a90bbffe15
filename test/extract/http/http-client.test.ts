import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, serverWait, type HttpClientOptions, ProviderAuthError, ProviderBodyError, ProviderHttpError } from '../../../extract/index.ts';

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

  it('logs every failed request too, redacted: refused, not found, given up, unreachable', async () => {
    const { baseUrl } = await serve((req, res) => {
      if (req.url!.includes('refused')) return json(res, 401, { message: `invalid token ${TOKEN}` });
      if (req.url!.includes('missing')) return json(res, 404, {});
      json(res, 503, {});
    });
    const log: string[] = [];
    const http = client(baseUrl, { retry: { baseDelayMs: 5, maxDelayMs: 10, maxRetryTimeMs: 100, timeoutMs: 1_000 } }, log);
    for (const path of [`/refused/${TOKEN}`, '/missing', '/down']) await http.get(path, { token: TOKEN }).catch(() => undefined);
    const unreachable = client('http://127.0.0.1:1/v2', { retry: { baseDelayMs: 5, maxDelayMs: 10, maxRetryTimeMs: 0, timeoutMs: 1_000 } }, log);
    await unreachable.get('/nowhere').catch(() => undefined);
    expect(log.join('\n')).not.toContain(TOKEN);
    expect(log.find((l) => l.includes('/refused/'))).toMatch(/^\[tripletex\] GET \/v2\/refused\/\*\*\* 401: failed \(\d+ ms\)$/);
    expect(log.find((l) => l.includes('/missing'))).toMatch(/^\[tripletex\] GET \/v2\/missing 404: failed \(\d+ ms\)$/);
    expect(log.filter((l) => l.includes('/down'))).toContainEqual(expect.stringMatching(/^\[tripletex\] GET \/v2\/down 503: failed, gave up after \d+ attempts \(\d+ ms\)$/));
    expect(log.find((l) => l.includes('/nowhere'))).toMatch(/^\[tripletex\] GET \/v2\/nowhere ECONNREFUSED: failed/);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(serverWait({ 'retry-after': '2' })).toBe(2000);
    expect(serverWait({ 'retry-after': new Date(Date.now() + 3000).toUTCString() })).toBeGreaterThan(1000);
    expect(serverWait({ 'x-rate-limit-reset': '4' })).toBe(4000);
    expect(serverWait({})).toBeNull();
  });
});

/** Reads a request's body in full. */
const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const send = (res: ServerResponse, status: number, type: string | null, body: Buffer | string) => {
  res.writeHead(status, type === null ? {} : { 'content-type': type });
  res.end(body);
};

// A SIE 4 file from a Swedish program: CP437 ("PC8"), with å, ä, ö in names.
const SIE_TEXT = '#FLAGGA 0\r\n#FORMAT PC8\r\n#FNAMN "Räkenskapsföretaget Åre AB"\r\n#KONTO 3010 "Försäljning"\r\n';

describe('the shared HTTP client reading bodies other than JSON', () => {
  it('decodes text in the encoding the caller names, over a charset the server states wrongly', async () => {
    const { baseUrl } = await serve((_req, res) => send(res, 200, 'text/plain; charset=utf-8', iconv.encode(SIE_TEXT, 'cp437')));
    const response = await client(baseUrl).text('/export/sie', { encoding: 'cp437' });
    expect(response.body).toBe(SIE_TEXT);
    // The same bytes read as the server claims would garble the names: the encoding matters.
    expect((await client(baseUrl).text('/export/sie')).body).not.toBe(SIE_TEXT);
  });

  it('decodes text in the charset the server states when the caller names none, else UTF-8', async () => {
    const { baseUrl } = await serve((req, res) =>
      req.url!.endsWith('latin')
        ? send(res, 200, 'text/plain; charset=windows-1252', iconv.encode('Kundfordringar på Östersund', 'windows-1252'))
        : send(res, 200, 'application/xml', Buffer.from('<Konto>Försäljning</Konto>', 'utf8')),
    );
    const c = client(baseUrl);
    expect((await c.text('/latin')).body).toBe('Kundfordringar på Östersund');
    expect((await c.text('/xml')).body).toBe('<Konto>Försäljning</Konto>');
    await expect(c.text('/latin', { encoding: 'no-such-encoding' })).rejects.toThrow(/unknown encoding "no-such-encoding"/);
  });

  it('returns bytes exactly as sent, every byte value included', async () => {
    const payload = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(100_000)]);
    const { baseUrl } = await serve((_req, res) => send(res, 200, 'application/zip', payload));
    const response = await client(baseUrl).bytes('/documents/17/attachment');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(Buffer.compare(response.body, payload)).toBe(0);
  });

  it('hands over a large body while the server is still sending it, and reads it whole', async () => {
    const chunk = randomBytes(64 * 1024);
    const chunks = 256; // 16 MB
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let sentAll = false;
    const { baseUrl } = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write(chunk);
      await released; // the rest only leaves after the client already holds the stream
      for (let i = 1; i < chunks; i++) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      sentAll = true;
      res.end();
    });
    const log: string[] = [];
    const response = await client(baseUrl, {}, log).stream('/saft/export', { query: { token: TOKEN } });
    expect(sentAll).toBe(false);
    release();
    const hash = createHash('sha256');
    let bytes = 0;
    let pieces = 0;
    for await (const piece of response.body as AsyncIterable<Buffer>) {
      hash.update(piece);
      bytes += piece.length;
      pieces++;
    }
    const expected = createHash('sha256');
    for (let i = 0; i < chunks; i++) expected.update(chunk);
    expect(bytes).toBe(chunk.length * chunks);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    expect(pieces).toBeGreaterThan(10);
    await new Promise((r) => setImmediate(r));
    expect(log.join('\n')).not.toContain(TOKEN);
    expect(log).toEqual([
      expect.stringMatching(/^\[tripletex\] GET \/v2\/saft\/export 200 stream application\/xml \(\d+ ms\)$/),
      `[tripletex] GET /v2/saft/export 200 stream read, ${bytes} bytes`,
    ]);
  });

  it('retries a stream until it starts, and holds its concurrency place until the stream is read', async () => {
    const { baseUrl, hits } = await serve((req, res, n) => {
      if (n === 1) return json(res, 503, { message: 'maintenance' });
      if (req.url!.includes('export')) return send(res, 200, 'text/plain', 'x'.repeat(10_000));
      json(res, 200, { ok: true });
    });
    const c = client(baseUrl, { rate: { concurrency: 1, requestsPerInterval: 100, intervalMs: 1000 } });
    const stream = (await c.stream('/export')).body;
    expect(hits).toHaveLength(2);
    // One request at a time (as Fiken allows): the next waits while the stream is unread.
    const next = c.get<{ ok: boolean }>('/companies');
    await new Promise((r) => setTimeout(r, 150));
    expect(hits).toHaveLength(2);
    let text = '';
    for await (const piece of stream as AsyncIterable<Buffer>) text += piece.toString('utf8');
    expect(text).toHaveLength(10_000);
    expect((await next).body.ok).toBe(true);
    expect(hits).toHaveLength(3);
  });

  it('frees the concurrency place when a stream is destroyed unread', async () => {
    const { baseUrl, hits } = await serve((req, res) =>
      req.url!.includes('export') ? send(res, 200, 'application/octet-stream', randomBytes(1_000_000)) : json(res, 200, { ok: true }),
    );
    const c = client(baseUrl, { rate: { concurrency: 1, requestsPerInterval: 100, intervalMs: 1000 } });
    (await c.stream('/export')).body.destroy();
    expect((await c.get<{ ok: boolean }>('/companies')).body.ok).toBe(true);
    expect(hits).toHaveLength(2);
  });

  it('ends a stream whose connection breaks with an error naming the path', async () => {
    const { baseUrl } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': '1000000' });
      res.write(Buffer.alloc(10_000, 0x41), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const { body } = await client(baseUrl).stream(`/files/${TOKEN}/saft.xml`);
    const error = await (async () => {
      for await (const _ of body as AsyncIterable<Buffer>) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as Error).message).toMatch(/^tripletex: GET \/v2\/files\/\*\*\*\/saft\.xml answered 200: the connection broke while the body was read; try again\.$/);
  });

  it('refuses HTML where JSON was expected with a typed error naming the path and the type, not the secrets', async () => {
    const { baseUrl, hits } = await serve((_req, res) => send(res, 200, 'text/html; charset=utf-8', `<html><body>Logg inn ${TOKEN}</body></html>`));
    const log: string[] = [];
    const error = await client(baseUrl, {}, log).get(`/company/${TOKEN}`, { employeeToken: TOKEN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBodyError);
    const e = error as ProviderBodyError;
    expect(e.message).toBe(
      "tripletex: GET /v2/company/*** answered 200: it is text/html; charset=utf-8, not JSON; check the provider's base URL, or try again later if the provider is down.",
    );
    expect([e.path, e.contentType, e.expected, e.status]).toEqual(['/v2/company/***', 'text/html; charset=utf-8', 'JSON', 200]);
    expect(e.bodyExcerpt).toBe('<html><body>Logg inn ***</body></html>');
    expect(hits).toHaveLength(1); // not worth a retry
    expect(JSON.stringify({ m: e.message, e, log })).not.toContain(TOKEN);
  });

  it('refuses JSON that does not parse, HTML for a file and a type outside the caller\'s list, each typed', async () => {
    const { baseUrl } = await serve((req, res) => {
      if (req.url!.includes('broken')) return send(res, 200, 'application/json', '{"values": [');
      if (req.url!.includes('unstated')) return send(res, 200, null, 'not json');
      if (req.url!.includes('page')) return send(res, 200, 'text/html', '<html>maintenance</html>');
      send(res, 200, 'application/json', '{"error":"no export"}');
    });
    const c = client(baseUrl, { rate: { concurrency: 1, requestsPerInterval: 100, intervalMs: 1000 } });
    const broken = (await c.get('/broken').catch((e: unknown) => e)) as ProviderBodyError;
    expect(broken).toBeInstanceOf(ProviderBodyError);
    expect(broken.message).toMatch(/GET \/v2\/broken answered 200: its JSON does not parse/);
    expect(((await c.get('/unstated').catch((e: unknown) => e)) as ProviderBodyError).contentType).toBeNull();
    const page = (await c.stream('/page').catch((e: unknown) => e)) as ProviderBodyError;
    expect([page.constructor, page.contentType, page.bodyExcerpt]).toEqual([ProviderBodyError, 'text/html', '<html>maintenance</html>']);
    const narrowed = (await c.bytes('/sie', { accept: ['text/plain', 'application/octet-stream'] }).catch((e: unknown) => e)) as ProviderBodyError;
    expect(narrowed.message).toMatch(/GET \/v2\/sie answered 200: it is application\/json, not bytes;/);
    // The refused stream gave its concurrency place back.
    expect((await c.text('/plain-anything', { accept: ['application/json'] })).body).toBe('{"error":"no export"}');
  });

  it('sends a form body (OAuth2 token endpoints) and per-request headers', async () => {
    const { baseUrl } = await serve(async (req, res) => json(res, 200, { type: req.headers['content-type'], auth: req.headers.authorization, body: await bodyOf(req) }));
    const response = await client(baseUrl).json<{ type: string; auth: string; body: string }>('/oauth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r t' }),
      headers: { authorization: 'Basic Y2xpZW50OnNlY3JldA==' },
    });
    expect(response.body).toEqual({ type: 'application/x-www-form-urlencoded', auth: 'Basic Y2xpZW50OnNlY3JldA==', body: 'grant_type=refresh_token&refresh_token=r+t' });
  });
});
