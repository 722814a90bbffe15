// A generated company as the Fiken simulator serves it: chart, contacts (the generator's
// customers and suppliers), projects (its project dimension; Fiken has no departments) and
// every voucher as one journal entry in its own transaction, packed into a JournalStore.
import type { Voucher } from '../../model/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { PROFILES } from '../profiles.ts';
import { dayOf } from './days.ts';
import { JournalStore } from './journal-store.ts';

export interface AccountRec {
  index: number;
  /** Four digits, e.g. `3000`. */
  code: string;
  number: number;
  name: string;
  /** Income statement (classes 3–8): its balance starts every fiscal year at zero. */
  pnl: boolean;
}

export interface ContactRec {
  index: number;
  contactId: number;
  kind: 'customer' | 'supplier';
  /** customerNumber or supplierNumber. */
  number: number;
  name: string;
  orgNumber: string | null;
  /** `1500:10001` / `2400:20001`. */
  accountCode: string;
  createdDay: number;
  modifiedDay: number;
}

export interface ProjectRec {
  index: number;
  projectId: number;
  number: string;
  name: string;
  completed: boolean;
}

export interface YearRec {
  index: number;
  start: string;
  end: string;
  startDay: number;
  /** The first day after the year. */
  endDay: number;
}

/** Fiken's `transaction.type` values the simulator uses. */
export const TRANSACTION_TYPES = ['General Journal Entry', 'Salg', 'Kjøp', 'Betaling', 'Lønn', 'Annullering'] as const;
export const TYPE_GENERAL = 0;
export const TYPE_REVERSAL = 5;

export class FikenCompany {
  readonly name: string;
  readonly orgNumber: string | null;
  readonly accounts: AccountRec[] = [];
  readonly accountByCode = new Map<string, number>();
  /** The current (newest) year's chart: account indexes by code. */
  readonly chart: number[] = [];
  readonly contacts: ContactRec[] = [];
  readonly projects: ProjectRec[] = [];
  readonly years: YearRec[] = [];
  readonly vatCodes: string[] = [];
  readonly ledger = new JournalStore();
  /** Opening balance of the first fiscal year per account index. */
  firstOpening: BigInt64Array = new BigInt64Array(0);
  /** Highest journalEntryNumber per fiscal year. */
  readonly lastNumber: number[] = [];
  /** Bumped by every mutation (seeds the next one; invalidates caches). */
  revision = 0;

  private readonly vatIndex = new Map<string, number>();
  private readonly contactIndex = new Map<string, number>();
  private readonly projectIndex = new Map<string, number>();

  private constructor(
    readonly index: number,
    readonly slug: string,
    readonly hasApiAccess: boolean,
    readonly source: GeneratedCompany,
    /** When the company's existing objects were created: before any sync. */
    readonly createdDay: number,
  ) {
    this.name = source.organization.name;
    this.orgNumber = source.organization.org_number;
  }

  static async build(source: GeneratedCompany, index: number, slug: string, hasApiAccess: boolean, createdDay: number): Promise<FikenCompany> {
    const org = source.organization;
    if (org.country !== 'NO' || org.base_currency !== 'NOK') {
      throw new RangeError(`Fiken simulator: ${org.name} is ${org.country ?? 'no country'}/${org.base_currency}; Fiken keeps Norwegian books in NOK (generate with country 'NO')`);
    }
    const c = new FikenCompany(index, slug, hasApiAccess, source, createdDay);
    c.buildMasterData();
    for (let y = 0; y < source.fiscalYears.length; y++) {
      const vouchers: Voucher[] = [];
      for await (const v of source.fiscalYears[y]!.vouchers()) vouchers.push(v);
      c.addYear(y, vouchers);
    }
    return c;
  }

  journalEntryId(e: number): number {
    return 100_000_000 + this.index * 10_000_000 + e + 1;
  }

  transactionId(e: number): number {
    return 500_000_000 + this.index * 10_000_000 + e + 1;
  }

  /** Entry index of a journalEntryId, or -1. */
  entryOfJournalEntryId(id: number): number {
    const e = id - this.journalEntryId(0);
    return Number.isInteger(e) && e >= 0 && e < this.ledger.count ? e : -1;
  }

  entryOfTransactionId(id: number): number {
    const e = id - this.transactionId(0);
    return Number.isInteger(e) && e >= 0 && e < this.ledger.count ? e : -1;
  }

  /** `3000`, or `1500:10001` for a reskontro line. */
  lineAccount(line: number): string {
    const code = this.accounts[this.ledger.lAccount[line]!]!.code;
    const contact = this.ledger.lContact[line]!;
    return contact < 0 ? code : `${code}:${this.contacts[contact]!.number}`;
  }

  /** The fiscal year holding `day`: -1 before the first, years.length after the last. */
  yearOf(day: number): number {
    if (day < this.years[0]!.startDay) return -1;
    for (const y of this.years) if (day < y.endDay) return y.index;
    return this.years.length;
  }

  get accountingStart(): string {
    return this.years[0]!.start;
  }

  private profile() {
    return PROFILES.NO;
  }

  private buildMasterData(): void {
    const years = this.source.fiscalYears;
    const roles = this.profile().roles;
    for (const fy of years) {
      for (const a of fy.accounts) {
        if (this.accountByCode.has(a.account_id)) continue;
        if (!/^\d{4}$/.test(a.account_id)) throw new RangeError(`Fiken simulator: account ${a.account_id} is not four digits`);
        const rec: AccountRec = { index: this.accounts.length, code: a.account_id, number: Number(a.account_id), name: a.name, pnl: a.account_id[0]! >= '3' && a.account_id[0]! <= '8' };
        this.accounts.push(rec);
        this.accountByCode.set(rec.code, rec.index);
      }
    }
    const current = years[years.length - 1]!;
    this.chart.push(...current.accounts.map((a) => this.accountByCode.get(a.account_id)!).sort((a, b) => this.accounts[a]!.number - this.accounts[b]!.number));
    this.firstOpening = new BigInt64Array(this.accounts.length);
    for (const a of years[0]!.accounts) this.firstOpening[this.accountByCode.get(a.account_id)!] = a.opening;

    const projectType = this.profile().dimensionTypes.project;
    for (const fy of years) {
      for (const p of fy.parties) {
        const key = `${p.party_type}:${p.party_id}`;
        if (this.contactIndex.has(key)) continue;
        const number = Number(p.party_id);
        if (!Number.isSafeInteger(number)) throw new RangeError(`Fiken simulator: party ${p.party_id} is not a number; Fiken customer and supplier numbers are integers`);
        const rec: ContactRec = {
          index: this.contacts.length,
          contactId: 2_000_000 + this.index * 100_000 + this.contacts.length + 1,
          kind: p.party_type,
          number,
          name: p.name,
          orgNumber: p.org_number,
          accountCode: `${p.party_type === 'customer' ? roles.receivable : roles.payable}:${p.party_id}`,
          createdDay: this.createdDay,
          modifiedDay: this.createdDay,
        };
        this.contacts.push(rec);
        this.contactIndex.set(key, rec.index);
      }
      for (const d of fy.dimensions) {
        if (d.dimension_type !== projectType || this.projectIndex.has(d.dimension_id)) continue;
        const rec: ProjectRec = { index: this.projects.length, projectId: 7_000_000 + this.index * 10_000 + this.projects.length + 1, number: d.dimension_id, name: d.name, completed: !d.is_active };
        this.projects.push(rec);
        this.projectIndex.set(d.dimension_id, rec.index);
      }
    }
  }

  private addYear(index: number, vouchers: Voucher[]): void {
    const fy = this.source.fiscalYears[index]!.fiscal_year;
    const startDay = dayOf(fy.start_date);
    const lastDay = dayOf(fy.end_date);
    if (startDay === null || lastDay === null) throw new RangeError(`Fiken simulator: bad fiscal year ${fy.start_date}–${fy.end_date}`);
    this.years.push({ index, start: fy.start_date, end: fy.end_date, startDay, endDay: lastDay + 1 });
    const journals = this.profile().journals;
    const typeOf = new Map<string, number>([
      [journals.general, 0],
      [journals.sales, 1],
      [journals.purchases, 2],
      [journals.bank, 3],
      [journals.customerPayments, 3],
      [journals.supplierPayments, 3],
      [journals.payroll, 4],
    ]);
    const projectType = this.profile().dimensionTypes.project;
    // Entries were created in date order (stable for same-day vouchers) and numbered so.
    const days = vouchers.map((v) => {
      const d = dayOf(v.voucher_date);
      if (d === null || d < startDay || d > lastDay) throw new RangeError(`Fiken simulator: voucher dated ${v.voucher_date} outside ${fy.start_date}–${fy.end_date}`);
      return d;
    });
    const order = vouchers.map((_, i) => i).sort((a, b) => days[a]! - days[b]! || a - b);
    let number = 0;
    for (const i of order) {
      const v = vouchers[i]!;
      this.ledger.addEntry({
        day: days[i]!,
        year: index,
        number: ++number,
        createdDay: this.createdDay,
        modifiedDay: this.createdDay,
        type: typeOf.get(v.journal_id) ?? 0,
        description: v.description ?? '',
        offset: -1,
      });
      for (const l of v.lines) {
        const account = this.accountByCode.get(l.account_id);
        if (account === undefined) throw new RangeError(`Fiken simulator: unknown account ${l.account_id}`);
        let contact = -1;
        if (l.party_type && l.party_id !== null) {
          contact = this.contactIndex.get(`${l.party_type}:${l.party_id}`) ?? -1;
          if (contact < 0) throw new RangeError(`Fiken simulator: unknown ${l.party_type} ${l.party_id}`);
        }
        let project = -1;
        for (const d of l.dimensions) if (d.dimension_type === projectType) project = this.projectIndex.get(d.dimension_id) ?? -1;
        this.ledger.addLine({ account, contact, amount: l.amount, vat: l.vat_code === null ? -1 : this.vatOf(l.vat_code), project, modifiedDay: this.createdDay });
      }
    }
    this.lastNumber[index] = number;
  }

  vatOf(code: string): number {
    let i = this.vatIndex.get(code);
    if (i === undefined) {
      i = this.vatCodes.length;
      this.vatCodes.push(code);
      this.vatIndex.set(code, i);
    }
    return i;
  }
}
