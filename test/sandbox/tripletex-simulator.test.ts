import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateCompany,
  HttpSimulator,
  Router,
  TripletexSimulator,
  type GeneratedCompany,
  type SimResponse,
} from '../../sandbox/index.ts';
import { SPEC_FIELDS } from '../../sandbox/tripletex/spec-fields.ts';
import { addDays, FixedClock, moneyFromJsonNumber } from '../../model/index.ts';
import { schemaProperties, validateResponse, validateSchema } from '../helpers/openapi.ts';

// ---------------------------------------------------------------------------------------------
// A small client over real HTTP (undici keep-alive), and spec validation of every answer.

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

async function call(
  sim: { baseUrl: string },
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Record<string, string>; authorization?: string; json?: unknown } = {},
): Promise<Answer> {
  const qs = options.query ? `?${new URLSearchParams(options.query)}` : '';
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.baseUrl}${path}${qs}`, {
    dispatcher: agent,
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, body: text ? (JSON.parse(text) as Body) : undefined, text };
}

/** Asserts the answer is what the spec declares for `method template` at its status. */
function conforms(method: string, template: string, a: Answer): Answer {
  expect(validateResponse(method, template, a.status, a.body), `${method} ${template} ${a.status}: ${a.text.slice(0, 300)}`).toEqual([]);
  return a;
}

function basic(token: string, username: string | number = '0'): string {
  return `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
}

async function createSession(sim: TripletexSimulator, expirationDate = '2099-12-31'): Promise<string> {
  const a = conforms('post', '/token/session/:create', await call(sim, 'POST', '/token/session/:create', {
    json: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken, expirationDate },
  }));
  expect(a.status).toBe(201);
  return a.body.value.token as string;
}

/** GETs as a logged-in client; `template` (the spec path) defaults to `path`. */
async function get(sim: TripletexSimulator, token: string, path: string, query: Record<string, string> = {}, options: { username?: string | number; template?: string } = {}): Promise<Answer> {
  const a = await call(sim, 'GET', path, { query, authorization: basic(token, options.username) });
  return conforms('get', options.template ?? path, a);
}

/** Every row of a list, paging with from/count until a short page (the only safe stop). */
async function all(sim: TripletexSimulator, token: string, path: string, query: Record<string, string>, count = 1000): Promise<Body[]> {
  const out: Body[] = [];
  for (let from = 0; ; from += count) {
    const a = await get(sim, token, path, { ...query, from: String(from), count: String(count) });
    expect(a.status).toBe(200);
    out.push(...a.body.values);
    if (a.body.values.length < count) return out;
  }
}

const øre = (x: unknown) => {
  const m = moneyFromJsonNumber(x);
  if (m === null) throw new Error(`not an amount: ${String(x)}`);
  return m;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const POSTING_FIELDS = 'id,date,row,amount,systemGenerated,account(number),voucher(id)';

/** account → month → net øre, from postings. */
function movementsOf(postings: Body[]): Map<string, Map<string, bigint>> {
  const out = new Map<string, Map<string, bigint>>();
  for (const p of postings) {
    const account = String(p.account.number);
    const month = (p.date as string).slice(0, 7);
    const perMonth = out.get(account) ?? new Map<string, bigint>();
    perMonth.set(month, (perMonth.get(month) ?? 0n) + øre(p.amount));
    out.set(account, perMonth);
  }
  for (const [account, perMonth] of out) {
    for (const [month, v] of perMonth) if (v === 0n) perMonth.delete(month);
    if (perMonth.size === 0) out.delete(account);
  }
  return out;
}

function sorted<V>(m: Map<string, V>): [string, V][] {
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}

function sortedMovements(m: Map<string, Map<string, bigint>>): [string, [string, bigint][]][] {
  return sorted(m).map(([k, v]) => [k, sorted(v)]);
}

/** /balanceSheet over each fiscal year: balanceIn = the generator's opening, balanceOut = its closing. */
async function expectGeneratorBalances(sim: TripletexSimulator, token: string, company: GeneratedCompany): Promise<void> {
  for (const y of company.truth.years) {
    const start = y.fiscal_year.start_date;
    const next = addDays(y.fiscal_year.end_date, 1);
    const rows = await all(sim, token, '/balanceSheet', { dateFrom: start, dateTo: next, includeActiveAccountsWithoutMovements: 'true', fields: 'account(number),balanceIn,balanceChange,balanceOut' });
    const balanceIn = new Map(rows.map((r) => [String(r.account.number), øre(r.balanceIn)]));
    const balanceOut = new Map(rows.map((r) => [String(r.account.number), øre(r.balanceOut)]));
    expect(sorted(balanceIn), start).toEqual(sorted(y.opening));
    expect(sorted(balanceOut), start).toEqual(sorted(y.closing));
    expect(rows.every((r) => øre(r.balanceIn) + øre(r.balanceChange) === øre(r.balanceOut))).toBe(true);
  }
}

function expectGeneratorTruth(sim: TripletexSimulator, company: GeneratedCompany): void {
  const truth = sim.truth(0).years;
  expect(truth.map((y) => y.start)).toEqual(company.truth.years.map((y) => y.fiscal_year.start_date));
  for (const [i, y] of truth.entries()) {
    const g = company.truth.years[i]!;
    expect(y.end).toBe(g.fiscal_year.end_date);
    expect(sorted(y.opening)).toEqual(sorted(company.truth.year(y.start).opening));
    expect(sortedMovements(y.movements)).toEqual(sortedMovements(company.truth.movements(y.start)));
    expect([y.vouchers, y.lines]).toEqual([g.voucherCount, g.lineCount]);
  }
}

// ---------------------------------------------------------------------------------------------

const companyA: GeneratedCompany = generateCompany({ seed: 7, country: 'NO', linesPerYear: 2_000, currentYear: 2026 });
const companyB: GeneratedCompany = generateCompany({ seed: 8, country: 'NO', linesPerYear: 1_500, currentYear: 2026 });
const BIG_LIMIT = { limit: 100_000, windowMs: 1_000 };

describe('TripletexSimulator: the served data', () => {
  const today = '2026-06-15';
  const clock = new FixedClock(today);
  let sim: TripletexSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await TripletexSimulator.start({ companies: [companyA], rateLimit: BIG_LIMIT, clock });
    token = await createSession(sim);
  });
  afterAll(() => sim.close());

  it("models exactly the spec's properties", () => {
    for (const [name, fields] of Object.entries(SPEC_FIELDS)) expect([...fields], name).toEqual(schemaProperties(name));
  });

  it('answers every endpoint as the official spec declares', async () => {
    const id = sim.companyIds[0]!;
    const putCreate = await call(sim, 'PUT', '/token/session/:create', {
      query: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken, expirationDate: '2099-01-01' },
    });
    expect(conforms('put', '/token/session/:create', putCreate).status).toBe(200);
    expect(putCreate.body.value.token).toMatch(/^[A-Za-z0-9+/=]+$/);

    const who = await get(sim, token, '/token/session/%3EwhoAmI', {}, { template: '/token/session/>whoAmI' });
    expect(who.body.value).toMatchObject({ companyId: id, company: { id }, employeeIsProxy: false });
    expect((await get(sim, token, '/token/session/>whoAmI')).status).toBe(200);
    expect((await get(sim, token, '/company/>withLoginAccess')).body.values).toEqual([]);
    const company = await get(sim, token, `/company/${id}`, { fields: '*,currency(code)' }, { template: '/company/{id}' });
    expect(company.body.value).toMatchObject({ id, name: companyA.organization.name, organizationNumber: companyA.organization.org_number, currency: { code: 'NOK' } });

    const lists: [string, Record<string, string>][] = [
      ['/ledger/annualAccount', {}],
      ['/ledger/accountingPeriod', {}],
      ['/ledger/account', {}],
      ['/ledger/vatType', {}],
      ['/ledger/voucherType', {}],
      ['/department', {}],
      ['/project', {}],
      ['/customer', {}],
      ['/supplier', {}],
      ['/currency', {}],
      ['/ledger/posting', { dateFrom: '2025-03-01', dateTo: '2025-04-01', count: '200' }],
      ['/ledger/posting', { dateFrom: '2025-03-01', dateTo: '2025-04-01', count: '200', fields: '*,changes,account(*),voucher(*,voucherType(*)),vatType(*),currency(*),customer(*),supplier(*),department(*),project(*)' }],
      ['/ledger/voucher', { dateFrom: '2025-03-01', dateTo: '2025-04-01', count: '200' }],
      ['/ledger/voucher', { dateFrom: '2025-03-01', dateTo: '2025-04-01', count: '50', fields: '*,postings(*)' }],
      ['/balanceSheet', { dateFrom: '2025-01-01', dateTo: '2026-01-01', includeActiveAccountsWithoutMovements: 'true' }],
    ];
    const firstIds = new Map<string, number>();
    for (const [path, query] of lists) {
      const a = await get(sim, token, path, query);
      expect(a.status, path).toBe(200);
      expect(a.body.values.length, path).toBeGreaterThan(0);
      if (a.body.values[0].id) firstIds.set(path, a.body.values[0].id as number);
    }
    for (const [path, itemId] of firstIds) {
      const a = await get(sim, token, `${path}/${itemId}`, {}, { template: `${path}/{id}` });
      expect(a.body.value.id, path).toBe(itemId);
    }

    const deleted = await call(sim, 'DELETE', `/token/session/${putCreate.body.value.token}`, { authorization: basic(token) });
    expect(conforms('delete', '/token/session/{token}', deleted).status).toBe(204);
    const afterDelete = await call(sim, 'GET', '/ledger/voucherType', { authorization: basic(putCreate.body.value.token) });
    expect(conforms('get', '/ledger/voucherType', afterDelete).status).toBe(401);
  });

  it('answers errors with the ApiError envelope and x-tlx-request-id', async () => {
    const noAuth = conforms('get', '/ledger/account', await call(sim, 'GET', '/ledger/account'));
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toMatchObject({ status: 401, code: 3000 });
    expect(noAuth.body.requestId).toBe(noAuth.headers['x-tlx-request-id']);
    const badToken = conforms('get', '/ledger/account', await call(sim, 'GET', '/ledger/account', { authorization: basic('nope') }));
    expect(badToken.body.code).toBe(3000);
    const otherCompany = await get(sim, token, '/ledger/account', {}, { username: 424242 });
    expect(otherCompany.status).toBe(401);
    expect((await get(sim, token, '/company/1', {}, { template: '/company/{id}' })).body.code).toBe(6000);

    const missing = await get(sim, token, '/ledger/posting', { dateFrom: '2025-01-01' });
    expect(missing.status).toBe(422);
    expect(missing.body.validationMessages[0].field).toBe('dateTo');
    const tooLarge = await get(sim, token, '/ledger/posting', { dateFrom: '2025-01-01', dateTo: '2026-01-01', count: '10001' });
    expect(tooLarge.body).toMatchObject({ status: 422, code: 23000 });
    const badField = await get(sim, token, '/ledger/posting', { dateFrom: '2025-01-01', dateTo: '2025-02-01', fields: 'id,nope' });
    expect(badField.body).toMatchObject({ status: 400, code: 11000 });
    const badNested = await get(sim, token, '/ledger/posting', { dateFrom: '2025-01-01', dateTo: '2025-02-01', fields: 'account(nope)' });
    expect(badNested.body.code).toBe(11000);
    const badSort = await get(sim, token, '/ledger/account', { sorting: 'nope' });
    expect(badSort.body).toMatchObject({ status: 422, code: 17000 });
    const unknown = await call(sim, 'GET', '/ledger/nothing', { authorization: basic(token) });
    expect(unknown.status).toBe(404);
    expect(validateSchema('ApiError', unknown.body)).toEqual([]);
    expect(unknown.headers['x-tlx-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages until a short page gets every posting once; fullResultSize is not the total', async () => {
    const year = { dateFrom: '2025-01-01', dateTo: '2026-01-01', fields: POSTING_FIELDS };
    const postings = await all(sim, token, '/ledger/posting', year, 400);
    const ids = postings.map((p) => p.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    const truth = companyA.truth.year('2025-01-01');
    expect(ids.length).toBe(truth.lineCount);
    // Same answer twice: ids and order are stable.
    expect((await all(sim, token, '/ledger/posting', year, 1000)).map((p) => p.id)).toEqual(ids);

    const first = await get(sim, token, '/ledger/posting', { ...year, count: '400' });
    expect(first.body.fullResultSize).toBe(401);
    expect(first.body.fullResultSize).toBeLessThan(truth.lineCount); // a client trusting it stops early
    expect(first.body.versionDigest).toMatch(/^[0-9a-f]{16}$/);
    const empty = await get(sim, token, '/ledger/posting', { dateFrom: '2030-01-01', dateTo: '2030-02-01' });
    expect(empty.body).toMatchObject({ fullResultSize: 0, count: 0, values: [], versionDigest: null });

    // Ordered by date, then voucher; each voucher sums to zero; rows 0 are the generated VAT lines.
    for (let i = 1; i < postings.length; i++) expect(postings[i - 1].date <= postings[i].date).toBe(true);
    const byVoucher = new Map<number, bigint>();
    for (const p of postings) byVoucher.set(p.voucher.id, (byVoucher.get(p.voucher.id) ?? 0n) + øre(p.amount));
    expect([...byVoucher.values()].every((s) => s === 0n)).toBe(true);
    expect(byVoucher.size).toBe(truth.voucherCount);
    expect(postings.some((p) => p.row === 0 && p.systemGenerated === true && String(p.account.number).startsWith('27'))).toBe(true);
    expect(postings.every((p) => (p.row === 0) === p.systemGenerated)).toBe(true);

    // …and to the øre, the generator's own movements per account and month.
    expect(sortedMovements(movementsOf(postings))).toEqual(sortedMovements(companyA.truth.movements('2025-01-01')));
  });

  it('writes amounts as exact two-decimal numbers', async () => {
    const a = await get(sim, token, '/ledger/posting', { dateFrom: '2025-05-01', dateTo: '2025-06-01', fields: 'amount,amountCurrency,amountGross' });
    const amounts = [...a.text.matchAll(/"amount":(-?[0-9.]+)/g)].map((m) => m[1]!);
    expect(amounts.length).toBeGreaterThan(10);
    expect(amounts.every((t) => /^-?\d+\.\d{2}$/.test(t))).toBe(true);
  });

  it('treats dateTo as exclusive', async () => {
    const month = await all(sim, token, '/ledger/posting', { dateFrom: '2025-03-01', dateTo: '2025-04-01', fields: 'id,date' });
    const day = month[Math.floor(month.length / 2)].date as string;
    const next = addDays(day, 1);
    const before = await all(sim, token, '/ledger/posting', { dateFrom: '2025-03-01', dateTo: day, fields: 'id,date' });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((p) => p.date < day)).toBe(true);
    const only = await all(sim, token, '/ledger/posting', { dateFrom: day, dateTo: next, fields: 'id,date' });
    expect(only.length).toBe(month.filter((p) => p.date === day).length);
    expect(only.every((p) => p.date === day)).toBe(true);
    const vouchers = await all(sim, token, '/ledger/voucher', { dateFrom: '2025-03-01', dateTo: day, fields: 'id,date' });
    expect(vouchers.every((v) => v.date < day)).toBe(true);
  });

  it('selects fields as Tripletex does: {id,url} references, nested selections, null for absent ones', async () => {
    const window = { dateFrom: '2025-02-01', dateTo: '2025-03-01' };
    const plain = await all(sim, token, '/ledger/posting', { ...window, fields: 'id,account,project' });
    expect(Object.keys(plain[0])).toEqual(['id', 'account', 'project']);
    expect(plain[0].account).toEqual({ id: expect.any(Number), url: expect.stringMatching(/^127\.0\.0\.1:\d+\/v2\/ledger\/account\/\d+$/) });
    expect(plain.some((p) => p.project === null)).toBe(true);
    expect(plain.some((p) => p.project !== null && Object.keys(p.project).join() === 'id,url')).toBe(true);

    const nested = await all(sim, token, '/ledger/posting', { ...window, fields: 'id,account(number,name),voucher(id,number,voucherType(id,name)),department(departmentNumber),vatType(number)' });
    const sample = nested.find((p) => p.department !== null && p.vatType !== null);
    expect(Object.keys(sample.account)).toEqual(['number', 'name']);
    expect(typeof sample.account.number).toBe('number');
    expect(Object.keys(sample.voucher)).toEqual(['id', 'number', 'voucherType']);
    expect(Object.keys(sample.voucher.voucherType)).toEqual(['id', 'name']);
    expect(sample.department).toEqual({ departmentNumber: expect.any(String) });
    expect(sample.vatType).toEqual({ number: expect.any(String) });

    const star = await get(sim, token, '/ledger/posting', { ...window, count: '1' });
    const starKeys = Object.keys(star.body.values[0]);
    expect(starKeys).toEqual(SPEC_FIELDS.Posting.filter((f) => f !== 'changes'));
    const withChanges = await get(sim, token, '/ledger/posting', { ...window, count: '1', fields: '*,changes' });
    expect(withChanges.body.values[0].changes[0]).toMatchObject({ changeType: 'CREATE' });

    const vouchers = await get(sim, token, '/ledger/voucher', { ...window, count: '5', fields: 'id,number,year,postings(id,row,amount)' });
    for (const v of vouchers.body.values) {
      expect(v.year).toBe(2025);
      expect(v.postings.reduce((s: bigint, p: Body) => s + øre(p.amount), 0n)).toBe(0n);
    }
    const accountVat = await get(sim, token, '/ledger/account', { number: '3000', fields: 'number,type,ledgerType,vatType(number),saftCode' });
    expect(accountVat.body.values).toEqual([{ number: 3000, type: 'OPERATING_REVENUES', ledgerType: 'GENERAL', vatType: { number: '3' }, saftCode: '3000' }]);
  });

  it('filters postings by account, department and customer, and sorts on request', async () => {
    const window = { dateFrom: '2025-04-01', dateTo: '2025-05-01' };
    const everything = await all(sim, token, '/ledger/posting', { ...window, fields: 'id,account(id,number),department(id),customer(id)' });
    const account = everything.find((p) => p.account.number === 1920).account.id as number;
    const department = everything.find((p) => p.department !== null).department.id as number;
    const customer = everything.find((p) => p.customer !== null).customer.id as number;
    for (const [param, id, pick] of [
      ['accountId', account, (p: Body) => p.account.id],
      ['departmentId', department, (p: Body) => p.department?.id],
      ['customerId', customer, (p: Body) => p.customer?.id],
    ] as const) {
      const filtered = await all(sim, token, '/ledger/posting', { ...window, [param]: String(id), fields: 'id,account(id,number),department(id),customer(id)' });
      expect(filtered.map((p) => p.id), param).toEqual(everything.filter((p) => pick(p) === id).map((p) => p.id));
    }
    const range = await all(sim, token, '/ledger/posting', { ...window, accountNumberFrom: '3000', accountNumberTo: '4000', fields: 'account(number)' });
    expect(range.length).toBeGreaterThan(0);
    expect(range.every((p) => p.account.number >= 3000 && p.account.number < 4000)).toBe(true);
    const descending = await get(sim, token, '/ledger/account', { sorting: '-number', fields: 'number' });
    const numbers = descending.body.values.map((a: Body) => a.number as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    const byAmount = await get(sim, token, '/ledger/posting', { ...window, sorting: 'account.number,-amount', count: '50', fields: 'amount,account(number)' });
    const keys = byAmount.body.values.map((p: Body) => [p.account.number, øre(p.amount)] as [number, bigint]);
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1]![0] < keys[i]![0] || (keys[i - 1]![0] === keys[i]![0] && keys[i - 1]![1] >= keys[i]![1])).toBe(true);
  });

  it('numbers vouchers 1..N per year in date order and maps the generator’s master data', async () => {
    const vouchers = await all(sim, token, '/ledger/voucher', { dateFrom: '2024-01-01', dateTo: '2025-01-01', fields: 'number,year,date,voucherType(name)' });
    expect(vouchers.map((v) => v.number)).toEqual(vouchers.map((_, i) => i + 1));
    const journals = new Set(companyA.fiscalYears[0]!.journals.map((j) => j.name));
    expect(vouchers.every((v) => journals.has(v.voucherType.name))).toBe(true);

    const years = await get(sim, token, '/ledger/annualAccount', { yearFrom: '2025', yearTo: '2026' });
    expect(years.body.values.map((y: Body) => [y.year, y.start])).toEqual([[2025, '2025-01-01']]);
    const periods = await all(sim, token, '/ledger/accountingPeriod', { fields: 'start,end,isClosed' });
    expect(periods).toHaveLength(36);
    expect(periods.filter((p) => !p.isClosed).map((p) => p.start.slice(0, 4))).toEqual(Array(12).fill('2026'));
    const customers = await all(sim, token, '/customer', { fields: 'customerNumber,name,organizationNumber' });
    const generated = companyA.fiscalYears[0]!.parties.filter((p) => p.party_type === 'customer');
    expect(customers.map((c) => [String(c.customerNumber), c.name])).toEqual(generated.map((p) => [p.party_id, p.name]));
    const vat = await all(sim, token, '/ledger/vatType', { fields: 'number,percentage' });
    expect(vat.map((v) => v.number)).toEqual(companyA.fiscalYears[0]!.tax_codes.map((t) => t.tax_code));
    const currency = await get(sim, token, '/currency', { code: 'EUR', fields: 'code,factor' });
    expect(currency.body.values).toEqual([{ code: 'EUR', factor: 1 }]);
  });

  it("gives the generator's opening and closing balances in /balanceSheet", async () => {
    await expectGeneratorBalances(sim, token, companyA);
    const midYear = await all(sim, token, '/balanceSheet', { dateFrom: '2025-07-01', dateTo: '2025-08-01', fields: 'account(number),balanceChange' });
    const july = new Map(midYear.filter((r) => øre(r.balanceChange) !== 0n).map((r) => [String(r.account.number), øre(r.balanceChange)]));
    const truthJuly = new Map([...companyA.truth.movements('2025-01-01')].flatMap(([a, m]) => (m.has('2025-07') ? [[a, m.get('2025-07')!] as const] : [])));
    expect(sorted(july)).toEqual(sorted(truthJuly));
  });

  it("recomputes truth() from the served data, equal to the generator's truth before any mutation", () => {
    expectGeneratorTruth(sim, companyA);
  });

  it('expires sessions by date (Oslo today) and refuses expiration dates not after today', async () => {
    const refused = await call(sim, 'POST', '/token/session/:create', {
      json: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken, expirationDate: today },
    });
    expect(conforms('post', '/token/session/:create', refused).status).toBe(422);
    expect(refused.body.validationMessages[0].field).toBe('expirationDate');
    const wrong = await call(sim, 'POST', '/token/session/:create', { json: { consumerToken: 'x', employeeToken: sim.employeeToken, expirationDate: '2099-01-01' } });
    expect(conforms('post', '/token/session/:create', wrong).body).toMatchObject({ status: 401, code: 3000 });

    const short = await createSession(sim, '2026-06-17');
    try {
      expect((await get(sim, short, '/ledger/voucherType')).status).toBe(200);
      clock.set('2026-06-16');
      expect((await get(sim, short, '/ledger/voucherType')).status).toBe(200);
      clock.set('2026-06-17');
      const expired = await get(sim, short, '/ledger/voucherType');
      expect(expired.body).toMatchObject({ status: 401, code: 3000 });
    } finally {
      clock.set(today);
    }
  });
});

describe('TripletexSimulator: sessions, accountants and rate limits', () => {
  it('expireSessions and revokeEmployeeToken answer 401 as promised', async () => {
    const sim = await TripletexSimulator.start({ companies: [companyB], rateLimit: BIG_LIMIT });
    try {
      const first = await createSession(sim);
      sim.expireSessions();
      expect((await get(sim, first, '/ledger/voucherType')).status).toBe(401);
      const second = await createSession(sim);
      expect((await get(sim, second, '/ledger/voucherType')).status).toBe(200);
      sim.revokeEmployeeToken();
      expect((await get(sim, second, '/ledger/voucherType')).body.code).toBe(3000);
      const create = await call(sim, 'POST', '/token/session/:create', { json: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken, expirationDate: '2099-01-01' } });
      expect(conforms('post', '/token/session/:create', create).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it("limits an accounting firm's username 0 to whoAmI and withLoginAccess, and reaches each client by its id", async () => {
    const sim = await TripletexSimulator.start({ companies: [companyA, companyB], accountant: true, rateLimit: BIG_LIMIT });
    try {
      const token = await createSession(sim);
      const who = await get(sim, token, '/token/session/>whoAmI');
      expect(sim.companyIds).not.toContain(who.body.value.companyId);
      const clients = await get(sim, token, '/company/>withLoginAccess', { fields: 'id,name,organizationNumber,customerCompanyId' });
      expect(clients.body.values.map((c: Body) => c.id)).toEqual(sim.companyIds);
      expect(clients.body.values.map((c: Body) => c.name)).toEqual([companyA.organization.name, companyB.organization.name]);
      const forbidden = await get(sim, token, '/ledger/account');
      expect(forbidden.body).toMatchObject({ status: 403, code: 9000 });
      expect((await get(sim, token, `/company/${sim.companyIds[0]}`, {}, { template: '/company/{id}' })).status).toBe(403);

      const b = sim.companyIds[1]!;
      const asB = await get(sim, token, '/token/session/>whoAmI', { fields: 'companyId,employeeIsProxy,company(name)' }, { username: b });
      expect(asB.body.value).toEqual({ companyId: b, employeeIsProxy: true, company: { name: companyB.organization.name } });
      const accounts = await get(sim, token, '/ledger/account', { fields: 'number' }, { username: b });
      expect(accounts.body.values).toHaveLength(companyB.fiscalYears[0]!.accounts.length);
      expect((await get(sim, token, `/company/${b}`, {}, { username: b, template: '/company/{id}' })).body.value.name).toBe(companyB.organization.name);
      expect((await get(sim, token, '/ledger/account', {}, { username: 999 })).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it("reaches the own company with username 0 or its id when not an accountant", async () => {
    const sim = await TripletexSimulator.start({ companies: [companyB, companyA], rateLimit: BIG_LIMIT });
    try {
      const token = await createSession(sim);
      for (const username of ['0', '', sim.companyIds[0]!]) {
        const who = await get(sim, token, '/token/session/>whoAmI', { fields: 'companyId' }, { username });
        expect(who.body.value.companyId).toBe(sim.companyIds[0]);
      }
      expect((await get(sim, token, '/ledger/account', {}, { username: sim.companyIds[1]! })).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it('rate-limits per employee × consumer token with headers, and 429 without X-Rate-Limit-Reset', async () => {
    const sim = await TripletexSimulator.start({ companies: [companyB], rateLimit: { limit: 4, windowMs: 400 } });
    try {
      const token = await createSession(sim); // counts as the first request of the window
      const ok: Answer[] = [];
      for (let i = 0; i < 3; i++) ok.push(await get(sim, token, '/ledger/voucherType'));
      expect(ok.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(ok.map((a) => a.headers['x-rate-limit-remaining'])).toEqual(['2', '1', '0']);
      for (const a of ok) {
        expect(a.headers['x-rate-limit-limit']).toBe('4');
        expect(Number(a.headers['x-rate-limit-reset'])).toBeGreaterThanOrEqual(1);
      }
      const limited = await get(sim, token, '/ledger/voucherType');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ status: 429 });
      expect(limited.headers['x-rate-limit-reset']).toBeUndefined();
      expect(sim.stats().rateLimited).toBe(1);
      await sleep(450);
      expect((await get(sim, token, '/ledger/voucherType')).status).toBe(200);
      expect(sim.stats()).toMatchObject({ requests: 6, rateLimited: 1, injected: 0, byPath: { '/token/session/:create': 1, '/ledger/voucherType': 5 } });
    } finally {
      await sim.close();
    }
  });
});

describe('TripletexSimulator: faults', () => {
  let sim: TripletexSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await TripletexSimulator.start({ companies: [companyB], rateLimit: BIG_LIMIT });
    token = await createSession(sim);
  });
  afterAll(() => sim.close());

  it('serves status faults as ApiError envelopes, on matching paths only', async () => {
    sim.resetStats();
    sim.faults.inject({ kind: 'status', status: 503, count: 2, path: /^\/ledger\/account$/ });
    expect((await get(sim, token, '/ledger/voucherType')).status).toBe(200);
    const failed = [await get(sim, token, '/ledger/account'), await get(sim, token, '/ledger/account')];
    expect(failed.map((a) => a.body.status)).toEqual([503, 503]);
    expect((await get(sim, token, '/ledger/account')).status).toBe(200);

    sim.faults.inject({ kind: 'status', status: 429, count: 1 });
    const throttled = await get(sim, token, '/department');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['x-rate-limit-reset']).toBeUndefined();
    expect(sim.stats()).toMatchObject({ requests: 5, injected: 3, rateLimited: 0 });
  });

  it('drops the connection without an answer, and the next request gets through', async () => {
    sim.faults.inject({ kind: 'drop', count: 1, path: /voucherType/ });
    await expect(call(sim, 'GET', '/ledger/voucherType', { authorization: basic(token) })).rejects.toThrow();
    expect((await get(sim, token, '/ledger/voucherType')).status).toBe(200);
  });

  it('delays slow answers', async () => {
    sim.faults.inject({ kind: 'slow', delayMs: 300, count: 1 });
    const t0 = Date.now();
    const a = await get(sim, token, '/ledger/voucherType');
    expect(a.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = Date.now();
    await get(sim, token, '/ledger/voucherType');
    expect(Date.now() - t1).toBeLessThan(250);
  });

  it('clear() removes pending faults', async () => {
    sim.faults.inject({ kind: 'status', status: 500, count: 5 });
    sim.faults.clear();
    expect((await get(sim, token, '/ledger/voucherType')).status).toBe(200);
  });
});

describe('TripletexSimulator: other charts and fiscal years', () => {
  it('serves Swedish and Finnish (May–April) companies with the generator’s balances and truth', async () => {
    for (const company of [
      generateCompany({ seed: 21, country: 'SE', linesPerYear: 2_000, currentYear: 2026 }),
      generateCompany({ seed: 22, country: 'FI', linesPerYear: 2_000, currentYear: 2026, fiscalYearStartMonth: 5 }),
    ]) {
      const sim = await TripletexSimulator.start({ companies: [company], rateLimit: BIG_LIMIT });
      try {
        expectGeneratorTruth(sim, company);
        await expectGeneratorBalances(sim, await createSession(sim), company);
      } finally {
        await sim.close();
      }
    }
  });
});

describe('TripletexSimulator: mutations', () => {
  it('changes exactly what the report says, and truth() follows', async () => {
    const sim = await TripletexSimulator.start({ companies: [companyA], rateLimit: BIG_LIMIT });
    try {
      const token = await createSession(sim);
      const windowOf = (start: string) => ({ dateFrom: start, dateTo: `${Number(start.slice(0, 4)) + 1}${start.slice(4)}` });
      const fields = 'id,version,number,date,description,voucherType(id),postings(id,amount,account(number))';
      const before = new Map((await all(sim, token, '/ledger/voucher', { ...windowOf('2026-01-01'), fields })).map((v) => [v.id as number, v]));
      const digest = async (start: string) => (await get(sim, token, '/ledger/posting', { ...windowOf(start), count: '1' })).body.versionDigest as string;
      const digests = { closed: await digest('2025-01-01'), open: await digest('2026-01-01') };

      const report = sim.mutate(0, { add: 3, edit: 4, delete: 2, seed: 5 });
      expect([report.added.length, report.edited.length, report.deleted.length]).toEqual([3, 4, 2]);
      expect(sim.mutate(0, { fiscalYearStart: '2026-01-01' })).toEqual({ added: [], edited: [], deleted: [], renamedParties: [] });

      const after = new Map((await all(sim, token, '/ledger/voucher', { ...windowOf('2026-01-01'), fields })).map((v) => [v.id as number, v]));
      const changed = [...after.values()].filter((v) => JSON.stringify(v) !== JSON.stringify(before.get(v.id)));
      expect(changed.filter((v) => !before.has(v.id)).map((v) => v.id).sort()).toEqual(report.added.map((k) => k.id).sort());
      expect(changed.filter((v) => before.has(v.id)).map((v) => v.id).sort()).toEqual(report.edited.map((k) => k.id).sort());
      expect([...before.keys()].filter((id) => !after.has(id)).sort()).toEqual(report.deleted.map((k) => k.id).sort());
      for (const k of [...report.added, ...report.edited]) {
        const v = after.get(k.id);
        expect({ id: v.id, year: 2026, number: v.number, voucherTypeId: v.voucherType.id, date: v.date }).toEqual(k);
        expect(v.postings.reduce((s: bigint, p: Body) => s + øre(p.amount), 0n)).toBe(0n);
      }
      for (const k of report.edited) expect(after.get(k.id).version).toBe(before.get(k.id).version + 1);
      for (const k of report.deleted) expect(before.get(k.id).number).toBe(k.number);
      const maxBefore = Math.max(...[...before.values()].map((v) => v.number as number));
      expect(report.added.map((k) => k.number)).toEqual([maxBefore + 1, maxBefore + 2, maxBefore + 3]);

      expect(await digest('2026-01-01')).not.toBe(digests.open);
      expect(await digest('2025-01-01')).toBe(digests.closed);

      const truth = sim.truth(0).years.find((y) => y.start === '2026-01-01')!;
      const postings = await all(sim, token, '/ledger/posting', { ...windowOf('2026-01-01'), fields: POSTING_FIELDS });
      expect(sortedMovements(movementsOf(postings))).toEqual(sortedMovements(truth.movements));
      expect(sortedMovements(truth.movements)).not.toEqual(sortedMovements(companyA.truth.movements('2026-01-01')));
      expect(truth.vouchers).toBe(companyA.truth.year('2026-01-01').voucherCount + 3 - 2);
      expect(truth.lines).toBe(postings.length);

      // A closed year can be changed too (Tripletex would not allow it; a connector must cope).
      const closed = sim.mutate(0, { edit: 1, fiscalYearStart: '2024-01-01', seed: 6 });
      expect(closed.edited).toHaveLength(1);
      expect(closed.edited[0]!.year).toBe(2024);
      const edited = await get(sim, token, '/ledger/voucher', { ...windowOf('2024-01-01'), id: String(closed.edited[0]!.id), fields: 'id,version,description' });
      expect(edited.body.values).toEqual([{ id: closed.edited[0]!.id, version: 1, description: expect.stringMatching(/\(korrigert\)$/) }]);

      // Same plan, same company, same history: same report.
      const twin = await TripletexSimulator.start({ companies: [companyA], rateLimit: BIG_LIMIT });
      try {
        expect(twin.mutate(0, { add: 3, edit: 4, delete: 2, seed: 5 })).toEqual(report);
      } finally {
        await twin.close();
      }
    } finally {
      await sim.close();
    }
  });

  it('renames parties with a change timestamp that changedSince sees', async () => {
    const sim = await TripletexSimulator.start({ companies: [companyB], rateLimit: BIG_LIMIT });
    try {
      const token = await createSession(sim);
      const everyone = await all(sim, token, '/customer', { fields: 'id', changedSince: '2000-01-01T00:00:00' });
      expect(everyone.length).toBe(companyB.fiscalYears[0]!.parties.filter((p) => p.party_type === 'customer').length);
      await sleep(20);
      const since = new Date(Date.now() + 3_600_000).toISOString().slice(0, 23) + 'Z'; // an hour ahead: nothing yet
      expect(await all(sim, token, '/customer', { changedSince: since })).toEqual([]);
      const mark = new Date().toISOString(); // with offset: read as given
      await sleep(20);
      const report = sim.mutate(0, { parties: 4, seed: 3 });
      const customers = report.renamedParties.filter((p) => p.kind === 'customer');
      const suppliers = report.renamedParties.filter((p) => p.kind === 'supplier');
      const changedCustomers = await all(sim, token, '/customer', { changedSince: mark, fields: 'id,version,name,changes' });
      expect(changedCustomers.map((c) => c.id)).toEqual(customers.map((p) => p.id));
      expect(changedCustomers.every((c) => c.version === 1 && c.name.endsWith('(endret)') && c.changes.at(-1).changeType === 'UPDATE')).toBe(true);
      const changedSuppliers = await all(sim, token, '/supplier', { changedSince: mark, fields: 'id' });
      expect(changedSuppliers.map((c) => c.id)).toEqual(suppliers.map((p) => p.id));
    } finally {
      await sim.close();
    }
  });
});

describe('HttpSimulator', () => {
  it('routes decoded paths (literal segments before parameters) and keeps connections alive', async () => {
    const router = new Router<(params: Record<string, string>) => SimResponse>()
      .add('GET', '/thing/{id}', (p) => ({ status: 200, body: { id: p.id } }))
      .add('GET', '/thing/>summary', () => ({ status: 200, body: { summary: true, total: 123456n } }))
      .add('POST', '/thing/:run', () => ({ status: 204 }));
    const http = await HttpSimulator.start({
      basePath: '/api',
      requestIdHeader: 'x-request-id',
      moneyScale: 2,
      handle: (req) => {
        const m = router.match(req.method, req.path);
        if (m.kind === 'found') return m.handler(m.params);
        return { status: m.kind === 'not-found' ? 404 : 405, body: { error: m.kind } };
      },
      errorResponse: (status, message) => ({ status, body: { error: message } }),
    });
    try {
      const base = { baseUrl: http.baseUrl };
      expect((await call(base, 'GET', '/thing/%3Esummary')).text).toBe('{"summary":true,"total":1234.56}');
      expect((await call(base, 'GET', '/thing/>summary')).body).toEqual({ summary: true, total: 1234.56 });
      expect((await call(base, 'GET', '/thing/42')).body).toEqual({ id: '42' });
      expect((await call(base, 'POST', '/thing/:run')).status).toBe(204);
      expect((await call(base, 'POST', '/thing/%3Arun')).status).toBe(204);
      expect((await call(base, 'GET', '/thing/:run')).body).toEqual({ id: ':run' }); // a parameter takes any segment
      expect((await call(base, 'DELETE', '/thing/:run')).status).toBe(405);
      expect((await call(base, 'GET', '/elsewhere')).status).toBe(404);
      const before = http.stats();
      for (let i = 0; i < 20; i++) await call(base, 'GET', '/thing/1');
      const after = http.stats();
      expect(after.requests - before.requests).toBe(20);
      expect(after.connections - before.connections).toBe(0); // one kept-alive socket served them all
      expect(after.byPath['/thing/>summary']).toBe(2);
    } finally {
      await http.close();
    }
  });
});
