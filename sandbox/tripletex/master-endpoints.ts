// Master data lists: accounts, VAT types, voucher types, departments, projects, customers,
// suppliers, currencies, annual accounts and accounting periods, each also by id.
import type { SimResponse } from '../kit/index.ts';
import { validationFailure } from './api-error.ts';
import { dayOf, parseOsloDateTime } from '../../model/index.ts';
import type { Model } from './fields.ts';
import { accountingPeriodModel, accountModel, annualAccountModel, currencyModel, vatTypeModel, voucherTypeModel } from './ledger-models.ts';
import { arrayRows, boolParam, Digest, idListParam, intParam, listBody, pageOf, sortRows } from './list-response.ts';
import { customerModel, departmentModel, projectModel, supplierModel } from './party-models.ts';
import { CURRENCIES, type PartyRec } from './served-company.ts';
import { companyOf, type TxContext } from './tx-context.ts';
import { idParam, notFound, single, type TxRequest, type TxRoute } from './tx-route.ts';

/** A list endpoint over an in-memory array: filter, sort, page, digest by id and version. */
function listOf<R>(
  model: Model<R, TxContext>,
  r: TxRequest,
  items: readonly R[],
  keep: (row: R) => boolean,
  defaultCount = 1000,
): SimResponse {
  const q = r.req.query;
  const page = pageOf(q, defaultCount);
  const kept = items.filter(keep);
  const digest = new Digest().addText(q.get('fields') ?? '');
  for (const row of kept) {
    const version = model.get(row, 'version', r.ctx);
    digest.add(model.id(row) ?? 0).add(typeof version === 'number' ? version : 0);
  }
  const rows = sortRows(model, arrayRows(kept), q.get('sorting'), r.ctx);
  return { status: 200, body: listBody(model, rows, page, r.sel, r.ctx, digest.hex()) };
}

/** GET `{pattern}/{id}` for the same objects. */
function byId<R>(pattern: string, model: Model<R, TxContext>, items: (r: TxRequest) => readonly R[]): TxRoute {
  return {
    method: 'GET',
    pattern: `${pattern}/{id}`,
    handle: (r) => {
      const id = idParam(r);
      const row = items(r).find((x) => model.id(x) === id);
      if (row === undefined) throw notFound(`${model.schema} ${id}`);
      return single(model, row, r);
    },
  };
}

/** `List of IDs` parameters filter on `id`. */
function idFilter(r: TxRequest): (id: number) => boolean {
  const ids = idListParam(r.req.query, 'id');
  return (id) => !ids || ids.has(id);
}

function stringListParam(q: URLSearchParams, name: string): Set<string> | null {
  const text = q.get(name);
  return text === null || text.trim() === '' ? null : new Set(text.split(',').map((s) => s.trim()));
}

function contains(q: URLSearchParams, name: string): (value: string) => boolean {
  const text = q.get(name)?.toLowerCase();
  return (value) => !text || value.toLowerCase().includes(text);
}

/** `changedSince`: only objects changed after this (Oslo local) date-time. */
function changedSinceFilter(q: URLSearchParams): (p: PartyRec) => boolean {
  const text = q.get('changedSince');
  if (!text) return () => true;
  const since = parseOsloDateTime(text);
  if (since === null) throw validationFailure('changedSince', `'${text}' er ikke en gyldig dato eller tid.`);
  return (p) => p.changedAt > since;
}

function accounts(r: TxRequest): SimResponse {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const ids = idFilter(r);
  const numbers = stringListParam(q, 'number');
  const isBank = boolParam(q, 'isBankAccount');
  const isInactive = boolParam(q, 'isInactive');
  const isBalance = boolParam(q, 'isBalanceAccount');
  const ledgerType = q.get('ledgerType');
  const saftCode = q.get('saftCode');
  const sorted = [...c.accounts].sort((a, b) => a.number - b.number);
  return listOf(accountModel, r, sorted, (a) =>
    ids(a.id) &&
    (!numbers || numbers.has(String(a.number))) &&
    (isBank === null || a.isBank === isBank) &&
    (isInactive === null || a.isInactive === isInactive) &&
    (isBalance === null || !a.isPnl === isBalance) &&
    (!ledgerType || ledgerType === 'GENERAL') &&
    (!saftCode || a.saftCode === saftCode),
  );
}

function vatTypes(r: TxRequest): SimResponse {
  const c = companyOf(r.ctx);
  const ids = idFilter(r);
  const numbers = stringListParam(r.req.query, 'number');
  return listOf(vatTypeModel, r, c.vatTypes, (v) => ids(v.id) && (!numbers || numbers.has(v.number)));
}

function parties(kind: 'customer' | 'supplier') {
  return (r: TxRequest): SimResponse => {
    const c = companyOf(r.ctx);
    const q = r.req.query;
    const ids = idFilter(r);
    const numbers = stringListParam(q, kind === 'customer' ? 'customerAccountNumber' : 'supplierNumber');
    const orgNumber = q.get('organizationNumber');
    const name = contains(q, 'customerName');
    const inactive = boolParam(q, 'isInactive');
    const changed = changedSinceFilter(q);
    const list = kind === 'customer' ? c.customers : c.suppliers;
    return listOf(kind === 'customer' ? customerModel : supplierModel, r, list, (p) =>
      ids(p.id) &&
      (!numbers || numbers.has(String(p.number))) &&
      (!orgNumber || p.orgNumber === orgNumber) &&
      name(p.name) &&
      inactive !== true && // every served party is active
      changed(p),
    );
  };
}

function annualAccounts(r: TxRequest): SimResponse {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const ids = idFilter(r);
  const yearFrom = intParam(q, 'yearFrom');
  const yearTo = intParam(q, 'yearTo');
  return listOf(annualAccountModel, r, c.annualAccounts, (a) =>
    ids(a.id) && (yearFrom === null || a.year >= yearFrom) && (yearTo === null || a.year < yearTo),
  );
}

function dateParam(q: URLSearchParams, name: string): string | null {
  const text = q.get(name);
  if (!text) return null;
  if (dayOf(text) === null) throw validationFailure(name, `'${text}' er ikke en gyldig dato (yyyy-MM-dd).`);
  return text;
}

function accountingPeriods(r: TxRequest): SimResponse {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const ids = idFilter(r);
  const numberFrom = intParam(q, 'numberFrom');
  const numberTo = intParam(q, 'numberTo');
  const [startFrom, startTo, endFrom, endTo] = ['startFrom', 'startTo', 'endFrom', 'endTo'].map((n) => dateParam(q, n));
  return listOf(
    accountingPeriodModel,
    r,
    c.periods,
    (p) =>
      ids(p.id) &&
      (numberFrom === null || p.number >= numberFrom) &&
      (numberTo === null || p.number < numberTo) &&
      (!startFrom || p.start >= startFrom) &&
      (!startTo || p.start < startTo) &&
      (!endFrom || p.end >= endFrom) &&
      (!endTo || p.end < endTo),
    1400,
  );
}

export function masterRoutes(): TxRoute[] {
  const company = (r: TxRequest) => companyOf(r.ctx);
  return [
    { method: 'GET', pattern: '/ledger/account', handle: accounts },
    byId('/ledger/account', accountModel, (r) => company(r).accounts),
    { method: 'GET', pattern: '/ledger/vatType', handle: vatTypes },
    byId('/ledger/vatType', vatTypeModel, (r) => company(r).vatTypes),
    {
      method: 'GET',
      pattern: '/ledger/voucherType',
      handle: (r) => {
        const name = contains(r.req.query, 'name');
        return listOf(voucherTypeModel, r, company(r).voucherTypes, (t) => name(t.name));
      },
    },
    byId('/ledger/voucherType', voucherTypeModel, (r) => company(r).voucherTypes),
    {
      method: 'GET',
      pattern: '/department',
      handle: (r) => {
        const q = r.req.query;
        const ids = idFilter(r);
        const name = contains(q, 'name');
        const numbers = stringListParam(q, 'departmentNumber');
        const inactive = boolParam(q, 'isInactive');
        return listOf(departmentModel, r, company(r).departments, (d) =>
          ids(d.id) && name(d.name) && (!numbers || numbers.has(d.number)) && (inactive === null || d.isInactive === inactive),
        );
      },
    },
    byId('/department', departmentModel, (r) => company(r).departments),
    {
      method: 'GET',
      pattern: '/project',
      handle: (r) => {
        const q = r.req.query;
        const ids = idFilter(r);
        const name = contains(q, 'name');
        const number = q.get('number');
        const closed = boolParam(q, 'isClosed');
        return listOf(projectModel, r, company(r).projects, (p) =>
          ids(p.id) && name(p.name) && (!number || p.number === number) && (closed === null || p.isInactive === closed),
        );
      },
    },
    byId('/project', projectModel, (r) => company(r).projects),
    { method: 'GET', pattern: '/customer', handle: parties('customer') },
    byId('/customer', customerModel, (r) => company(r).customers),
    { method: 'GET', pattern: '/supplier', handle: parties('supplier') },
    byId('/supplier', supplierModel, (r) => company(r).suppliers),
    {
      method: 'GET',
      pattern: '/currency',
      handle: (r) => {
        const ids = idFilter(r);
        const code = r.req.query.get('code');
        return listOf(currencyModel, r, CURRENCIES, (cur) => ids(cur.id) && (!code || cur.code === code));
      },
    },
    byId('/currency', currencyModel, () => CURRENCIES),
    { method: 'GET', pattern: '/ledger/annualAccount', handle: annualAccounts },
    byId('/ledger/annualAccount', annualAccountModel, (r) => company(r).annualAccounts),
    { method: 'GET', pattern: '/ledger/accountingPeriod', handle: accountingPeriods },
    byId('/ledger/accountingPeriod', accountingPeriodModel, (r) => company(r).periods),
  ];
}
