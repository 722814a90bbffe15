// The chart and balances: GET /accounts (the current year's chart only, no reskontro
// sub-accounts in the list), /accounts/{accountCode}, /accountBalances?date= and
// /accountBalances/{accountCode}?date=.
import { badRequest, notFound } from './api-error.ts';
import { companyOf, integerParam, ok, type ApiContext, type ApiRoute } from './api-route.ts';
import { balancesOn } from './balances.ts';
import { dayOf } from './days.ts';
import type { AccountRec, FikenCompany } from './fiken-company.ts';
import { pagedArray } from './paging.ts';

export function accountRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/accounts',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const keep = accountFilter(ctx.req.query, true);
        const rows = c.chart.map((i) => c.accounts[i]!).filter(keep);
        return pagedArray(ctx.req.query, rows, (a) => ({ code: a.code, name: a.name }));
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/accounts/{accountCode}',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const code = ctx.params.accountCode!;
        const plain = c.accountByCode.get(code);
        if (plain !== undefined && c.chart.includes(plain)) return ok({ code, name: c.accounts[plain]!.name });
        const contact = c.contacts.find((x) => x.accountCode === code);
        if (contact) return ok({ code, name: contact.name });
        throw notFound(`No account ${code} in this year's chart.`);
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/accountBalances',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const balances = balancesOn(c, requiredDate(ctx));
        const keep = accountFilter(ctx.req.query, false);
        const rows = sortedAccounts(c).filter(keep);
        return pagedArray(ctx.req.query, rows, (a) => ({ code: a.code, name: a.name, balance: balances[a.index]! }));
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/accountBalances/{accountCode}',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const day = requiredDate(ctx);
        const code = ctx.params.accountCode!;
        const i = c.accountByCode.get(code);
        // Reskontro balances would need the opening balance per customer and supplier, which
        // the generator does not split; the simulator serves main accounts only.
        if (i === undefined) throw notFound(`No account ${code}; the simulator serves balances of main accounts only.`);
        const a = c.accounts[i]!;
        return ok({ code: a.code, name: a.name, balance: balancesOn(c, day)[i]! });
      },
    },
  ];
}

function requiredDate(ctx: ApiContext): number {
  const text = ctx.req.query.get('date');
  if (text === null) throw badRequest('The query parameter date (yyyy-MM-dd) is required.');
  const day = dayOf(text);
  if (day === null) throw badRequest(`date must be formatted yyyy-MM-dd, got '${text}'.`);
  return day;
}

const sorted = new WeakMap<FikenCompany, AccountRec[]>();

/** Every account of any year, by code. */
function sortedAccounts(c: FikenCompany): AccountRec[] {
  let rows = sorted.get(c);
  if (!rows) sorted.set(c, (rows = [...c.accounts].sort((a, b) => a.number - b.number)));
  return rows;
}

/** `fromAccount`/`toAccount` (inclusive) and, where allowed, `range` ("1000-1500, 2000"). */
function accountFilter(query: URLSearchParams, allowRange: boolean): (a: AccountRec) => boolean {
  const from = query.get('fromAccount');
  const to = query.get('toAccount');
  const lo = from === null ? -Infinity : integerParam('fromAccount', from);
  const hi = to === null ? Infinity : integerParam('toAccount', to);
  const rangeText = allowRange ? query.get('range') : null;
  const ranges = rangeText === null ? null : parseRanges(rangeText);
  return (a) => a.number >= lo && a.number <= hi && (!ranges || ranges.some(([x, y]) => a.number >= x && a.number <= y));
}

function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const m = /^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$/.exec(part);
    if (!m) throw badRequest(`range must list account numbers or ranges such as "1000-1500, 2000", got '${text}'.`);
    const x = Number(m[1]);
    const y = m[2] === undefined ? x : Number(m[2]);
    return [Math.min(x, y), Math.max(x, y)] as [number, number];
  });
}
