// Deterministic changes to a served company between two syncs: vouchers added, edited and
// deleted in one fiscal year (every voucher stays balanced), and optionally customers and
// suppliers renamed. Versions and change timestamps move with them, so digests and
// `changedSince` see the change.
import { deriveSeed, Random, tag } from '../random.ts';
import { PROFILES } from '../profiles.ts';
import { isoOf } from '../../model/index.ts';
import { LedgerYear, type LineRecord, type VoucherRecord } from './ledger-year.ts';
import type { PartyRec, ServedCompany } from './served-company.ts';

export interface MutationPlan {
  add?: number;
  edit?: number;
  delete?: number;
  /** The fiscal year to change (its first day); default the newest. */
  fiscalYearStart?: string;
  seed?: number;
  /** Customers and suppliers to rename (an addition to the voucher changes). */
  parties?: number;
}

export interface VoucherKey {
  id: number;
  /** Tripletex `voucher.year`. */
  year: number;
  number: number;
  voucherTypeId: number | null;
  date: string;
}

export interface PartyKey {
  kind: 'customer' | 'supplier';
  id: number;
  number: number;
}

export interface MutationReport {
  added: VoucherKey[];
  edited: VoucherKey[];
  deleted: VoucherKey[];
  /** Parties renamed by `plan.parties` (empty otherwise). */
  renamedParties: PartyKey[];
}

export function mutateCompany(c: ServedCompany, plan: MutationPlan, now: number): MutationReport {
  const count = (name: 'add' | 'edit' | 'delete' | 'parties') => {
    const n = plan[name] ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`mutate: ${name} must be a non-negative integer, got ${n}`);
    return n;
  };
  const [add, edit, del, parties] = [count('add'), count('edit'), count('delete'), count('parties')];
  const yearIndex = plan.fiscalYearStart === undefined ? c.years.length - 1 : c.years.findIndex((y) => y.meta.start === plan.fiscalYearStart);
  if (yearIndex < 0) throw new RangeError(`mutate: no fiscal year starts on ${plan.fiscalYearStart}; years start on ${c.years.map((y) => y.meta.start).join(', ')}`);
  const year = c.years[yearIndex]!;
  // The revision makes a second identical call change different vouchers, still reproducibly.
  const rng = new Random(deriveSeed(plan.seed ?? 1, tag('tripletex-mutate'), c.index, yearIndex, c.revision));
  const records = year.decode();
  const key = (r: VoucherRecord): VoucherKey => ({
    id: r.id,
    year: year.meta.year,
    number: r.number,
    voucherTypeId: c.voucherTypes[r.voucherType]?.id ?? null,
    date: isoOf(r.day),
  });

  // Edits need two ordinary lines in the base currency to move an amount between.
  const editable = (r: VoucherRecord) => r.lines.filter((l) => !l.systemGenerated && l.currency === c.baseCurrency.index).length >= 2;
  const candidates = records.map((_, i) => i);
  shuffle(candidates, rng);
  const deleted = new Set(candidates.slice(0, del));
  if (deleted.size < del) throw new RangeError(`mutate: asked to delete ${del} vouchers, the year has ${records.length}`);
  const edited = candidates.slice(del).filter((i) => editable(records[i]!)).slice(0, edit);
  if (edited.length < edit) throw new RangeError(`mutate: asked to edit ${edit} vouchers, only ${edited.length} more can be edited`);

  const report: MutationReport = { added: [], edited: [], deleted: [], renamedParties: [] };
  for (const i of [...deleted].sort((a, b) => a - b)) report.deleted.push(key(records[i]!));
  for (const i of edited.sort((a, b) => a - b)) {
    const r = records[i]!;
    editVoucher(c, r, rng, now);
    report.edited.push(key(r));
  }
  const kept = records.filter((_, i) => !deleted.has(i));
  let number = records.reduce((m, r) => Math.max(m, r.number), 0);
  for (let k = 0; k < add; k++) {
    const r = newVoucher(c, year, ++number, rng, now);
    kept.push(r);
    report.added.push(key(r));
  }
  if (add + edit + del > 0) c.replaceYear(yearIndex, LedgerYear.encode(year.meta, kept));
  report.renamedParties = renameParties(c, parties, rng, now);
  if (parties > 0) c.revision++;
  return report;
}

function editVoucher(c: ServedCompany, r: VoucherRecord, rng: Random, now: number): void {
  const lines = r.lines.filter((l) => !l.systemGenerated && l.currency === c.baseCurrency.index);
  const p = lines[rng.int(0, lines.length - 1)]!;
  let q = p;
  while (q === p) q = lines[rng.int(0, lines.length - 1)]!;
  let delta = BigInt(rng.int(100, 50_000)) * (rng.chance(0.5) ? 1n : -1n);
  // A posting of zero would be odd; nudge by one øre instead.
  if (p.amount + delta === 0n || q.amount - delta === 0n) delta += 1n;
  p.amount += delta;
  p.currencyAmount = p.amount;
  q.amount -= delta;
  q.currencyAmount = q.amount;
  r.description = `${r.description} (korrigert)`;
  r.version++;
  r.changedAt = now;
  // Every posting shows the voucher's description, so all of them change.
  for (const l of r.lines) l.version++;
}

function newVoucher(c: ServedCompany, year: LedgerYear, number: number, rng: Random, now: number): VoucherRecord {
  const expenses = c.accounts.filter((a) => a.accountType === 'expense' && a.vatType < 0 && a.type === 'OPERATING_EXPENSES');
  const expense = expenses.length ? rng.pick(expenses) : c.accounts.find((a) => a.accountType === 'expense')!;
  const bank = c.accounts.find((a) => a.isBank) ?? c.accounts[0]!;
  const amount = BigInt(rng.int(100_00, 20_000_00));
  const department = c.departments.length ? rng.int(-1, c.departments.length - 1) : -1;
  const line = (account: number, value: bigint, row: number, dept: number): LineRecord => ({
    id: c.nextPostingId++,
    version: 0,
    account,
    amount: value,
    currency: c.baseCurrency.index,
    currencyAmount: value,
    vatType: -1,
    partyKind: 0,
    party: -1,
    department: dept,
    project: -1,
    row,
    systemGenerated: false,
  });
  const general = c.organization.country ? PROFILES[c.organization.country].journals.general : null;
  const type = Math.max(0, c.voucherTypes.findIndex((t) => t.journalId === general));
  return {
    id: c.nextVoucherId++,
    number,
    day: rng.int(year.meta.startDay, year.meta.endDay - 1),
    voucherType: type,
    version: 0,
    changedAt: now,
    description: `Manuelt bilag ${number}`,
    lines: [line(expense.index, amount, 1, department), line(bank.index, -amount, 2, -1)],
  };
}

function renameParties(c: ServedCompany, n: number, rng: Random, now: number): PartyKey[] {
  const all: PartyRec[] = [...c.customers, ...c.suppliers];
  if (n > all.length) throw new RangeError(`mutate: asked to rename ${n} parties, the company has ${all.length}`);
  const order = all.map((_, i) => i);
  shuffle(order, rng);
  return order.slice(0, n).sort((a, b) => a - b).map((i) => {
    const p = all[i]!;
    p.name = `${p.name} (endret)`;
    p.version++;
    p.changedAt = now;
    return { kind: p.kind, id: p.id, number: p.number };
  });
}

function shuffle(items: number[], rng: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
