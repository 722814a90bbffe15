// Deterministic changes to a served company between two syncs, the way Fiken records them:
// new entries are new transactions; an edit moves an amount between two lines of an entry;
// a deletion flags the transaction `deleted` and adds a reversing transaction (lines negated,
// same date) with the two entries pointing at each other through offsetTransactionId.
import { deriveSeed, Random, tag } from '../random.ts';
import type { FikenCompany } from './fiken-company.ts';
import { TYPE_GENERAL, TYPE_REVERSAL } from './fiken-company.ts';
import { dayText } from './days.ts';

export interface FikenMutationPlan {
  add?: number;
  edit?: number;
  delete?: number;
  /** The fiscal year to change (its first day); default the newest. */
  fiscalYearStart?: string;
  seed?: number;
}

export interface JournalEntryKey {
  journalEntryId: number;
  transactionId: number;
  date: string;
}

export interface FikenMutationReport {
  added: JournalEntryKey[];
  edited: JournalEntryKey[];
  /** The cancelled transactions (now `deleted: true`). */
  deleted: JournalEntryKey[];
  /** The reversing transactions the deletions created, in the order of `deleted`. */
  reversals: JournalEntryKey[];
}

export function mutateCompany(c: FikenCompany, plan: FikenMutationPlan, today: number): FikenMutationReport {
  const count = (name: 'add' | 'edit' | 'delete') => {
    const n = plan[name] ?? 0;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`mutate: ${name} must be a non-negative integer, got ${n}`);
    return n;
  };
  const [add, edit, del] = [count('add'), count('edit'), count('delete')];
  const yearIndex = plan.fiscalYearStart === undefined ? c.years.length - 1 : c.years.findIndex((y) => y.start === plan.fiscalYearStart);
  if (yearIndex < 0) throw new RangeError(`mutate: no fiscal year starts on ${plan.fiscalYearStart}; years start on ${c.years.map((y) => y.start).join(', ')}`);
  // The revision makes a second identical call change other entries, still reproducibly.
  const rng = new Random(deriveSeed(plan.seed ?? 1, tag('fiken-mutate'), c.index, yearIndex, c.revision));
  const L = c.ledger;
  const key = (e: number): JournalEntryKey => ({ journalEntryId: c.journalEntryId(e), transactionId: c.transactionId(e), date: dayText(L.day[e]!) });

  // Live, ordinary entries of the year: not cancelled, not a reversal.
  const live: number[] = [];
  for (let e = 0; e < L.count; e++) if (L.year[e] === yearIndex && L.offset[e]! < 0) live.push(e);
  shuffle(live, rng);
  if (live.length < del) throw new RangeError(`mutate: asked to delete ${del} entries, the year has ${live.length} live ones`);
  const deleted = live.slice(0, del).sort((a, b) => a - b);
  const edited = live
    .slice(del)
    .filter((e) => L.lineStart[e + 1]! - L.lineStart[e]! >= 2)
    .slice(0, edit)
    .sort((a, b) => a - b);
  if (edited.length < edit) throw new RangeError(`mutate: asked to edit ${edit} entries, only ${edited.length} more can be edited`);

  const report: FikenMutationReport = { added: [], edited: [], deleted: [], reversals: [] };
  for (const e of edited) {
    editEntry(c, e, rng, today);
    report.edited.push(key(e));
  }
  for (const e of deleted) {
    report.deleted.push(key(e));
    report.reversals.push(key(reverseEntry(c, e, today)));
  }
  for (let k = 0; k < add; k++) report.added.push(key(newEntry(c, yearIndex, rng, today)));
  if (add + edit + del > 0) c.revision++;
  return report;
}

function editEntry(c: FikenCompany, e: number, rng: Random, today: number): void {
  const L = c.ledger;
  const first = L.lineStart[e]!;
  const n = L.lineStart[e + 1]! - first;
  const p = first + rng.int(0, n - 1);
  // Prefer a line on another account, so the move shows in the balances.
  const others: number[] = [];
  for (let l = first; l < first + n; l++) if (l !== p && L.lAccount[l] !== L.lAccount[p]) others.push(l);
  let q = p;
  if (others.length) q = rng.pick(others);
  else while (q === p) q = first + rng.int(0, n - 1);
  let delta = BigInt(rng.int(100, 50_000)) * (rng.chance(0.5) ? 1n : -1n);
  // A line of zero would be odd; nudge by one øre instead.
  if (L.lAmount[p]! + delta === 0n || L.lAmount[q]! - delta === 0n) delta += 1n;
  L.lAmount[p]! += delta;
  L.lAmount[q]! -= delta;
  L.lModified[p] = today;
  L.lModified[q] = today;
  L.modified[e] = today;
}

function reverseEntry(c: FikenCompany, e: number, today: number): number {
  const L = c.ledger;
  const year = L.year[e]!;
  const r = L.addEntry({
    day: L.day[e]!,
    year,
    number: ++c.lastNumber[year]!,
    createdDay: today,
    modifiedDay: today,
    type: TYPE_REVERSAL,
    description: `Annullering: ${L.description[e]}`,
    offset: e,
  });
  for (let l = L.lineStart[e]!; l < L.lineStart[e + 1]!; l++) {
    const line = L.lineOf(l);
    L.addLine({ ...line, amount: -line.amount, modifiedDay: today });
  }
  L.deleted[e] = 1;
  L.offset[e] = r;
  L.modified[e] = today;
  return r;
}

function newEntry(c: FikenCompany, yearIndex: number, rng: Random, today: number): number {
  const year = c.years[yearIndex]!;
  const expenses = c.accounts.filter((a) => a.number >= 6000 && a.number < 8000);
  const expense = expenses.length ? rng.pick(expenses) : c.accounts.find((a) => a.pnl)!;
  const bank = c.accountByCode.get('1920') ?? 0;
  const amount = BigInt(rng.int(100_00, 20_000_00));
  const project = c.projects.length && rng.chance(0.5) ? rng.int(0, c.projects.length - 1) : -1;
  const number = ++c.lastNumber[yearIndex]!;
  const e = c.ledger.addEntry({
    day: rng.int(year.startDay, year.endDay - 1),
    year: yearIndex,
    number,
    createdDay: today,
    modifiedDay: today,
    type: TYPE_GENERAL,
    description: `Fri postering registrert via API: Manuelt bilag ${number}`,
    offset: -1,
  });
  c.ledger.addLine({ account: expense.index, contact: -1, amount, vat: c.vatOf('0'), project, modifiedDay: today });
  c.ledger.addLine({ account: bank, contact: -1, amount: -amount, vat: -1, project: -1, modifiedDay: today });
  return e;
}

function shuffle(items: number[], rng: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
