// /ledger/posting, /ledger/voucher and /balanceSheet: date windows (dateFrom inclusive,
// dateTo exclusive) over the served years, answered straight from the compact columns.
import { validationFailure } from './api-error.ts';
import { dayOf } from '../../model/index.ts';
import { balanceSheetAccountModel, postingModel, voucherModel, type BalanceRow, type PostingRow, type VoucherRow } from './ledger-models.ts';
import { lineHashA, lineHashB, type LedgerYear } from './ledger-year.ts';
import { arrayRows, boolParam, Digest, idListParam, intParam, listBody, pageOf, sortRows, type Rows } from './list-response.ts';
import type { ServedCompany } from './served-company.ts';
import { companyOf } from './tx-context.ts';
import { idParam, notFound, single, type TxRequest, type TxRoute } from './tx-route.ts';

interface Window {
  fromDay: number;
  toDay: number;
  dateFrom: string;
  dateTo: string;
}

function windowOf(query: URLSearchParams): Window {
  const dateFrom = query.get('dateFrom');
  const dateTo = query.get('dateTo');
  if (!dateFrom) throw validationFailure('dateFrom', 'Kan ikke være null.');
  if (!dateTo) throw validationFailure('dateTo', 'Kan ikke være null.');
  const fromDay = dayOf(dateFrom);
  const toDay = dayOf(dateTo);
  if (fromDay === null) throw validationFailure('dateFrom', `'${dateFrom}' er ikke en gyldig dato (yyyy-MM-dd).`);
  if (toDay === null) throw validationFailure('dateTo', `'${dateTo}' er ikke en gyldig dato (yyyy-MM-dd).`);
  if (toDay <= fromDay) throw validationFailure('dateTo', 'Til og med-dato må være etter fra og med-dato (dateTo er eksklusiv).');
  return { fromDay, toDay, dateFrom, dateTo };
}

/** One year's part of a result: the indexes [a, b), or the listed ones when filtered. */
interface Segment {
  y: LedgerYear;
  a: number;
  b: number;
  idx: Int32Array | null;
}

/** Rows spread over several years, one segment per year, read in place. */
class Segmented<R> implements Rows<R> {
  readonly length: number;
  private readonly starts: number[] = [];

  constructor(
    readonly segments: Segment[],
    private readonly make: (y: LedgerYear, i: number) => R,
  ) {
    let n = 0;
    for (const s of segments) {
      this.starts.push(n);
      n += s.idx ? s.idx.length : s.b - s.a;
    }
    this.length = n;
  }

  at(i: number): R {
    let k = this.segments.length - 1;
    while (this.starts[k]! > i) k--;
    const s = this.segments[k]!;
    const j = i - this.starts[k]!;
    return this.make(s.y, s.idx ? s.idx[j]! : s.a + j);
  }
}

/** A posting filter over line indexes, or null when none applies. */
type LineFilter = ((y: LedgerYear, l: number) => boolean) | null;

/** `departmentId`, `projectId`, `customerId`, … as Tripletex filters postings by them. */
function postingFilter(c: ServedCompany, q: URLSearchParams): LineFilter {
  const tests: ((y: LedgerYear, l: number) => boolean)[] = [];
  const byId = (name: string, index: (id: number) => number | undefined, column: (y: LedgerYear) => ArrayLike<number>, extra?: (y: LedgerYear, l: number) => boolean) => {
    const id = intParam(q, name);
    if (id === null) return;
    const i = index(id) ?? -2; // unknown id: matches nothing
    tests.push((y, l) => column(y)[l] === i && (!extra || extra(y, l)));
  };
  byId('accountId', (id) => c.byId.account.get(id)?.index, (y) => y.lAccount);
  byId('departmentId', (id) => c.byId.department.get(id)?.index, (y) => y.lDepartment);
  byId('projectId', (id) => c.byId.project.get(id)?.index, (y) => y.lProject);
  byId('customerId', (id) => c.byId.customer.get(id)?.index, (y) => y.lParty, (y, l) => y.lPartyKind[l] === 1);
  byId('supplierId', (id) => c.byId.supplier.get(id)?.index, (y) => y.lParty, (y, l) => y.lPartyKind[l] === 2);
  const from = intParam(q, 'accountNumberFrom');
  const to = intParam(q, 'accountNumberTo');
  if (from !== null) tests.push((y, l) => c.accounts[y.lAccount[l]!]!.number >= from);
  if (to !== null) tests.push((y, l) => c.accounts[y.lAccount[l]!]!.number < to);
  // The served company has no employees, products, posting types or free dimensions on its postings.
  for (const name of ['employeeId', 'productId', 'type', 'accountingDimensionValue1Id', 'accountingDimensionValue2Id', 'accountingDimensionValue3Id']) {
    if (q.get(name)) tests.push(() => false);
  }
  if (tests.length === 0) return null;
  return (y, l) => tests.every((t) => t(y, l));
}

function postingsIn(c: ServedCompany, w: Window, filter: LineFilter): Segmented<PostingRow> {
  const segments: Segment[] = [];
  for (const y of c.years) {
    if (y.meta.endDay <= w.fromDay || y.meta.startDay >= w.toDay) continue;
    const [va, vb] = y.voucherRange(w.fromDay, w.toDay);
    const a = y.vLineStart[va]!;
    const b = y.vLineStart[vb]!;
    if (!filter) segments.push({ y, a, b, idx: null });
    else {
      const hits: number[] = [];
      for (let l = a; l < b; l++) if (filter(y, l)) hits.push(l);
      segments.push({ y, a, b, idx: Int32Array.from(hits) });
    }
  }
  return new Segmented(segments, (y, l) => ({ y, l }));
}

/** Digest of a posting result from the years' prefix hashes (line by line when filtered). */
function postingsDigest(all: Segmented<PostingRow>, fields: string): string {
  let h1 = 0;
  let h2 = 0;
  for (const s of all.segments) {
    if (s.idx) {
      for (const l of s.idx) {
        h1 += lineHashA(s.y.lId[l]!, s.y.lVersion[l]!);
        h2 += lineHashB(s.y.lId[l]!, s.y.lVersion[l]!);
      }
    } else {
      const [a, b] = s.y.lineHashRange(s.a, s.b);
      h1 += a;
      h2 += b;
    }
  }
  return new Digest().addText(fields).add(h1 % 0x100000000).add(h2 % 0x100000000).hex();
}

function postings(r: TxRequest) {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const w = windowOf(q);
  const page = pageOf(q);
  const all = postingsIn(c, w, postingFilter(c, q));
  const rows = sortRows(postingModel, all, q.get('sorting'), r.ctx);
  return { status: 200, body: listBody(postingModel, rows, page, r.sel, r.ctx, postingsDigest(all, q.get('fields') ?? '')) };
}

function vouchers(r: TxRequest) {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const w = windowOf(q);
  const page = pageOf(q);
  const ids = idListParam(q, 'id');
  const numbers = idListParam(q, 'number');
  const numberFrom = intParam(q, 'numberFrom');
  const numberTo = intParam(q, 'numberTo');
  const typeIds = idListParam(q, 'typeId');
  const types = typeIds && new Set([...typeIds].map((id) => c.byId.voucherType.get(id)?.index ?? -2));
  const segments: Segment[] = [];
  let totalPostings = 0;
  const digest = new Digest().addText(q.get('fields') ?? '');
  for (const y of c.years) {
    if (y.meta.endDay <= w.fromDay || y.meta.startDay >= w.toDay) continue;
    const [va, vb] = y.voucherRange(w.fromDay, w.toDay);
    const hits: number[] = [];
    for (let v = va; v < vb; v++) {
      const n = y.vNumber[v]!;
      if (ids && !ids.has(y.vId[v]!)) continue;
      if (numbers && !numbers.has(n)) continue;
      if (numberFrom !== null && n < numberFrom) continue;
      if (numberTo !== null && n >= numberTo) continue;
      if (types && !types.has(y.vType[v]!)) continue;
      hits.push(v);
      totalPostings += y.vLineStart[v + 1]! - y.vLineStart[v]!;
      digest.add(y.vId[v]!).add(y.vVersion[v]!);
    }
    segments.push({ y, a: va, b: vb, idx: Int32Array.from(hits) });
  }
  const all = new Segmented<VoucherRow>(segments, (y, v) => ({ y, v }));
  const rows = sortRows(voucherModel, all, q.get('sorting'), r.ctx);
  return { status: 200, body: listBody(voucherModel, rows, page, r.sel, r.ctx, digest.hex(), { totalNumberOfPostings: totalPostings }) };
}

/**
 * Net movement per account over [fromDay, toDay), from whole-year totals where a year lies
 * inside the range and no filter applies, else line by line.
 */
function sumRange(c: ServedCompany, fromDay: number, toDay: number, filter: LineFilter): BigInt64Array {
  const sums = new BigInt64Array(c.accounts.length);
  for (const y of c.years) {
    if (y.meta.endDay <= fromDay || y.meta.startDay >= toDay) continue;
    if (!filter && y.meta.startDay >= fromDay && y.meta.endDay <= toDay) {
      const totals = y.accountTotals(c.accounts.length);
      for (let a = 0; a < sums.length; a++) sums[a]! += totals[a]!;
      continue;
    }
    const [va, vb] = y.voucherRange(fromDay, toDay);
    for (let l = y.vLineStart[va]!; l < y.vLineStart[vb]!; l++) if (!filter || filter(y, l)) sums[y.lAccount[l]!]! += y.lAmount[l]!;
  }
  return sums;
}

/**
 * Balance per account at the start of `day`, as the generator's openings have it (and as
 * `truth()` computes them). Balance-sheet accounts: the first year's opening plus every
 * posting before the day. Income and expense accounts start each fiscal year at zero, so they
 * sum from that year's first day only; a separate year-result account (SE, FI) is emptied into
 * retained earnings at each opening. With a posting filter (department, project, customer)
 * openings carry no dimension and are left out.
 */
function balancesAt(c: ServedCompany, day: number, filter: LineFilter = null): BigInt64Array {
  const first = c.years[0]!.meta.startDay;
  const all = sumRange(c, Math.min(first, day), day, filter);
  let current = -1;
  c.years.forEach((y, i) => {
    if (y.meta.startDay <= day) current = i;
  });
  const sinceYearStart = current < 0 ? new BigInt64Array(c.accounts.length) : sumRange(c, c.years[current]!.meta.startDay, day, filter);
  const out = new BigInt64Array(c.accounts.length);
  for (const a of c.accounts) out[a.index] = a.isPnl ? sinceYearStart[a.index]! : (filter ? 0n : c.firstOpening[a.index]!) + all[a.index]!;
  if (c.resultMove && current > 0) {
    const { from, to } = c.resultMove;
    out[to]! += out[from]! - sinceYearStart[from]!;
    out[from] = sinceYearStart[from]!;
  }
  return out;
}

function balanceSheet(r: TxRequest) {
  const c = companyOf(r.ctx);
  const q = r.req.query;
  const w = windowOf(q);
  const page = pageOf(q);
  const from = intParam(q, 'accountNumberFrom');
  const to = intParam(q, 'accountNumberTo');
  const withoutMovements = boolParam(q, 'includeActiveAccountsWithoutMovements') ?? false;
  const filterQuery = new URLSearchParams();
  for (const name of ['customerId', 'employeeId', 'departmentId', 'projectId']) {
    const v = q.get(name);
    if (v) filterQuery.set(name, v);
  }
  const filter = postingFilter(c, filterQuery);
  const opening = balancesAt(c, w.fromDay, filter);
  const change = sumRange(c, w.fromDay, w.toDay, filter);
  const moved = new Uint8Array(c.accounts.length);
  for (const y of c.years) {
    if (y.meta.endDay <= w.fromDay || y.meta.startDay >= w.toDay) continue;
    const [va, vb] = y.voucherRange(w.fromDay, w.toDay);
    for (let l = y.vLineStart[va]!; l < y.vLineStart[vb]!; l++) if (!filter || filter(y, l)) moved[y.lAccount[l]!] = 1;
  }
  const rows: BalanceRow[] = [];
  const digest = new Digest().addText(q.get('fields') ?? '');
  for (const a of [...c.accounts].sort((x, y) => x.number - y.number)) {
    if (from !== null && a.number < from) continue;
    if (to !== null && a.number >= to) continue;
    const balanceIn = opening[a.index]!;
    const balanceChange = change[a.index]!;
    // "Movements": postings in the window, or a balance carried into it.
    const hasMovement = moved[a.index] === 1 || balanceIn !== 0n;
    if (!hasMovement && !(withoutMovements && !a.isInactive)) continue;
    rows.push({ account: a, balanceIn, balanceChange, balanceOut: balanceIn + balanceChange, startDate: w.dateFrom, endDate: w.dateTo });
    digest.add(a.id).addText(`${balanceIn}:${balanceChange}`);
  }
  const sorted = sortRows(balanceSheetAccountModel, arrayRows(rows), q.get('sorting'), r.ctx);
  return { status: 200, body: listBody(balanceSheetAccountModel, sorted, page, r.sel, r.ctx, digest.hex()) };
}

function findVoucher(c: ServedCompany, id: number): VoucherRow | null {
  for (const y of c.years) {
    const v = y.vId.indexOf(id);
    if (v >= 0) return { y, v };
  }
  return null;
}

function findPosting(c: ServedCompany, id: number): PostingRow | null {
  for (const y of c.years) {
    const l = y.lId.indexOf(id);
    if (l >= 0) return { y, l };
  }
  return null;
}

export function ledgerRoutes(): TxRoute[] {
  return [
    { method: 'GET', pattern: '/ledger/posting', handle: postings },
    {
      method: 'GET',
      pattern: '/ledger/posting/{id}',
      handle: (r) => {
        const row = findPosting(companyOf(r.ctx), idParam(r));
        if (!row) throw notFound(`Posting ${r.params.id}`);
        return single(postingModel, row, r);
      },
    },
    { method: 'GET', pattern: '/ledger/voucher', handle: vouchers },
    {
      method: 'GET',
      pattern: '/ledger/voucher/{id}',
      handle: (r) => {
        const row = findVoucher(companyOf(r.ctx), idParam(r));
        if (!row) throw notFound(`Voucher ${r.params.id}`);
        return single(voucherModel, row, r);
      },
    },
    { method: 'GET', pattern: '/balanceSheet', handle: balanceSheet },
  ];
}
