// A generated company as the simulator serves it: master data with Tripletex ids, and every
// fiscal year materialised once into compact columns (ledger-year.ts). Mutations replace
// years and bump versions; everything the endpoints answer is computed from this.
import type { AccountType, PartyType, Voucher } from '../../model/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { PROFILES } from '../profiles.ts';
import { addMonths, dayOf } from '../../model/index.ts';
import { LedgerYear, sortByDay, type LineRecord, type VoucherRecord, type YearMeta } from './ledger-year.ts';

export interface AccountRec {
  index: number;
  id: number;
  /** The generator's account id (the number as text). */
  key: string;
  number: number;
  name: string;
  accountType: AccountType | null;
  /** Tripletex `Account.type`. */
  type: string;
  /** Index into vatTypes, -1 none. */
  vatType: number;
  saftCode: string | null;
  groupingCode: string | null;
  isInactive: boolean;
  isBank: boolean;
  /** Income or expense: its balance starts every fiscal year at zero. */
  isPnl: boolean;
}

export interface VatTypeRec {
  index: number;
  id: number;
  number: string;
  name: string;
  /** Decimal text, e.g. `25` or `12.5`; null when the code has no rate. */
  rate: string | null;
  /** Rate in basis points for the gross amount; 0 when none. */
  basisPoints: number;
}

export interface VoucherTypeRec {
  index: number;
  id: number;
  journalId: string;
  name: string;
}

export interface DimensionRec {
  index: number;
  id: number;
  number: string;
  name: string;
  isInactive: boolean;
}

export interface PartyRec {
  index: number;
  id: number;
  kind: PartyType;
  number: number;
  name: string;
  orgNumber: string | null;
  country: string | null;
  version: number;
  createdAt: number;
  changedAt: number;
}

export interface CurrencyRec {
  index: number;
  id: number;
  code: string;
  description: string;
}

/** Tripletex currency ids are global; these match the common ones in Tripletex. */
export const CURRENCIES: readonly CurrencyRec[] = [
  { index: 0, id: 1, code: 'NOK', description: 'Norske kroner' },
  { index: 1, id: 2, code: 'SEK', description: 'Svenske kroner' },
  { index: 2, id: 3, code: 'DKK', description: 'Danske kroner' },
  { index: 3, id: 4, code: 'USD', description: 'Amerikanske dollar' },
  { index: 4, id: 5, code: 'EUR', description: 'Euro' },
  { index: 5, id: 6, code: 'GBP', description: 'Britiske pund' },
];

export interface AnnualAccountRec {
  id: number;
  year: number;
  start: string;
  /** Exclusive: the first day after the year (Tripletex's from/to convention). */
  end: string;
}

export interface PeriodRec {
  id: number;
  number: number;
  name: string;
  start: string;
  /** Exclusive: the first day of the next period. */
  end: string;
  yearIndex: number;
}

/** Id blocks per company, so every object id is unique across the simulator. */
const ID = {
  account: 10_000,
  voucherType: 20_000,
  vatType: 30_000,
  department: 40_000,
  project: 50_000,
  annualAccount: 60_000,
  period: 70_000,
  customer: 100_000,
  supplier: 200_000,
  voucher: 1_000_000,
  posting: 100_000_000,
} as const;

export const COMPANY_ID_BASE = 10_001_000;

export class ServedCompany {
  readonly id: number;
  readonly organization: GeneratedCompany['organization'];
  readonly baseCurrency: CurrencyRec;
  readonly accounts: AccountRec[] = [];
  readonly vatTypes: VatTypeRec[] = [];
  readonly voucherTypes: VoucherTypeRec[] = [];
  readonly departments: DimensionRec[] = [];
  readonly projects: DimensionRec[] = [];
  readonly customers: PartyRec[] = [];
  readonly suppliers: PartyRec[] = [];
  readonly annualAccounts: AnnualAccountRec[] = [];
  readonly periods: PeriodRec[] = [];
  years: LedgerYear[] = [];
  /** Receivable and payable account indexes (customers' and suppliers' `ledgerAccount`). */
  customerAccount: number | null = null;
  supplierAccount: number | null = null;
  /**
   * Where the year's result is moved at the next opening, when the chart books it on its own
   * account first (SE 2099 → 2091, FI 2370 → 2250), as the generator does; null for NO.
   */
  resultMove: { from: number; to: number } | null = null;
  /** Opening balance of the first fiscal year per account index. */
  readonly firstOpening: BigInt64Array;
  readonly createdAt: number;
  nextVoucherId: number;
  nextPostingId: number;
  /** Bumped on every mutation; seeds the next one, so a repeated plan changes other vouchers, reproducibly. */
  revision = 0;

  readonly accountByNumber = new Map<string, number>();
  readonly byId = {
    account: new Map<number, AccountRec>(),
    vatType: new Map<number, VatTypeRec>(),
    voucherType: new Map<number, VoucherTypeRec>(),
    department: new Map<number, DimensionRec>(),
    project: new Map<number, DimensionRec>(),
    customer: new Map<number, PartyRec>(),
    supplier: new Map<number, PartyRec>(),
  };

  private constructor(
    readonly index: number,
    readonly source: GeneratedCompany,
    createdAt: number,
  ) {
    this.id = COMPANY_ID_BASE + index;
    this.createdAt = createdAt;
    this.organization = source.organization;
    const base = this.idBase();
    this.nextVoucherId = base + ID.voucher + 1;
    this.nextPostingId = base + ID.posting + 1;
    const currency = CURRENCIES.find((c) => c.code === source.organization.base_currency);
    if (!currency) throw new RangeError(`tripletex simulator: base currency ${source.organization.base_currency} is not in its currency table`);
    this.baseCurrency = currency;
    const first = source.fiscalYears[0];
    if (!first) throw new RangeError('tripletex simulator: the company has no fiscal years');
    this.buildMasterData();
    this.firstOpening = new BigInt64Array(this.accounts.length);
    for (const a of first.accounts) this.firstOpening[this.accountByNumber.get(a.account_id)!] = a.opening;
  }

  /** Materialises every fiscal year of `source` (vouchers streamed once, then packed). */
  static async build(source: GeneratedCompany, index: number, createdAt: number): Promise<ServedCompany> {
    const company = new ServedCompany(index, source, createdAt);
    const newest = source.fiscalYears.length - 1;
    for (let y = 0; y <= newest; y++) {
      const fy = source.fiscalYears[y]!;
      const meta = company.yearMeta(y, fy.fiscal_year.start_date, fy.fiscal_year.end_date, y < newest);
      company.addPeriods(meta);
      const records: VoucherRecord[] = [];
      for await (const v of fy.vouchers()) records.push(company.toRecord(v, meta));
      company.years.push(company.numberYear(meta, records));
    }
    return company;
  }

  idBase(): number {
    return (this.index + 1) * 1_000_000_000;
  }

  /** Replaces a year after a mutation. */
  replaceYear(index: number, year: LedgerYear): void {
    this.years[index] = year;
    this.revision++;
  }

  private yearMeta(index: number, start: string, end: string, closed: boolean): YearMeta {
    const startDay = dayOf(start);
    const endDay = dayOf(end);
    if (startDay === null || endDay === null) throw new RangeError(`tripletex simulator: bad fiscal year ${start}–${end}`);
    const meta: YearMeta = { index, start, end, startDay, endDay: endDay + 1, year: Number(start.slice(0, 4)), closed };
    this.annualAccounts.push({ id: this.idBase() + ID.annualAccount + index + 1, year: meta.year, start, end: addMonths(start, 12) });
    return meta;
  }

  private addPeriods(meta: YearMeta): void {
    for (let m = 0; m < 12; m++) {
      const start = addMonths(meta.start, m);
      if (dayOf(start)! >= meta.endDay) break;
      const month = new Date(`${start}T00:00:00Z`).toLocaleString('nb-NO', { month: 'long', timeZone: 'UTC' });
      this.periods.push({
        id: this.idBase() + ID.period + this.periods.length + 1,
        number: m + 1,
        name: `${month} ${start.slice(0, 4)}`,
        start,
        end: addMonths(meta.start, m + 1),
        yearIndex: meta.index,
      });
    }
  }

  private buildMasterData(): void {
    const first = this.source.fiscalYears[0]!;
    const base = this.idBase();
    first.tax_codes.forEach((t, i) => {
      const rec: VatTypeRec = { index: i, id: base + ID.vatType + i + 1, number: t.tax_code, name: t.description ?? t.tax_code, rate: t.rate, basisPoints: basisPoints(t.rate) };
      this.vatTypes.push(rec);
      this.byId.vatType.set(rec.id, rec);
    });
    const vatIndex = new Map(this.vatTypes.map((v) => [v.number, v.index]));
    first.accounts.forEach((a, i) => {
      const number = Number(a.account_id);
      if (!Number.isSafeInteger(number)) throw new RangeError(`tripletex simulator: account ${a.account_id} is not a number; Tripletex account numbers are integers`);
      const rec: AccountRec = {
        index: i,
        id: base + ID.account + i + 1,
        key: a.account_id,
        number,
        name: a.name,
        accountType: a.account_type,
        type: tripletexAccountType(a.account_type, number),
        vatType: a.default_vat_code === null ? -1 : (vatIndex.get(a.default_vat_code) ?? -1),
        saftCode: a.standard_account_id,
        groupingCode: a.grouping_code,
        isInactive: !a.is_active,
        isBank: a.account_id === this.profile()?.roles.bank || (this.organization.country === 'NO' && number >= 1900 && number < 2000),
        isPnl: a.account_type === 'income' || a.account_type === 'expense',
      };
      this.accounts.push(rec);
      this.accountByNumber.set(a.account_id, i);
      this.byId.account.set(rec.id, rec);
    });
    const roles = this.profile()?.roles;
    this.customerAccount = roles ? (this.accountByNumber.get(roles.receivable) ?? null) : null;
    this.supplierAccount = roles ? (this.accountByNumber.get(roles.payable) ?? null) : null;
    if (roles && roles.yearResultEquity !== roles.retainedEarnings) {
      const from = this.accountByNumber.get(roles.yearResultEquity);
      const to = this.accountByNumber.get(roles.retainedEarnings);
      if (from !== undefined && to !== undefined) this.resultMove = { from, to };
    }
    first.journals.forEach((j, i) => {
      const rec: VoucherTypeRec = { index: i, id: base + ID.voucherType + i + 1, journalId: j.journal_id, name: j.name };
      this.voucherTypes.push(rec);
      this.byId.voucherType.set(rec.id, rec);
    });
    const dimTypes = this.profile()?.dimensionTypes ?? { department: 'department', project: 'project' };
    for (const d of first.dimensions) {
      const list = d.dimension_type === dimTypes.department ? this.departments : d.dimension_type === dimTypes.project ? this.projects : null;
      if (!list) continue;
      const rec: DimensionRec = {
        index: list.length,
        id: base + (list === this.departments ? ID.department : ID.project) + list.length + 1,
        number: d.dimension_id,
        name: d.name,
        isInactive: !d.is_active,
      };
      list.push(rec);
      (list === this.departments ? this.byId.department : this.byId.project).set(rec.id, rec);
    }
    for (const p of first.parties) {
      const list = p.party_type === 'customer' ? this.customers : this.suppliers;
      const number = Number(p.party_id);
      if (!Number.isSafeInteger(number)) throw new RangeError(`tripletex simulator: party ${p.party_id} is not a number; Tripletex customer and supplier numbers are integers`);
      const rec: PartyRec = {
        index: list.length,
        id: base + (p.party_type === 'customer' ? ID.customer : ID.supplier) + list.length + 1,
        kind: p.party_type,
        number,
        name: p.name,
        orgNumber: p.org_number,
        country: p.country,
        version: 0,
        createdAt: this.createdAt,
        changedAt: this.createdAt,
      };
      list.push(rec);
      (p.party_type === 'customer' ? this.byId.customer : this.byId.supplier).set(rec.id, rec);
    }
  }

  private profile() {
    const c = this.organization.country;
    return c ? PROFILES[c] : null;
  }

  // Lookups from generator ids to indexes, built lazily for the voucher pass.
  private lookups: {
    vat: Map<string, number>;
    journal: Map<string, number>;
    department: Map<string, number>;
    project: Map<string, number>;
    customer: Map<string, number>;
    supplier: Map<string, number>;
    currency: Map<string, number>;
    dimTypes: { department: string; project: string };
    vatAccounts: Set<number>;
    vatCodes: Set<string>;
  } | null = null;

  private toRecord(v: Voucher, meta: YearMeta): VoucherRecord {
    const k = (this.lookups ??= this.makeLookups());
    const day = dayOf(v.voucher_date);
    if (day === null) throw new RangeError(`tripletex simulator: voucher ${v.voucher_number} has a bad date ${v.voucher_date}`);
    const voucherType = k.journal.get(v.journal_id);
    if (voucherType === undefined) throw new RangeError(`tripletex simulator: unknown journal ${v.journal_id}`);
    // VAT lines Tripletex generates itself: the VAT-account lines of a voucher whose other
    // lines carry a VAT code with a rate. They are row 0 and systemGenerated, listed first.
    const hasVat = v.lines.some((l) => l.vat_code !== null && k.vatCodes.has(l.vat_code));
    const system: LineRecord[] = [];
    const user: LineRecord[] = [];
    for (const l of v.lines) {
      const account = this.accountByNumber.get(l.account_id);
      if (account === undefined) throw new RangeError(`tripletex simulator: unknown account ${l.account_id}`);
      let department = -1;
      let project = -1;
      for (const d of l.dimensions) {
        if (d.dimension_type === k.dimTypes.department) department = k.department.get(d.dimension_id) ?? -1;
        else if (d.dimension_type === k.dimTypes.project) project = k.project.get(d.dimension_id) ?? -1;
      }
      const currencyCode = l.currency ?? this.baseCurrency.code;
      const currency = k.currency.get(currencyCode);
      if (currency === undefined) throw new RangeError(`tripletex simulator: currency ${currencyCode} is not in its currency table`);
      const isSystem = hasVat && l.vat_code === null && k.vatAccounts.has(account);
      const rec: LineRecord = {
        id: 0,
        version: 0,
        account,
        amount: l.amount,
        currency,
        currencyAmount: l.currency_amount ?? l.amount,
        vatType: l.vat_code === null ? -1 : (k.vat.get(l.vat_code) ?? -1),
        partyKind: l.party_type === 'customer' ? 1 : l.party_type === 'supplier' ? 2 : 0,
        party: l.party_id === null ? -1 : ((l.party_type === 'customer' ? k.customer : k.supplier).get(l.party_id) ?? -1),
        department,
        project,
        row: isSystem ? 0 : user.length + 1,
        systemGenerated: isSystem,
      };
      (isSystem ? system : user).push(rec);
    }
    if (day < meta.startDay || day >= meta.endDay) throw new RangeError(`tripletex simulator: voucher dated ${v.voucher_date} outside ${meta.start}`);
    return { id: 0, number: 0, day, voucherType, version: 0, changedAt: this.createdAt, description: v.description ?? '', lines: [...system, ...user] };
  }

  /** Dates order the year; numbers run 1..N in that order, ids in the same order. */
  private numberYear(meta: YearMeta, records: VoucherRecord[]): LedgerYear {
    const sorted = sortByDay(records);
    sorted.forEach((r, i) => {
      r.number = i + 1;
      r.id = this.nextVoucherId++;
      for (const l of r.lines) l.id = this.nextPostingId++;
    });
    return LedgerYear.encode(meta, sorted);
  }

  private makeLookups() {
    const profile = this.profile();
    const index = <T extends { index: number }>(list: T[], key: (t: T) => string) => new Map(list.map((t) => [key(t), t.index]));
    const vatAccounts = new Set<number>();
    const vatCodes = new Set<string>();
    for (const [code, v] of Object.entries(profile?.vat ?? {})) {
      vatCodes.add(code);
      const a = this.accountByNumber.get(v.account);
      if (a !== undefined) vatAccounts.add(a);
    }
    return {
      vat: index(this.vatTypes, (v) => v.number),
      journal: index(this.voucherTypes, (t) => t.journalId),
      department: index(this.departments, (d) => d.number),
      project: index(this.projects, (d) => d.number),
      customer: index(this.customers, (p) => String(p.number)),
      supplier: index(this.suppliers, (p) => String(p.number)),
      currency: new Map(CURRENCIES.map((c) => [c.code, c.index])),
      dimTypes: profile?.dimensionTypes ?? { department: 'department', project: 'project' },
      vatAccounts,
      vatCodes,
    };
  }
}

function basisPoints(rate: string | null): number {
  if (rate === null) return 0;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(rate.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : 0;
}

/** Tripletex `Account.type` from the account's kind and, for NS 4102 numbers, its class. */
function tripletexAccountType(type: AccountType | null, number: number): string {
  switch (type) {
    case 'asset':
      return 'ASSETS';
    case 'liability':
      return 'LIABILITIES';
    case 'equity':
      return 'EQUITY';
    default:
      break;
  }
  if (number >= 8000 && number < 9000) {
    if (number < 8100) return 'INVESTMENT_INCOME';
    if (number < 8300) return 'COST_OF_CAPITAL';
    if (number < 8400) return 'TAX_ON_ORDINARY_ACTIVITIES';
    if (number < 8500) return 'EXTRAORDINARY_INCOME';
    if (number < 8600) return 'EXTRAORDINARY_COST';
    if (number < 8800) return 'TAX_ON_EXTRAORDINARY_ACTIVITIES';
    if (number < 8900) return 'ANNUAL_RESULT';
    return 'TRANSFERS_AND_ALLOCATIONS';
  }
  return type === 'income' ? 'OPERATING_REVENUES' : 'OPERATING_EXPENSES';
}
