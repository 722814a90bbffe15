import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, ProviderHttpError } from '../../../extract/index.ts';
import { BytesBody, HttpSimulator, StreamBody, oauthErrorResponse, statusFailure, textBody, type SimRequest, type SimResponse } from '../../../sandbox/kit/index.ts';

const SIE = '#FLAGGA 0\r\n#FORMAT PC8\r\n#FNAMN "Räkenskapsföretaget Åre AB"\r\n';
const CHUNK = Buffer.alloc(64 * 1024, 0x3c);
const CHUNKS = 160; // 10 MB

const sims: HttpSimulator[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function simulator(handle: (req: SimRequest) => SimResponse | Promise<SimResponse>) {
  const sim = await HttpSimulator.start({
    basePath: '/api',
    requestIdHeader: 'x-request-id',
    moneyScale: 2,
    handle,
    errorResponse: (status, message) => oauthErrorResponse(statusFailure(status, message)),
  });
  sims.push(sim);
  return sim;
}

function client(sim: HttpSimulator) {
  const c = new HttpClient({
    provider: 'sandbox',
    baseUrl: sim.baseUrl,
    rate: { concurrency: 2, requestsPerInterval: 100, intervalMs: 1000 },
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryTimeMs: 5_000, timeoutMs: 2_000 },
    authHint: 'connect again',
  });
  clients.push(c);
  return c;
}

const serveFiles = (req: SimRequest): SimResponse => {
  switch (req.path) {
    case '/balance':
      return { status: 200, body: { account: '1920', amount: -12345678901234n } };
    case '/export/sie':
      return { status: 200, body: textBody(SIE, { encoding: 'cp437', stateCharset: false }) };
    case '/documents/1':
      return { status: 200, body: new BytesBody(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]), 'application/pdf') };
    case '/export/saft':
      return {
        status: 200,
        body: new StreamBody(function* () {
          for (let i = 0; i < CHUNKS; i++) yield CHUNK;
        }, 'application/xml'),
      };
    default:
      return { status: 404, body: { error: 'not_found' } };
  }
};

describe('the simulator HTTP server', () => {
  it('answers JSON with exact money, text in an encoding, bytes and streams, each with its content type', async () => {
    const sim = await simulator(serveFiles);
    const c = client(sim);
    const balance = await c.text('/balance');
    expect(balance.body).toBe('{"account":"1920","amount":-123456789012.34}');
    expect(balance.headers['content-type']).toBe('application/json; charset=utf-8');

    const sie = await c.text('/export/sie', { encoding: 'cp437' });
    expect([sie.body, sie.headers['content-type']]).toEqual([SIE, 'text/plain']);
    const raw = await c.bytes('/export/sie');
    expect(raw.body.equals(iconv.encode(SIE, 'cp437'))).toBe(true);

    const pdf = await c.bytes('/documents/1');
    expect([...pdf.body]).toEqual([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    expect([pdf.headers['content-type'], pdf.headers['content-length'], typeof pdf.headers['x-request-id']]).toEqual(['application/pdf', '6', 'string']);

    const saft = await c.stream('/export/saft');
    expect(saft.headers['transfer-encoding']).toBe('chunked');
    const hash = createHash('sha256');
    for await (const piece of saft.body as AsyncIterable<Buffer>) hash.update(piece);
    const expected = createHash('sha256');
    for (let i = 0; i < CHUNKS; i++) expected.update(CHUNK);
    expect(hash.digest('hex')).toBe(expected.digest('hex'));
    expect(sim.stats()).toMatchObject({ requests: 5, injected: 0, byPath: { '/balance': 1, '/export/sie': 2, '/documents/1': 1, '/export/saft': 1 } });
  });

  it('serves injected faults to the paths they name; a client retries through them', async () => {
    const sim = await simulator(serveFiles);
    sim.faults.inject({ kind: 'status', status: 503, count: 2, path: /^\/export\// });
    sim.faults.inject({ kind: 'drop', count: 1, path: /^\/export\// });
    const direct = await request(`${sim.baseUrl}/balance`);
    expect(direct.statusCode).toBe(200); // not a path the faults name
    await direct.body.dump();
    const sie = await client(sim).text('/export/sie', { encoding: 'cp437' });
    expect(sie.body).toBe(SIE);
    expect(sim.stats()).toMatchObject({ requests: 5, injected: 3, byPath: { '/export/sie': 4 } });
  });

  it('answers an injected status with the provider\'s error shape, and nothing outside its base path', async () => {
    const sim = await simulator(serveFiles);
    sim.faults.inject({ kind: 'status', status: 429, count: 1 });
    const limited = await request(`${sim.baseUrl}/balance`);
    expect([limited.statusCode, await limited.body.json()]).toEqual([429, { error: 'too_many_requests', error_description: 'Injected fault: HTTP 429.' }]);
    const outside = await request(`${sim.origin}/other`);
    expect([outside.statusCode, await outside.body.json()]).toEqual([404, { error: 'not_found', error_description: 'Nothing is served outside /api.' }]);
  });

  it('a handler that throws answers 500; a stream that fails mid-body breaks the connection', async () => {
    const sim = await simulator((req) => {
      if (req.path === '/boom') throw new Error('handler bug');
      return {
        status: 200,
        body: new StreamBody(async function* () {
          yield Buffer.alloc(1000, 0x41);
          throw new Error('export generator failed');
        }, 'application/xml'),
      };
    });
    const boom = await request(`${sim.baseUrl}/boom`);
    expect([boom.statusCode, await boom.body.json()]).toEqual([500, { error: 'internal_server_error', error_description: 'handler bug' }]);
    const { body } = await client(sim).stream('/export');
    const error = await (async () => {
      for await (const _ of body as AsyncIterable<Buffer>) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
  });
});
