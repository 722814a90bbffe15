import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FikenSimulator, generateCompany, type GeneratedCompany, type SimulatedYearTruth } from '../../sandbox/index.ts';
import { addDays, osloToday } from '../../model/index.ts';
import { declaredFikenHeaders, validateFikenResponse, validateFikenSchema } from '../helpers/fiken-openapi.ts';

// ---------------------------------------------------------------------------------------------
// A small client over real HTTP (undici keep-alive), and spec validation of every 2xx answer.

// JSON bodies are loosely typed on purpose: the spec validator checks their shape.
type Body = any;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Body;
  text: string;
}

const agent = new Agent({ keepAliveTimeout: 10_000 });
afterAll(() => agent.close());

async function send(url: string, options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, { dispatcher: agent, method: options.method ?? 'GET', headers: options.headers, body: options.body });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, body: text ? (JSON.parse(text) as Body) : undefined, text };
}

const REDIRECT = 'http://127.0.0.1:9/callback?from=test';
const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

function authorizeUrl(sim: FikenSimulator, params: Record<string, string>): string {
  return `${sim.authorizeUrl}?${new URLSearchParams(params)}`;
}

/** The person approves at once: the redirect carries code and state. */
async function authorize(sim: FikenSimulator, state = 'st-1'): Promise<string> {
  const a = await send(authorizeUrl(sim, { response_type: 'code', client_id: sim.clientId, redirect_uri: REDIRECT, state }));
  expect(a.status).toBe(302);
  const location = new URL(a.headers.location!);
  expect(location.searchParams.get('state')).toBe(state);
  return location.searchParams.get('code')!;
}

async function tokenCall(sim: FikenSimulator, form: Record<string, string>, options: { authorization?: string | null; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  const authorization = options.authorization === undefined ? basicAuth(sim.clientId, sim.clientSecret) : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  return send(sim.tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

async function login(sim: FikenSimulator): Promise<Tokens> {
  const code = await authorize(sim);
  const a = await tokenCall(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, state: 'st-1' });
  expect(a.status, a.text).toBe(200);
  return a.body as Tokens;
}

async function refresh(sim: FikenSimulator, refreshToken: string): Promise<Answer> {
  return tokenCall(sim, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** A GET below apiBaseUrl, unchecked. */
async function call(sim: FikenSimulator, token: string | null, path: string, query: Record<string, string> = {}): Promise<Answer> {
  const qs = Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
  const headers: Record<string, string> = { 'x-request-id': crypto.randomUUID() };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return send(`${sim.apiBaseUrl}${path}${qs}`, { headers });
}

/** A GET that must answer 200 exactly as the spec declares for `template` (body and headers). */
async function get(sim: FikenSimulator, token: string, template: string, path: string, query: Record<string, string> = {}): Promise<Answer> {
  const a = await call(sim, token, path, query);
  expect(a.status, `${path}: ${a.text.slice(0, 300)}`).toBe(200);
  expect(validateFikenResponse('get', template, 200, a.body), `${template}: ${a.text.slice(0, 300)}`).toEqual([]);
  for (const h of declaredFikenHeaders('get', template)) expect(a.headers[h.toLowerCase()], `${template} header ${h}`).toMatch(/^\d+$/);
  return a;
}

/** Every row of a paged list: pages 0 … Fiken-Api-Page-Count − 1 at pageSize 100. */
async function all(sim: FikenSimulator, token: string, template: string, path: string, query: Record<string, string> = {}): Promise<Body[]> {
  const out: Body[] = [];
  for (let page = 0, pages = 1; page < pages; page++) {
    const a = await get(sim, token, template, path, { ...query, page: String(page), pageSize: '100' });
    pages = Number(a.headers['fiken-api-page-count']);
    out.push(...(a.body as Body[]));
    if (page === pages - 1) expect(out.length).toBe(Number(a.headers['fiken-api-result-count']));
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sorted<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}

function sortedMovements(m: Map<string, Map<string, bigint>>): [string, [string, bigint][]][] {
  return sorted(m).map(([k, v]) => [k, sorted(v)]);
}

/** Per fiscal year (by start): account → month → net øre, from journal entries as served. */
function movementsOf(entries: Body[], years: { start: string; end: string }[]): Map<string, Map<string, Map<string, bigint>>> {
  const out = new Map(years.map((y) => [y.start, new Map<string, Map<string, bigint>>()]));
  for (const e of entries) {
    const year = years.find((y) => e.date >= y.start && e.date <= y.end)!;
    const perAccount = out.get(year.start)!;
    for (const l of e.lines) {
      const account = (l.account as string).split(':')[0]!;
      const perMonth = perAccount.get(account) ?? new Map<string, bigint>();
      const month = (e.date as string).slice(0, 7);
      perMonth.set(month, (perMonth.get(month) ?? 0n) + BigInt(l.amount));
      perAccount.set(account, perMonth);
    }
  }
  for (const perAccount of out.values()) {
    for (const [account, perMonth] of perAccount) {
      for (const [month, v] of perMonth) if (v === 0n) perMonth.delete(month);
      if (perMonth.size === 0) perAccount.delete(account);
    }
  }
  return out;
}

/** Opening + the year's movements per account: the closing balance of a served year. */
function closingOf(y: SimulatedYearTruth): Map<string, bigint> {
  const out = new Map(y.opening);
  for (const [account, perMonth] of y.movements) for (const v of perMonth.values()) out.set(account, (out.get(account) ?? 0n) + v);
  return out;
}

async function balancesOn(sim: FikenSimulator, token: string, slug: string, date: string): Promise<Map<string, bigint>> {
  const rows = await all(sim, token, '/companies/{companySlug}/accountBalances', `/companies/${slug}/accountBalances`, { date });
  return new Map(rows.map((r) => [r.code as string, BigInt(r.balance)]));
}

// ---------------------------------------------------------------------------------------------

const companyA: GeneratedCompany = generateCompany({ seed: 11, country: 'NO', linesPerYear: 1_500, currentYear: 2025 });
const companyB: GeneratedCompany = generateCompany({ seed: 12, country: 'NO', linesPerYear: 400, currentYear: 2025 });
const companyC: GeneratedCompany = generateCompany({ seed: 13, country: 'NO', linesPerYear: 400, currentYear: 2025 });
const FAST = 100_000;

describe('Fiken spec validation and simulator options', () => {
  it('rejects write-only, undeclared and null properties, and merges allOf', () => {
    const line = { amount: 100, account: '1920', projectId: [], lastModifiedDate: '2025-01-01' };
    expect(validateFikenSchema('journalEntryLine', line)).toEqual([]);
    expect(validateFikenSchema('journalEntryLine', { ...line, debitAccount: '1920' })).not.toEqual([]);
    expect(validateFikenSchema('journalEntryLine', { ...line, currency: 'NOK' })).not.toEqual([]);
    expect(validateFikenSchema('journalEntryLine', { ...line, vatCode: null })).not.toEqual([]);
    expect(validateFikenSchema('accountBalance', { code: '1920', name: 'Bank', balance: 5050 })).toEqual([]);
    expect(validateFikenSchema('accountBalance', { code: '1920', name: 'Bank', balance: 50.5, x: 1 })).toHaveLength(2);
  });

  it('refuses bad options before it opens a port', async () => {
    await expect(FikenSimulator.start({ companies: [companyC], perSecond: 0 })).rejects.toThrow(/perSecond/);
    await expect(FikenSimulator.start({ companies: [companyC], approvedCompanies: [1] })).rejects.toThrow(/approvedCompanies/);
    const swedish = generateCompany({ seed: 1, country: 'SE', linesPerYear: 400, years: 1, currentYear: 2025 });
    await expect(FikenSimulator.start({ companies: [swedish] })).rejects.toThrow(/Norwegian/);
  });
});

describe('FikenSimulator: OAuth', () => {
  let sim: FikenSimulator;
  beforeAll(async () => {
    sim = await FikenSimulator.start({ companies: [companyC], perSecond: FAST });
  });
  afterAll(() => sim.close());

  it('authorize approves at once and redirects with code and state; bad requests get 400', async () => {
    const good = { response_type: 'code', client_id: sim.clientId, redirect_uri: REDIRECT, state: 'abc' };
    const a = await send(authorizeUrl(sim, good));
    expect(a.status).toBe(302);
    const location = new URL(a.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:9/callback');
    expect(location.searchParams.get('from')).toBe('test');
    expect(location.searchParams.get('state')).toBe('abc');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    for (const missing of Object.keys(good)) {
      const params: Record<string, string> = { ...good };
      delete params[missing];
      expect((await send(authorizeUrl(sim, params))).status, missing).toBe(400);
    }
    const wrongClient = await send(authorizeUrl(sim, { ...good, client_id: 'someone-else' }));
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.body.error).toBe('invalid_request');
    const wrongType = new URL((await send(authorizeUrl(sim, { ...good, response_type: 'token' }))).headers.location!);
    expect([wrongType.searchParams.get('error'), wrongType.searchParams.get('code')]).toEqual(['unsupported_response_type', null]);
  });

  it('exchanges a code once, with HTTP Basic client credentials, a form body and the same redirect_uri', async () => {
    const code = await authorize(sim);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, state: 'st-1' };
    const noAuth = await tokenCall(sim, form, { authorization: null });
    expect([noAuth.status, noAuth.body.error]).toEqual([401, 'invalid_client']);
    const badSecret = await tokenCall(sim, form, { authorization: basicAuth(sim.clientId, 'wrong') });
    expect([badSecret.status, badSecret.body.error]).toEqual([401, 'invalid_client']);
    const json = await tokenCall(sim, form, { contentType: 'application/json' });
    expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
    const unknownGrant = await tokenCall(sim, { ...form, grant_type: 'password' });
    expect([unknownGrant.status, unknownGrant.body.error]).toEqual([400, 'invalid_request']);

    const ok = await tokenCall(sim, form);
    expect(ok.status, ok.text).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(ok.body).toMatchObject({ token_type: 'bearer', expires_in: 86_157 });
    expect(ok.headers['cache-control']).toBe('no-store');
    const again = await tokenCall(sim, form);
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
    expect(typeof again.body.error_description).toBe('string');

    const other = await authorize(sim);
    const wrongRedirect = await tokenCall(sim, { ...form, code: other, redirect_uri: 'http://127.0.0.1:9/elsewhere' });
    expect([wrongRedirect.status, wrongRedirect.body.error]).toEqual([400, 'invalid_grant']);

    const me = await get(sim, ok.body.access_token, '/user', '/user');
    expect(Object.keys(me.body).sort()).toEqual(['email', 'name']);
  });

  it('rotates refresh tokens; the previous one works until the new pair is first used', async () => {
    sim.resetStats();
    const t0 = await login(sim);
    const r1 = await refresh(sim, t0.refresh_token);
    expect(r1.status, r1.text).toBe(200);
    expect(r1.body.refresh_token).not.toBe(t0.refresh_token);
    expect(r1.body.access_token).not.toBe(t0.access_token);

    // The client lost r1: the old refresh token still works, and the lost pair is superseded.
    const r2 = await refresh(sim, t0.refresh_token);
    expect(r2.status, r2.text).toBe(200);
    expect((await call(sim, r1.body.access_token, '/user')).status).toBe(401);
    expect((await refresh(sim, r1.body.refresh_token)).body.error).toBe('invalid_grant');

    // Using the new access token ends the grace of the old refresh token.
    expect((await call(sim, r2.body.access_token, '/user')).status).toBe(200);
    const late = await refresh(sim, t0.refresh_token);
    expect([late.status, late.body.error]).toEqual([400, 'invalid_grant']);
    // Access tokens live on until they expire.
    expect((await call(sim, t0.access_token, '/user')).status).toBe(200);

    // Using the new refresh token ends the grace too.
    const r3 = await refresh(sim, r2.body.refresh_token);
    const r4 = await refresh(sim, r3.body.refresh_token);
    expect([r3.status, r4.status]).toEqual([200, 200]);
    expect((await refresh(sim, r2.body.refresh_token)).body.error).toBe('invalid_grant');
    expect(sim.stats().refreshes).toBe(4);
  });

  it('answers 401 to expired and unknown access tokens; a refresh mints a working one', async () => {
    const t = await login(sim);
    expect((await call(sim, null, '/user')).status).toBe(401);
    expect((await call(sim, 'not-a-token', '/user')).status).toBe(401);
    sim.expireAccessTokens();
    const expired = await call(sim, t.access_token, '/user');
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(expired.body.error).toBe('invalid_token');
    const fresh = await refresh(sim, t.refresh_token);
    expect((await call(sim, fresh.body.access_token, '/user')).status).toBe(200);
  });

  it('revokes a grant through /oauth/revoke, and every grant when consent is withdrawn', async () => {
    const a = await login(sim);
    const b = await login(sim);
    const revoked = await send(sim.revokeUrl, { method: 'POST', headers: { authorization: `Bearer ${a.access_token}` } });
    expect(revoked.status).toBe(200);
    expect((await call(sim, a.access_token, '/user')).status).toBe(401);
    expect((await refresh(sim, a.refresh_token)).body.error).toBe('invalid_grant');
    expect((await send(sim.revokeUrl, { method: 'POST', headers: { authorization: `Bearer ${a.access_token}` } })).status).toBe(401);
    expect((await call(sim, b.access_token, '/user')).status).toBe(200);

    sim.revokeConsent();
    expect((await call(sim, b.access_token, '/user')).status).toBe(401);
    expect((await refresh(sim, b.refresh_token)).body.error).toBe('invalid_grant');
    // A new consent works again.
    expect((await call(sim, (await login(sim)).access_token, '/user')).status).toBe(200);
  });
});

describe('FikenSimulator: the served data', () => {
  let sim: FikenSimulator;
  let token: string;
  let slug: string;
  let entries: Body[];
  const today = osloToday();

  beforeAll(async () => {
    sim = await FikenSimulator.start({ companies: [companyA, companyB, companyC], approvedCompanies: [0, 1], withoutApiAccess: [1], perSecond: FAST });
    token = (await login(sim)).access_token;
    slug = sim.companySlugs[0]!;
    entries = await all(sim, token, '/companies/{companySlug}/journalEntries', `/companies/${slug}/journalEntries`);
  });
  afterAll(() => sim.close());

  it('answers every endpoint as the official spec declares', async () => {
    const base = `/companies/${slug}`;
    const lists = ['accounts', 'contacts', 'projects', 'transactions', 'journalEntries'];
    const firsts: Record<string, Body> = {};
    for (const name of lists) {
      const a = await get(sim, token, `/companies/{companySlug}/${name}`, `${base}/${name}`, { page: '0', pageSize: '5' });
      expect(a.body.length, name).toBeGreaterThan(0);
      firsts[name] = a.body[0];
    }
    await get(sim, token, '/companies/{companySlug}/accountBalances', `${base}/accountBalances`, { date: '2024-06-30' });
    const account = await get(sim, token, '/companies/{companySlug}/accounts/{accountCode}', `${base}/accounts/${firsts.accounts.code}`);
    expect(account.body).toEqual(firsts.accounts);
    const contact = firsts.contacts;
    const reskontro = await get(sim, token, '/companies/{companySlug}/accounts/{accountCode}', `${base}/accounts/${contact.customerAccountCode}`);
    expect(reskontro.body).toEqual({ code: contact.customerAccountCode, name: contact.name });
    const balance = await get(sim, token, '/companies/{companySlug}/accountBalances/{accountCode}', `${base}/accountBalances/1920`, { date: '2024-06-30' });
    expect(balance.body.code).toBe('1920');
    const singles: [string, string, string][] = [
      ['contacts', 'contactId', '{contactId}'],
      ['projects', 'projectId', '{projectId}'],
      ['transactions', 'transactionId', '{transactionId}'],
      ['journalEntries', 'journalEntryId', '{journalEntryId}'],
    ];
    for (const [name, idField, param] of singles) {
      const a = await get(sim, token, `/companies/{companySlug}/${name}/${param}`, `${base}/${name}/${firsts[name][idField]}`);
      expect(a.body, name).toEqual(firsts[name]);
    }
    const attachments = await get(sim, token, '/companies/{companySlug}/journalEntries/{journalEntryId}/attachments', `${base}/journalEntries/${firsts.journalEntries.journalEntryId}/attachments`);
    expect(attachments.body).toEqual([]);
    expect((await call(sim, token, `${base}/journalEntries/1`)).status).toBe(404);
    expect((await call(sim, token, `${base}/transactions/abc`)).status).toBe(400);
    expect((await call(sim, token, `${base}/accountBalances`)).status).toBe(400); // date is required
  });

  it('lists only the approved companies, with API access and accounting start', async () => {
    const companies = await all(sim, token, '/companies', '/companies');
    expect(companies.map((c) => c.slug).sort()).toEqual([sim.companySlugs[0], sim.companySlugs[1]].sort());
    const a = companies.find((c) => c.slug === slug)!;
    expect(a).toMatchObject({ name: companyA.organization.name, organizationNumber: companyA.organization.org_number, hasApiAccess: true, accountingStartDate: '2023-01-01' });
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(companies.find((c) => c.slug === sim.companySlugs[1])!.hasApiAccess).toBe(false);
    // Default order is by name; sortBy reverses it.
    const desc = await get(sim, token, '/companies', '/companies', { sortBy: 'name desc' });
    expect(desc.body.map((c: Body) => c.name)).toEqual(companies.map((c) => c.name).reverse());
    expect((await get(sim, token, '/companies/{companySlug}', `/companies/${slug}`)).body).toEqual(a);
  });

  it('answers 403 for a company not approved or without API access, 404 for an unknown one', async () => {
    const [, noApi, unapproved] = sim.companySlugs;
    expect((await call(sim, token, `/companies/${noApi}/journalEntries`)).status).toBe(403);
    expect((await call(sim, token, `/companies/${noApi}/accounts`)).status).toBe(403);
    expect((await get(sim, token, '/companies/{companySlug}', `/companies/${noApi}`)).body.hasApiAccess).toBe(false);
    expect((await call(sim, token, `/companies/${unapproved}`)).status).toBe(403);
    const forbidden = await call(sim, token, `/companies/${unapproved}/journalEntries`);
    expect(forbidden.status).toBe(403);
    expect(Object.keys(forbidden.body).sort()).toEqual(['error', 'error_description']);
    expect((await call(sim, token, '/companies/no-such-company/journalEntries')).status).toBe(404);
    expect((await call(sim, null, `/companies/${slug}/journalEntries`)).status).toBe(401);
  });

  it('pages with page/pageSize and Fiken-Api-* headers, at most 100 per page', async () => {
    const path = `/companies/${slug}/journalEntries`;
    const template = '/companies/{companySlug}/journalEntries';
    const first = await get(sim, token, template, path);
    expect(first.body.length).toBe(25);
    expect(first.headers['fiken-api-page']).toBe('0');
    expect(first.headers['fiken-api-page-size']).toBe('25');
    expect(first.headers['fiken-api-result-count']).toBe(String(entries.length));
    expect(first.headers['fiken-api-page-count']).toBe(String(Math.ceil(entries.length / 25)));
    const third = await get(sim, token, template, path, { page: '2', pageSize: '7' });
    expect(third.body.map((e: Body) => e.journalEntryId)).toEqual(entries.slice(14, 21).map((e) => e.journalEntryId));
    expect([third.headers['fiken-api-page'], third.headers['fiken-api-page-count']]).toEqual(['2', String(Math.ceil(entries.length / 7))]);
    const past = await get(sim, token, template, path, { page: '9999', pageSize: '100' });
    expect(past.body).toEqual([]);
    // Both parameters are needed to page; one alone leaves the defaults.
    expect((await get(sim, token, template, path, { page: '3' })).headers['fiken-api-page']).toBe('0');
    for (const pageSize of ['101', '0', '-1', 'x']) expect((await call(sim, token, path, { page: '0', pageSize })).status, pageSize).toBe(400);
    expect((await call(sim, token, path, { page: '-1', pageSize: '10' })).status).toBe(400);
    // Default order is creation order: ids ascending, no duplicates.
    const ids = entries.map((e) => e.journalEntryId as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves each voucher as one balanced journal entry in Fiken terms', async () => {
    expect(entries.length).toBe(companyA.truth.years.reduce((n, y) => n + y.voucherCount, 0));
    const contacts = await all(sim, token, '/companies/{companySlug}/contacts', `/companies/${slug}/contacts`);
    const projects = await all(sim, token, '/companies/{companySlug}/projects', `/companies/${slug}/projects`);
    const parties = companyA.fiscalYears[0]!.parties;
    expect(contacts.length).toBe(parties.length);
    const codes = new Set(contacts.map((c) => c.customerAccountCode ?? c.supplierAccountCode));
    expect(contacts.filter((c) => c.customer).every((c) => c.customerAccountCode === `1500:${c.customerNumber}` && !c.supplier && c.supplierNumber === undefined)).toBe(true);
    expect(contacts.filter((c) => c.supplier).every((c) => c.supplierAccountCode === `2400:${c.supplierNumber}`)).toBe(true);
    expect(projects.map((p) => p.number)).toEqual(companyA.fiscalYears[0]!.dimensions.filter((d) => d.dimension_type === 'project').map((d) => d.dimension_id));
    const projectIds = new Set(projects.map((p) => p.projectId as number));
    const created = addDays(today, -30);
    let withProject = 0;
    let reskontro = 0;
    const numbers = new Map<string, number[]>();
    for (const e of entries) {
      expect(e.lines.reduce((s: bigint, l: Body) => s + BigInt(l.amount), 0n), `entry ${e.journalEntryId}`).toBe(0n);
      expect([e.createdDate, e.lastModifiedDate, e.offsetTransactionId]).toEqual([created, created, undefined]);
      for (const l of e.lines) {
        expect(Number.isInteger(l.amount)).toBe(true);
        expect(l.account).toMatch(/^\d{4}(:\d{5})?$/);
        if (l.account.includes(':')) {
          expect(codes.has(l.account), l.account).toBe(true);
          reskontro++;
        }
        for (const id of l.projectId) expect(projectIds.has(id)).toBe(true);
        if (l.projectId.length) withProject++;
      }
      const year = (e.date as string).slice(0, 4);
      numbers.set(year, [...(numbers.get(year) ?? []), e.journalEntryNumber]);
    }
    expect(reskontro).toBeGreaterThan(0);
    expect(withProject).toBeGreaterThan(0);
    // Numbered 1…N per fiscal year in date order (= list order for the initial data).
    for (const [year, list] of numbers) expect(list, year).toEqual(list.map((_, i) => i + 1));
    const dates = entries.map((e) => e.date as string);
    expect(dates).toEqual([...dates].sort());

    const tx = await get(sim, token, '/companies/{companySlug}/transactions/{transactionId}', `/companies/${slug}/transactions/${entries[0].transactionId}`);
    expect(tx.body).toMatchObject({ transactionId: entries[0].transactionId, deleted: false, type: 'Salg', entries: [entries[0]] });
    const types = new Set((await all(sim, token, '/companies/{companySlug}/transactions', `/companies/${slug}/transactions`)).map((t) => t.type));
    expect([...types].sort()).toEqual(['Betaling', 'General Journal Entry', 'Kjøp', 'Lønn', 'Salg']);

    const chart = await all(sim, token, '/companies/{companySlug}/accounts', `/companies/${slug}/accounts`);
    expect(chart.map((a) => a.code)).toEqual(companyA.fiscalYears[2]!.accounts.map((a) => a.account_id).sort());
    const classOne = await all(sim, token, '/companies/{companySlug}/accounts', `/companies/${slug}/accounts`, { fromAccount: '1000', toAccount: '1999' });
    expect(classOne.map((a) => a.code)).toEqual(chart.map((a) => a.code).filter((c) => c >= '1000' && c <= '1999'));
    const ranged = await all(sim, token, '/companies/{companySlug}/accounts', `/companies/${slug}/accounts`, { range: '1500, 3000-3999' });
    expect(ranged.map((a) => a.code)).toEqual(chart.map((a) => a.code).filter((c) => c === '1500' || c[0] === '3'));
  });

  it('has the generator truth before any mutation, and the journal entries add up to it', () => {
    const truth = sim.truth(0).years;
    expect(truth.map((y) => y.start)).toEqual(companyA.truth.years.map((y) => y.fiscal_year.start_date));
    const served = movementsOf(entries, truth);
    for (const [i, y] of truth.entries()) {
      const g = companyA.truth.years[i]!;
      expect(y.end).toBe(g.fiscal_year.end_date);
      expect(sorted(y.opening)).toEqual(sorted(companyA.truth.year(y.start).opening));
      expect(sortedMovements(y.movements)).toEqual(sortedMovements(companyA.truth.movements(y.start)));
      expect(sortedMovements(served.get(y.start)!)).toEqual(sortedMovements(y.movements));
      expect([y.vouchers, y.lines]).toEqual([g.voucherCount, g.lineCount]);
    }
  });

  it('answers accountBalances with the closing balance per account on a date', async () => {
    for (const y of companyA.truth.years) {
      const balances = await balancesOn(sim, token, slug, y.fiscal_year.end_date);
      expect(sorted(balances), y.fiscal_year.end_date).toEqual(sorted(y.closing));
    }
    // A day in a year with nothing booked yet: income-statement accounts (3–8) restart at zero.
    const later = await balancesOn(sim, token, slug, '2026-01-15');
    const last = companyA.truth.years[2]!.closing;
    expect(sorted(later)).toEqual(sorted(new Map([...last].map(([code, v]) => [code, code >= '3' && code < '9' ? 0n : v]))));
    const before = await balancesOn(sim, token, slug, '2022-12-31');
    expect(sorted(before)).toEqual(sorted(companyA.truth.years[0]!.opening));
    const filtered = await get(sim, token, '/companies/{companySlug}/accountBalances', `/companies/${slug}/accountBalances`, { date: '2024-12-31', fromAccount: '1900', toAccount: '1999' });
    expect(filtered.body.every((r: Body) => r.code >= '1900' && r.code <= '1999')).toBe(true);
    // Mid-year: opening + the entries up to and including that day.
    const day = '2024-03-15';
    const mid = await balancesOn(sim, token, slug, day);
    const expected = new Map(companyA.truth.year('2024-01-01').opening);
    for (const e of entries) {
      if (e.date < '2024-01-01' || e.date > day) continue;
      for (const l of e.lines) {
        const code = (l.account as string).split(':')[0]!;
        expected.set(code, expected.get(code)! + BigInt(l.amount));
      }
    }
    expect(sorted(mid)).toEqual(sorted(expected));
  });

  it('filters journal entries, transactions and contacts by date, lastModified and createdDate', async () => {
    const path = `/companies/${slug}/journalEntries`;
    const template = '/companies/{companySlug}/journalEntries';
    const march = await all(sim, token, template, path, { dateGe: '2024-03-01', dateLt: '2024-04-01' });
    expect(march.map((e) => e.journalEntryId)).toEqual(entries.filter((e) => e.date >= '2024-03-01' && e.date < '2024-04-01').map((e) => e.journalEntryId));
    const window = await all(sim, token, template, path, { dateGt: '2024-03-01', dateLe: '2024-03-10' });
    expect(window.map((e) => e.journalEntryId)).toEqual(entries.filter((e) => e.date > '2024-03-01' && e.date <= '2024-03-10').map((e) => e.journalEntryId));
    const oneDay = entries[100].date as string;
    expect((await all(sim, token, template, path, { date: oneDay })).every((e) => e.date === oneDay)).toBe(true);
    expect((await call(sim, token, path, { dateGe: '2024-13-01' })).status).toBe(400);
    expect((await call(sim, token, path, { lastModifiedGe: '15.03.2024' })).status).toBe(400);

    const created = addDays(today, -30);
    for (const [query, count] of [
      [{ lastModifiedGe: today }, 0],
      [{ lastModifiedLe: created }, entries.length],
      [{ lastModified: created }, entries.length],
      [{ lastModifiedGt: created }, 0],
      [{ createdDateLt: created }, 0],
      [{ createdDateGe: created }, entries.length],
    ] as [Record<string, string>, number][]) {
      const a = await get(sim, token, template, path, { ...query, page: '0', pageSize: '1' });
      expect(a.headers['fiken-api-result-count'], JSON.stringify(query)).toBe(String(count));
      const t = await get(sim, token, '/companies/{companySlug}/transactions', `/companies/${slug}/transactions`, { ...query, page: '0', pageSize: '1' });
      expect(t.headers['fiken-api-result-count'], JSON.stringify(query)).toBe(String(count));
    }
    const contacts = `/companies/${slug}/contacts`;
    expect((await get(sim, token, '/companies/{companySlug}/contacts', contacts, { lastModifiedGe: today })).body).toEqual([]);
    const customers = await all(sim, token, '/companies/{companySlug}/contacts', contacts, { customer: 'true', lastModifiedLe: created });
    expect(customers.length).toBe(companyA.fiscalYears[0]!.parties.filter((p) => p.party_type === 'customer').length);
  });

  it('serves injected faults through the shared framework', async () => {
    sim.resetStats();
    sim.faults.inject({ kind: 'status', status: 503, count: 1, path: /journalEntries$/ });
    const path = `/companies/${slug}/journalEntries`;
    const failed = await call(sim, token, path);
    expect(failed.status).toBe(503);
    expect(failed.body.error).toBe('service_unavailable');
    expect((await call(sim, token, path)).status).toBe(200);
    const s = sim.stats();
    expect([s.injected, s.requests, s.byPath[`/api/v2${path}`]]).toEqual([1, 2, 2]);
  });

  it('records mutations as Fiken does: new transactions, edited lines, deletions reversed', async () => {
    const before = new Map(entries.map((e) => [e.journalEntryId as number, e]));
    const report = sim.mutate(0, { add: 3, edit: 2, delete: 2, seed: 5 });
    expect([report.added.length, report.edited.length, report.deleted.length, report.reversals.length]).toEqual([3, 2, 2, 2]);
    const touched = [...report.added, ...report.edited, ...report.deleted, ...report.reversals];
    expect(touched.every((k) => k.date >= '2025-01-01' && k.date <= '2025-12-31')).toBe(true);

    const path = `/companies/${slug}/journalEntries`;
    const template = '/companies/{companySlug}/journalEntries';
    const changed = await all(sim, token, template, path, { lastModifiedGe: today });
    expect(changed.map((e) => e.journalEntryId).sort()).toEqual(touched.map((k) => k.journalEntryId).sort());
    const fresh = await all(sim, token, template, path, { createdDateGe: today });
    expect(fresh.map((e) => e.journalEntryId).sort()).toEqual([...report.added, ...report.reversals].map((k) => k.journalEntryId).sort());
    const after = await all(sim, token, template, path);
    expect(after.length).toBe(entries.length + 5);
    // New objects append at the end of the default order.
    expect(after.slice(0, entries.length)).toHaveLength(entries.length);
    expect(after.slice(entries.length).map((e) => e.journalEntryId).sort()).toEqual(fresh.map((e) => e.journalEntryId).sort());
    const byId = new Map(after.map((e) => [e.journalEntryId as number, e]));

    for (const k of report.edited) {
      const [was, now] = [before.get(k.journalEntryId)!, byId.get(k.journalEntryId)!];
      expect(now.lines.reduce((s: bigint, l: Body) => s + BigInt(l.amount), 0n)).toBe(0n);
      const moved = now.lines.filter((l: Body, i: number) => l.amount !== was.lines[i].amount);
      expect(moved.length).toBe(2);
      expect(moved.every((l: Body) => l.lastModifiedDate === today)).toBe(true);
      expect([now.lastModifiedDate, now.createdDate, now.transactionId]).toEqual([today, was.createdDate, k.transactionId]);
    }
    const transactions = await all(sim, token, '/companies/{companySlug}/transactions', `/companies/${slug}/transactions`, { lastModifiedGe: today });
    const txById = new Map(transactions.map((t) => [t.transactionId as number, t]));
    for (const [i, k] of report.deleted.entries()) {
      const r = report.reversals[i]!;
      const original = txById.get(k.transactionId)!;
      const reversal = txById.get(r.transactionId)!;
      expect([original.deleted, original.lastModifiedDate, reversal.deleted, reversal.type]).toEqual([true, today, false, 'Annullering']);
      expect(original.entries[0].offsetTransactionId).toBe(r.transactionId);
      expect(reversal.entries[0].offsetTransactionId).toBe(k.transactionId);
      expect(r.date).toBe(k.date);
      expect(reversal.entries[0].lines.map((l: Body) => [l.account, -l.amount, l.projectId])).toEqual(before.get(k.journalEntryId)!.lines.map((l: Body) => [l.account, l.amount, l.projectId]));
    }
    for (const k of report.added) expect(txById.get(k.transactionId)).toMatchObject({ deleted: false, type: 'General Journal Entry', createdDate: today });
    const numbers2025 = after.filter((e) => e.date >= '2025-01-01').map((e) => e.journalEntryNumber as number);
    expect(new Set(numbers2025).size).toBe(numbers2025.length);
    expect(Math.max(...numbers2025)).toBe(numbers2025.length);

    // truth() follows the served data, and balances follow both.
    const truth = sim.truth(0).years;
    const served = movementsOf(after, truth);
    for (const y of truth) expect(sortedMovements(served.get(y.start)!), y.start).toEqual(sortedMovements(y.movements));
    expect(truth[2]!.vouchers).toBe(companyA.truth.years[2]!.voucherCount + 5);
    expect(sortedMovements(truth[1]!.movements)).toEqual(sortedMovements(companyA.truth.movements('2024-01-01')));
    expect(sorted(await balancesOn(sim, token, slug, '2025-12-31'))).toEqual(sorted(closingOf(truth[2]!)));

    // The same plan again changes other entries, reproducibly.
    const second = sim.mutate(0, { edit: 2, seed: 5 });
    expect(second.edited.map((k) => k.journalEntryId)).not.toEqual(report.edited.map((k) => k.journalEntryId));
  });
});

describe('FikenSimulator: request rules', () => {
  let sim: FikenSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await FikenSimulator.start({ companies: [companyC, companyC], perSecond: 4, serviceTimeMs: 25 });
    token = (await login(sim)).access_token;
  });
  afterAll(() => sim.close());

  it('makes unique slugs for companies with the same name', () => {
    expect(sim.companySlugs[1]).toBe(`${sim.companySlugs[0]}-2`);
  });

  it('turns away a second concurrent request with 429', async () => {
    await sleep(1_100);
    sim.resetStats();
    const path = `/companies/${sim.companySlugs[0]}/accounts`;
    const answers = await Promise.all([call(sim, token, path), call(sim, token, path)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
    expect(answers.find((a) => a.status === 429)!.body.error).toBe('too_many_requests');
    expect(sim.stats()).toMatchObject({ concurrentRejected: 1, rateLimited: 0 });
  });

  it('allows at most perSecond requests in any sliding second', async () => {
    await sleep(1_100);
    sim.resetStats();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(sim, token, '/user')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(sim.stats()).toMatchObject({ rateLimited: 1, concurrentRejected: 0 });
    await sleep(1_050);
    expect((await call(sim, token, '/user')).status).toBe(200);
  });
});
