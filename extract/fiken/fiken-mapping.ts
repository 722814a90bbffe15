// Fiken objects (as the spec names them) → the ledger model. Amounts are integer øre;
// a line's `account` is `1500:10001` for a contact's sub-ledger account.
import type { AccountRow, DimensionRow, LedgerLine, Money, PartyRow, Voucher } from '../../model/index.ts';
import type { SourceFiscalYear } from '../source.ts';

export interface FxLine {
  amount: number;
  account?: string | null;
  vatCode?: string | null;
  projectId?: number[] | null;
}

export interface FxJournalEntry {
  journalEntryId: number;
  transactionId?: number | null;
  offsetTransactionId?: number | null;
  journalEntryNumber?: number | null;
  description?: string | null;
  date: string;
  lines: FxLine[];
}

export interface FxContact {
  contactId: number;
  name: string;
  organizationNumber?: string | null;
  customerNumber?: number | null;
  supplierNumber?: number | null;
  customer?: boolean | null;
  supplier?: boolean | null;
  inactive?: boolean | null;
}

/** A mapping problem: the message names the object. */
export class FikenDataError extends Error {
  override readonly name = 'FikenDataError';
}

/** Fiken's single journal: entries are numbered per fiscal year, not per series. */
export const FIKEN_JOURNAL = 'fiken';

/** `1500:10001` → account 1500 and the contact's sub-ledger number 10001. */
export function splitAccount(code: string): { account: string; subLedger: string | null } {
  const at = code.indexOf(':');
  return at < 0 ? { account: code, subLedger: null } : { account: code.slice(0, at), subLedger: code.slice(at + 1) };
}

/** Norwegian chart: receivables are 15xx, payables 24xx; Fiken's reskontro accounts sit there. */
function subLedgerParty(account: string): 'customer' | 'supplier' | null {
  if (account.startsWith('15')) return 'customer';
  if (account.startsWith('24')) return 'supplier';
  return null;
}

export function voucher(e: FxJournalEntry): Voucher {
  const where = `journal entry ${e.journalEntryNumber ?? ''} (id ${e.journalEntryId})`.replace('  ', ' ');
  return {
    journal_id: FIKEN_JOURNAL,
    voucher_number: String(e.journalEntryNumber ?? e.journalEntryId),
    voucher_date: e.date,
    posting_date: null,
    description: e.description || null,
    source_modified_at: null,
    // A cancelled entry and its reversal both stay in the ledger, linked by the offset transaction.
    extra: { fiken_id: e.journalEntryId, transaction_id: e.transactionId ?? null, ...(e.offsetTransactionId ? { offset_transaction_id: e.offsetTransactionId } : {}) },
    lines: e.lines.map((l, i) => line(l, `${where}, line ${i + 1}`)),
  };
}

function line(l: FxLine, where: string): LedgerLine {
  if (!l.account) throw new FikenDataError(`${where} has no account.`);
  if (typeof l.amount !== 'number' || !Number.isSafeInteger(l.amount)) throw new FikenDataError(`${where}: amount ${JSON.stringify(l.amount)} is not a whole number of øre.`);
  const { account, subLedger } = splitAccount(l.account);
  const partyType = subLedger === null ? null : subLedgerParty(account);
  const project = l.projectId?.[0];
  return {
    account_id: account,
    amount: BigInt(l.amount) as Money,
    currency: null,
    currency_amount: null,
    vat_code: l.vatCode || null,
    description: null,
    party_type: partyType,
    party_id: partyType ? subLedger : null,
    dimensions: project == null ? [] : [{ dimension_type: 'project', dimension_id: String(project) }],
    extra: subLedger !== null && partyType === null ? { sub_account: l.account } : null,
  };
}

export function accountRow(code: string, name: string): AccountRow {
  return {
    account_id: code,
    name,
    account_type: null, // by the Norwegian chart, in the transform
    standard_account_id: null,
    grouping_category: null,
    grouping_code: null,
    default_vat_code: null,
    is_active: true,
    extra: null,
  };
}

export function projectRow(p: { projectId: number; number?: string | null; name?: string | null; completed?: boolean | null }): DimensionRow {
  return { dimension_type: 'project', dimension_id: String(p.projectId), name: [p.number, p.name].filter(Boolean).join(' ') || String(p.projectId), is_active: !p.completed };
}

/** A contact is a customer, a supplier, or both: one party row per role. */
export function partyRows(c: FxContact): PartyRow[] {
  const rows: PartyRow[] = [];
  const common = { name: c.name, org_number: c.organizationNumber || null, country: null, extra: { fiken_contact_id: c.contactId } };
  if (c.customerNumber != null) rows.push({ party_type: 'customer', party_id: String(c.customerNumber), ...common });
  if (c.supplierNumber != null) rows.push({ party_type: 'supplier', party_id: String(c.supplierNumber), ...common });
  return rows;
}

/**
 * Fiken has no fiscal-year resource: calendar years from the company's accounting start
 * (the first one may be short) up to the year of `today`; a year that has ended is closed. Fiken
 * knows a year by its number, which is its own id for it.
 */
export function fiscalYears(accountingStartDate: string | null | undefined, today: string): SourceFiscalYear[] {
  const thisYear = Number(today.slice(0, 4));
  const first = accountingStartDate && /^\d{4}-\d{2}-\d{2}$/.test(accountingStartDate) ? accountingStartDate : `${thisYear - 2}-01-01`;
  const years: SourceFiscalYear[] = [];
  for (let y = Number(first.slice(0, 4)); y <= thisYear; y++) {
    const start = y === Number(first.slice(0, 4)) ? first : `${y}-01-01`;
    const end = `${y}-12-31`;
    years.push({ start_date: start, end_date: end, label: String(y), is_closed: end < today, source_year_ref: String(y) });
  }
  return years;
}

/** Balance-sheet accounts (classes 1–2) carry their balance into a new year; the rest start at 0. */
export function carriesOver(account: string): boolean {
  return account.startsWith('1') || account.startsWith('2');
}
