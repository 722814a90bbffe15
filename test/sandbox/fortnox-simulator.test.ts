import iconv from 'iconv-lite';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSie } from '../../formats/index.ts';
import { FixedClock, type Voucher } from '../../model/index.ts';
import { FortnoxSimulator, generateCompany, type GeneratedCompany } from '../../sandbox/index.ts';
import { fortnoxPathTemplate, validateFortnoxResponse, validateFortnoxSchema } from '../helpers/fortnox-openapi.ts';

// A small client over real HTTP (undici keep-alive); JSON bodies are loosely typed on purpose:
// the spec validator checks their shape.
type Body = any;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Body;
  bytes: Buffer;
}

const agent = new Agent({ keepAliveTimeout: 10_000 });
afterAll(() => agent.close());

async function send(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, { dispatcher: agent, method: options.method ?? 'GET', headers: options.headers, body: options.body });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const json = (flat['content-type'] ?? '').startsWith('application/json');
  return { status: res.statusCode, headers: flat, body: json && bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined, bytes };
}

const REDIRECT = 'http://127.0.0.1:9/callback';
const ALL_SCOPES = 'companyinformation bookkeeping costcenter project customer supplier connectfile archive inbox invoice supplierinvoice';
const basic = (sim: FortnoxSimulator, secret = sim.clientSecret) => `Basic ${Buffer.from(`${sim.clientId}:${secret}`).toString('base64')}`;

async function authorize(sim: FortnoxSimulator, scope = ALL_SCOPES): Promise<URL> {
  const q = new URLSearchParams({ client_id: sim.clientId, redirect_uri: REDIRECT, scope, state: 's1', access_type: 'offline', response_type: 'code' });
  const a = await send(`${sim.authorizeUrl}?${q}`);
  expect(a.status).toBe(302);
  return new URL(a.headers.location!);
}

async function tokenCall(sim: FortnoxSimulator, form: Record<string, string>, authorization = basic(sim)): Promise<Answer> {
  return send(sim.tokenUrl, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

async function login(sim: FortnoxSimulator, scope = ALL_SCOPES): Promise<{ access_token: string; refresh_token: string; scope: string; expires_in: number }> {
  const code = (await authorize(sim, scope)).searchParams.get('code')!;
  const a = await tokenCall(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  expect(a.status, a.bytes.toString()).toBe(200);
  return a.body;
}

async function call(sim: FortnoxSimulator, token: string, path: string): Promise<Answer> {
  return send(`${sim.apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
}

/** A GET that must answer 200 with a body the spec accepts. */
async function get(sim: FortnoxSimulator, token: string, path: string): Promise<Body> {
  const a = await call(sim, token, path);
  expect(a.status, `${path}: ${a.bytes.toString().slice(0, 300)}`).toBe(200);
  const template = fortnoxPathTemplate('get', '/3' + path.split('?')[0]!);
  expect(template, path).toBeDefined();
  expect(validateFortnoxResponse('get', template!, 200, a.body), path).toEqual([]);
  return a.body;
}

/** Every item of a list, page by page until a short page. */
async function all(sim: FortnoxSimulator, token: string, path: string, key: string, limit = 100): Promise<Body[]> {
  const out: Body[] = [];
  for (let page = 1; ; page++) {
    const b = await get(sim, token, `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&page=${page}`);
    out.push(...b[key]);
    if (b[key].length < limit) return out;
  }
}

const clock = new FixedClock('2026-06-15T10:00:00Z');
let companies: GeneratedCompany[];
let sim: FortnoxSimulator;
let tokens: Awaited<ReturnType<typeof login>>;

beforeAll(async () => {
  companies = [generateCompany({ seed: 41, country: 'SE', linesPerYear: 1500, currentYear: 2026 }), generateCompany({ seed: 42, country: 'SE', linesPerYear: 300, currentYear: 2026, years: 1 })];
  // The limit is tested on its own simulator below; here it must not get in the way.
  sim = await FortnoxSimulator.start({ companies, clock, withoutIntegrationLicence: [1], documents: 40, rateLimit: { limit: 10_000, windowMs: 1000 } });
  tokens = await login(sim);
});
afterAll(() => sim?.close());

describe('Fortnox simulator: OAuth', () => {
  it('issues tokens for an hour, with the granted scopes, and rotates refresh tokens immediately', async () => {
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope.split(' ').sort()).toEqual(ALL_SCOPES.split(' ').sort());
    const first = await tokenCall(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(first.status).toBe(200);
    // The old refresh token is dead at once, even before the new pair is used.
    const again = await tokenCall(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await call(sim, first.body.access_token, '/companyinformation')).status).toBe(200);
    const wrongClient = await tokenCall(sim, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, basic(sim, 'not-the-secret'));
    expect(wrongClient.status).toBe(401);
    expect(wrongClient.body.error).toBe('invalid_client');
    tokens = first.body;
  });

  it('expires access tokens after an hour on the clock', async () => {
    const t = await login(sim);
    clock.advance(3599_000);
    expect((await call(sim, t.access_token, '/companyinformation')).status).toBe(200);
    clock.advance(2_000);
    const expired = await call(sim, t.access_token, '/companyinformation');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'unauthorized' });
    const renewed = await tokenCall(sim, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(renewed.status).toBe(200);
    tokens = await login(sim);
  });

  it('revokes a consent by its refresh token', async () => {
    const t = await login(sim);
    const r = await send(sim.revokeUrl, { method: 'POST', headers: { authorization: basic(sim), 'content-type': 'application/x-www-form-urlencoded' }, body: `token_type_hint=refresh_token&token=${encodeURIComponent(t.refresh_token)}` });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ revoked: true });
    expect((await call(sim, t.access_token, '/companyinformation')).status).toBe(401);
    expect((await tokenCall(sim, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).body.error).toBe('invalid_grant');
    expect((await call(sim, tokens.access_token, '/companyinformation')).status).toBe(200);
  });

  it('answers access_denied for a person without the rights to approve integrations', async () => {
    sim.consentWithoutRights = true;
    try {
      const back = await authorize(sim);
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('error_description')).toMatch(/rights to approve integrations/);
      expect(back.searchParams.get('code')).toBeNull();
    } finally {
      sim.consentWithoutRights = false;
    }
  });

  it("answers Fortnox's licence error for a company without an integration licence, and the scope error", async () => {
    sim.consentCompany = 1;
    const other = await login(sim);
    sim.consentCompany = 0;
    const noLicence = await call(sim, other.access_token, '/companyinformation');
    expect(noLicence.status).toBe(403);
    expect(noLicence.body.ErrorInformation.Code).toBe(2001103);
    expect(validateFortnoxResponse('get', '/3/companyinformation', 403, noLicence.body)).toEqual([]);
    const narrow = await login(sim, 'companyinformation bookkeeping');
    expect((await call(sim, narrow.access_token, '/financialyears')).status).toBe(200);
    const noScope = await call(sim, narrow.access_token, '/archive/x');
    expect(noScope.status).toBe(403);
    expect(noScope.body.ErrorInformation.Code).toBe(2000663);
  });
});

describe('Fortnox simulator: the API against the spec', () => {
  it('serves every path in Fortnox envelopes the official spec accepts', async () => {
    const info = await get(sim, tokens.access_token, '/companyinformation');
    expect(info.CompanyInformation.CompanyName).toBe(companies[0]!.organization.name);
    const years = (await get(sim, tokens.access_token, '/financialyears')).FinancialYears as Body[];
    expect(years.map((y) => y.FromDate).sort()).toEqual(companies[0]!.fiscalYears.map((f) => f.fiscal_year.start_date));
    // Ids are Fortnox's own, not in date order.
    expect([...years].sort((a, b) => a.FromDate.localeCompare(b.FromDate)).map((y) => y.Id)).not.toEqual([...years].map((y) => y.Id).sort());
    expect((await get(sim, tokens.access_token, '/financialyears?date=2025-03-01')).FinancialYears).toHaveLength(1);
    for (const y of years) {
      const accounts = await all(sim, tokens.access_token, `/accounts?financialyear=${y.Id}`, 'Accounts');
      const fy = companies[0]!.fiscalYears.find((f) => f.fiscal_year.start_date === y.FromDate)!;
      expect(accounts.map((a) => String(a.Number)).sort()).toEqual(fy.accounts.map((a) => a.account_id).sort());
      expect(accounts.every((a) => a.Year === y.Id)).toBe(true);
    }
    for (const [path, key] of [
      ['/voucherseries', 'VoucherSeriesCollection'],
      ['/costcenters', 'CostCenters'],
      ['/projects', 'Projects'],
      ['/customers', 'Customers'],
      ['/suppliers', 'Suppliers'],
      ['/voucherfileconnections', 'VoucherFileConnections'],
      ['/supplierinvoicefileconnections', 'SupplierInvoiceFileConnections'],
      ['/supplierinvoices', 'SupplierInvoices'],
      ['/invoices', 'Invoices'],
    ] as const) {
      expect((await all(sim, tokens.access_token, path, key)).length, path).toBeGreaterThan(0);
    }
    const list = (await get(sim, tokens.access_token, `/vouchers?financialyear=${years[0]!.Id}&limit=5`)).Vouchers as Body[];
    const one = (await get(sim, tokens.access_token, `/vouchers/${list[0].VoucherSeries}/${list[0].VoucherNumber}?financialyear=${years[0]!.Id}`)).Voucher;
    expect(one.VoucherRows.length).toBeGreaterThan(1);
    expect(await get(sim, tokens.access_token, '/archive')).toHaveProperty('Folder');
    const missing = await call(sim, tokens.access_token, `/vouchers/A/999999?financialyear=${years[0]!.Id}`);
    expect(missing.status).toBe(404);
    expect(validateFortnoxResponse('get', '/3/vouchers/{VoucherSeries}/{VoucherNumber}', 404, missing.body)).toEqual([]);
  });

  it('catches what the spec does not allow', () => {
    expect(validateFortnoxSchema('fortnox_VoucherFileConnection', { FileId: 'x', VoucherNumber: '1', VoucherSeries: 'A' })).toEqual([]);
    expect(validateFortnoxSchema('fortnox_VoucherFileConnection', { FileId: 'x', VoucherNumber: 1, VoucherSeries: 'A' })).not.toEqual([]);
    expect(validateFortnoxSchema('fortnox_VoucherFileConnection', { FileId: 'x', VoucherNumber: '1', VoucherSeries: 'A', Invented: 1 })).not.toEqual([]);
  });

  it('pages with page and limit, MetaInformation giving the totals', async () => {
    const [y] = (await get(sim, tokens.access_token, '/financialyears')).FinancialYears as Body[];
    const full = await all(sim, tokens.access_token, `/vouchers?financialyear=${y.Id}`, 'Vouchers', 500);
    const paged = await all(sim, tokens.access_token, `/vouchers?financialyear=${y.Id}`, 'Vouchers', 37);
    expect(paged).toEqual(full);
    const first = await get(sim, tokens.access_token, `/vouchers?financialyear=${y.Id}&limit=37`);
    expect(first.MetaInformation).toEqual({ '@TotalResources': full.length, '@TotalPages': Math.ceil(full.length / 37), '@CurrentPage': 1 });
    const past = await get(sim, tokens.access_token, `/vouchers?financialyear=${y.Id}&limit=37&page=${Math.ceil(full.length / 37) + 1}`);
    expect(past.Vouchers).toEqual([]);
    expect((await call(sim, tokens.access_token, `/vouchers?financialyear=${y.Id}&limit=501`)).status).toBe(400);
    // Sorted by series, then number.
    const keys = full.map((v) => `${v.VoucherSeries}:${String(v.VoucherNumber).padStart(8, '0')}`);
    expect(keys).toEqual([...keys].sort());
  });
});

/** Vouchers of an SIE body (checked: decodes as CP437). */
async function sieVouchers(bytes: Buffer): Promise<Voucher[]> {
  const vouchers: Voucher[] = [];
  for await (const e of readSie({ name: 'fortnox.se', bytes })) {
    if (e.kind === 'voucher') vouchers.push(e.voucher);
    if (e.kind === 'issue' && e.issue.severity === 'error') throw new Error(e.issue.message);
  }
  return vouchers;
}

describe('Fortnox simulator: the SIE export', () => {
  it('exports each year as CP437 SIE 4 whose vouchers balance and equal the generated truth', async () => {
    const years = (await get(sim, tokens.access_token, '/financialyears')).FinancialYears as Body[];
    for (const y of years) {
      const a = await call(sim, tokens.access_token, `/sie/4?financialyear=${y.Id}`);
      expect(a.status).toBe(200);
      // CP437, not UTF-8: ö is 0x94 and no UTF-8 sequence for it appears.
      const text = iconv.decode(a.bytes, 'cp437');
      expect(text).toMatch(/^#FLAGGA 0\n/);
      expect(text).toContain('#PROGRAM "Fortnox"');
      expect(a.bytes.includes(Buffer.from('ö', 'utf8'))).toBe(false);
      expect(/[åäöÅÄÖ]/.test(text)).toBe(true);
      const truth = companies[0]!.truth.year(y.FromDate);
      const vouchers = await sieVouchers(a.bytes);
      expect(vouchers).toHaveLength(truth.voucherCount);
      const movements = new Map<string, Map<string, bigint>>();
      for (const v of vouchers) {
        expect(v.lines.reduce((s, l) => s + l.amount, 0n), `${v.journal_id}${v.voucher_number}`).toBe(0n);
        for (const l of v.lines) {
          let m = movements.get(l.account_id);
          if (!m) movements.set(l.account_id, (m = new Map()));
          const month = v.voucher_date.slice(0, 7);
          m.set(month, (m.get(month) ?? 0n) + l.amount);
        }
      }
      for (const m of movements.values()) for (const [k, x] of m) if (x === 0n) m.delete(k);
      for (const [k, m] of movements) if (m.size === 0) movements.delete(k);
      expect(movements).toEqual(truth.movements);
      // Type 1: the chart and the year's balances, no vouchers.
      const one = await call(sim, tokens.access_token, `/sie/1?financialyear=${y.Id}`);
      expect(iconv.decode(one.bytes, 'cp437')).toContain('#SIETYP 1');
      expect(await sieVouchers(one.bytes)).toEqual([]);
      expect(iconv.decode(one.bytes, 'cp437')).toMatch(/#UB 0 1930 /);
    }
    expect((await call(sim, tokens.access_token, `/sie/3?financialyear=${years[0]!.Id}`)).status).toBe(400);
    // Each year opens as the generator's does (the result carried into retained earnings).
    const served = sim.truth(0).years;
    companies[0]!.truth.years.forEach((t, i) => expect(served[i]!.opening, t.fiscal_year.label).toEqual(t.opening));
  });

  it('lists changed vouchers by lastmodified and re-exports a corrected year', async () => {
    const ids = sim.truth(0).ids;
    const newest = ids[ids.length - 1]!;
    const since = '2026-06-15 12:30';
    clock.set('2026-06-15T11:00:00Z'); // 13:00 in Stockholm
    const report = sim.mutate(0, { add: 2, correct: 3 });
    const changed = await all(sim, tokens.access_token, `/vouchers?financialyear=${newest}&lastmodified=${encodeURIComponent(since)}`, 'Vouchers');
    const key = (v: { series?: string; VoucherSeries?: string; number?: number; VoucherNumber?: number }) => `${v.series ?? v.VoucherSeries}${v.number ?? v.VoucherNumber}`;
    expect(changed.map(key).sort()).toEqual([...report.added, ...report.corrected].map(key).sort());
    // A voucher is either new or corrected, never both.
    expect(new Set(changed.map(key)).size).toBe(5);
    const later = await get(sim, tokens.access_token, `/vouchers?financialyear=${newest}&lastmodified=${encodeURIComponent('2026-06-15 13:01')}`);
    expect(later.Vouchers).toEqual([]);
    const c = report.corrected[0]!;
    const corrected = (await get(sim, tokens.access_token, `/vouchers/${c.series}/${c.number}?financialyear=${newest}`)).Voucher;
    const kept = corrected.VoucherRows.filter((r: Body) => !r.Removed);
    expect(corrected.VoucherRows.some((r: Body) => r.Removed)).toBe(true);
    const cents = (x: number) => BigInt(Math.round(x * 100));
    expect(kept.reduce((s: bigint, r: Body) => s + cents(r.Debit) - cents(r.Credit), 0n)).toBe(0n);
    const sie = await call(sim, tokens.access_token, `/sie/4?financialyear=${newest}`);
    const truth = sim.truth(0).years[ids.length - 1]!;
    const vouchers = await sieVouchers(sie.bytes);
    expect(vouchers).toHaveLength(truth.vouchers);
    expect(vouchers.reduce((n, v) => n + v.lines.length, 0)).toBe(truth.lines);
  });
});

describe('Fortnox simulator: documents', () => {
  it('serves each document from the archive as a real PDF or PNG, the same bytes every time', async () => {
    const docs = sim.documents(0);
    expect(docs).toHaveLength(40);
    const kinds = new Set(docs.map((d) => d.kind));
    expect(kinds).toEqual(new Set(['receipt', 'supplierinvoice', 'invoice']));
    for (const d of docs.filter((x) => x.kind !== 'invoice').slice(0, 12)) {
      const a = await call(sim, tokens.access_token, `/archive/${d.fileId}`);
      expect(a.status).toBe(200);
      expect(a.headers['content-type']).toBe(d.contentType);
      expect(a.bytes.subarray(0, 4).toString('latin1')).toBe(d.contentType === 'application/pdf' ? '%PDF' : '\x89PNG');
      expect(a.bytes.equals(Buffer.from(sim.documentContent(0, d)))).toBe(true);
      expect((await call(sim, tokens.access_token, `/archive?fileid=${d.fileId}`)).bytes.equals(a.bytes)).toBe(true);
    }
    const invoice = docs.find((d) => d.kind === 'invoice')!;
    const print = await call(sim, tokens.access_token, `/invoices/${invoice.number}/print`);
    expect(print.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Connections point at the voucher the file belongs to.
    const receipts = await all(sim, tokens.access_token, '/voucherfileconnections', 'VoucherFileConnections');
    expect(receipts.map((r) => r.FileId).sort()).toEqual(docs.filter((d) => d.kind === 'receipt').map((d) => d.fileId).sort());
    // One supplier invoice file carries a name that climbs out of any folder.
    const files = await all(sim, tokens.access_token, '/supplierinvoicefileconnections', 'SupplierInvoiceFileConnections');
    expect(files.some((f) => f.Name.startsWith('../'))).toBe(true);
  });
});

describe('Fortnox simulator: rate limit and faults', () => {
  it('answers 429 past the limit per tenant and serves again when the window moves on', async () => {
    const small = await FortnoxSimulator.start({ companies: [companies[1]!], clock, rateLimit: { limit: 5, windowMs: 400 } });
    try {
      const t = await login(small);
      const answers = await Promise.all(Array.from({ length: 7 }, () => call(small, t.access_token, '/financialyears')));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
      const refused = answers.filter((a) => a.status === 429);
      expect(refused).toHaveLength(2);
      expect(validateFortnoxResponse('get', '/3/financialyears', 429, refused[0]!.body)).toEqual([]);
      expect(small.stats().rateLimited).toBe(2);
      await new Promise((r) => setTimeout(r, 450));
      expect((await call(small, t.access_token, '/financialyears')).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('serves injected faults in its error shape', async () => {
    sim.faults.inject({ kind: 'status', status: 503, count: 1, path: /^\/3\/sie/ });
    const a = await call(sim, tokens.access_token, '/sie/4');
    expect(a.status).toBe(503);
    expect(validateFortnoxResponse('get', '/3/sie/{Type}', 503, a.body)).toEqual([]);
    expect((await call(sim, tokens.access_token, '/sie/4')).status).toBe(200);
  });
});
