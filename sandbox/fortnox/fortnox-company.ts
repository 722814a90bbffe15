// A generated Swedish company as the Fortnox simulator serves it: financial years with
// Fortnox's own ids (not in date order: the oldest year was imported later, as happens when a
// company moves to Fortnox with its history), the chart per year, voucher series, cost centres,
// projects, customers, suppliers and every voucher with its rows, keyed (year, series, number).
// Documents (receipts, supplier and customer invoices) are picked from the vouchers; see
// fortnox-documents.ts.
import type { LedgerLine, Voucher } from '../../model/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { PROFILES } from '../profiles.ts';

export interface FxYear {
  /** Index, oldest first. */
  index: number;
  /** Fortnox's financial-year id. */
  id: number;
  from: string;
  to: string;
}

export interface FxAccount {
  number: number;
  description: string;
  sru: number | null;
  vatCode: string | null;
  /** Balance sheet (classes 1–2): its balance carries into the next year. */
  balance: boolean;
}

export interface FxRow {
  account: number;
  /** öre, debit positive */
  amount: bigint;
  costCenter: string;
  project: string;
  description: string;
  /** Struck by a later correction: kept for audit, out of every balance. */
  removed: boolean;
}

export type ReferenceType = 'INVOICE' | 'SUPPLIERINVOICE' | 'INVOICEPAYMENT' | 'SUPPLIERPAYMENT' | 'MANUAL' | 'CASHINVOICE' | 'ACCRUAL';

export interface FxVoucher {
  year: number;
  series: string;
  number: number;
  date: string;
  description: string;
  referenceType: ReferenceType;
  referenceNumber: string;
  /** Epoch ms of the last change (the `lastmodified` filter). */
  modifiedAt: number;
  rows: FxRow[];
  /** Customer or supplier of the voucher's reskontro row, if any. */
  party: { type: 'customer' | 'supplier'; number: string } | null;
}

export interface FxParty {
  number: string;
  name: string;
  orgNumber: string;
  country: string;
}

export interface FxDimension {
  code: string;
  description: string;
  active: boolean;
}

export class FortnoxCompany {
  readonly name: string;
  readonly orgNumber: string;
  /** Fortnox's tenant id (`DatabaseNumber`). */
  readonly databaseNumber: number;
  readonly years: FxYear[] = [];
  /** Per year index: the chart, sorted by number. */
  readonly accounts: FxAccount[][] = [];
  /** Opening balance of the first year per account number (later years follow from the vouchers). */
  readonly firstOpening = new Map<number, bigint>();
  readonly series: { code: string; description: string }[];
  readonly costCenters: FxDimension[] = [];
  readonly projects: FxDimension[] = [];
  readonly customers: FxParty[] = [];
  readonly suppliers: FxParty[] = [];
  /** Per year index: vouchers sorted by series, then number. */
  readonly vouchers: FxVoucher[][] = [];
  private readonly byKey = new Map<string, FxVoucher>();
  /** Bumped by every change (invalidates cached exports). */
  revision = 0;

  private constructor(
    readonly index: number,
    readonly source: GeneratedCompany,
    readonly hasIntegrationLicence: boolean,
  ) {
    this.name = source.organization.name;
    this.orgNumber = source.organization.org_number ?? '';
    this.databaseNumber = 1_000_000 + index * 7_919 + 17;
    this.series = PROFILES.SE.journals.rows.map((r) => ({ code: r.journal_id, description: r.name }));
  }

  static async build(source: GeneratedCompany, index: number, hasIntegrationLicence: boolean, createdAt: number): Promise<FortnoxCompany> {
    const org = source.organization;
    if (org.country !== 'SE' || org.base_currency !== 'SEK') {
      throw new RangeError(`Fortnox simulator: ${org.name} is ${org.country ?? 'no country'}/${org.base_currency}; Fortnox keeps Swedish books in SEK (generate with country 'SE')`);
    }
    const c = new FortnoxCompany(index, source, hasIntegrationLicence);
    c.buildMasterData();
    for (let y = 0; y < source.fiscalYears.length; y++) {
      const list: FxVoucher[] = [];
      for await (const v of source.fiscalYears[y]!.vouchers()) list.push(c.voucherOf(y, v, createdAt));
      list.sort(byKey);
      c.vouchers.push(list);
      for (const v of list) c.byKey.set(key(y, v.series, v.number), v);
    }
    return c;
  }

  yearById(id: number): FxYear | undefined {
    return this.years.find((y) => y.id === id);
  }

  /** The year holding `date` (`YYYY-MM-DD`). */
  yearOfDate(date: string): FxYear | undefined {
    return this.years.find((y) => y.from <= date && date <= y.to);
  }

  voucher(year: number, series: string, number: number): FxVoucher | undefined {
    return this.byKey.get(key(year, series, number));
  }

  /** Adds a voucher (numbered next in its series and year); keeps the list order. */
  addVoucher(v: FxVoucher): void {
    const list = this.vouchers[v.year]!;
    list.push(v);
    list.sort(byKey);
    this.byKey.set(key(v.year, v.series, v.number), v);
    this.revision++;
  }

  nextNumber(year: number, series: string): number {
    let n = 0;
    for (const v of this.vouchers[year]!) if (v.series === series && v.number > n) n = v.number;
    return n + 1;
  }

  private buildMasterData(): void {
    const fys = this.source.fiscalYears;
    const n = fys.length;
    // The oldest year gets the highest id: it was imported after the others were created.
    fys.forEach((fy, i) => this.years.push({ index: i, id: n === 1 ? 1 : i === 0 ? n : i, from: fy.fiscal_year.start_date, to: fy.fiscal_year.end_date }));
    for (const fy of fys) {
      this.accounts.push(
        fy.accounts
          .map((a): FxAccount => {
            if (!/^\d{4}$/.test(a.account_id)) throw new RangeError(`Fortnox simulator: account ${a.account_id} is not four digits`);
            const sru = a.extra && typeof a.extra.sru === 'string' && /^\d+$/.test(a.extra.sru) ? Number(a.extra.sru) : null;
            return { number: Number(a.account_id), description: a.name, sru, vatCode: a.default_vat_code, balance: a.account_id < '3' };
          })
          .sort((a, b) => a.number - b.number),
      );
    }
    for (const a of fys[0]!.accounts) this.firstOpening.set(Number(a.account_id), a.opening);
    const types = PROFILES.SE.dimensionTypes;
    const seen = new Set<string>();
    for (const fy of fys) {
      for (const d of fy.dimensions) {
        const k = `${d.dimension_type}\u0000${d.dimension_id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const rec = { code: d.dimension_id, description: d.name, active: d.is_active };
        if (d.dimension_type === types.department) this.costCenters.push(rec);
        else if (d.dimension_type === types.project) this.projects.push(rec);
      }
      for (const p of fy.parties) {
        const k = `${p.party_type}\u0000${p.party_id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const rec = { number: p.party_id, name: p.name, orgNumber: p.org_number ?? '', country: p.country ?? 'SE' };
        (p.party_type === 'customer' ? this.customers : this.suppliers).push(rec);
      }
    }
  }

  private voucherOf(year: number, v: Voucher, createdAt: number): FxVoucher {
    const number = Number(v.voucher_number);
    if (!Number.isSafeInteger(number) || number < 1) throw new RangeError(`Fortnox simulator: voucher number ${v.voucher_number} is not a positive integer`);
    const types = PROFILES.SE.dimensionTypes;
    const journals = PROFILES.SE.journals;
    let party: FxVoucher['party'] = null;
    const rows = v.lines.map((l: LedgerLine): FxRow => {
      if (l.party_type && l.party_id !== null && !party) party = { type: l.party_type, number: l.party_id };
      return {
        account: Number(l.account_id),
        amount: l.amount,
        costCenter: l.dimensions.find((d) => d.dimension_type === types.department)?.dimension_id ?? '',
        project: l.dimensions.find((d) => d.dimension_type === types.project)?.dimension_id ?? '',
        description: l.description ?? '',
        removed: false,
      };
    });
    const referenceType: ReferenceType =
      v.journal_id === journals.sales ? 'INVOICE'
      : v.journal_id === journals.purchases ? 'SUPPLIERINVOICE'
      : v.journal_id === journals.customerPayments ? 'INVOICEPAYMENT'
      : v.journal_id === journals.supplierPayments ? 'SUPPLIERPAYMENT'
      : 'MANUAL';
    // The invoice number the description names (`Kundfaktura 67882 …`), as Fortnox's reference.
    const referenceNumber = referenceType === 'MANUAL' ? '' : (/\b(\d{3,})\b/.exec(v.description ?? '')?.[1] ?? '');
    return { year, series: v.journal_id, number, date: v.voucher_date, description: v.description ?? '', referenceType, referenceNumber, modifiedAt: createdAt, rows, party };
  }
}

const key = (year: number, series: string, number: number) => `${year}\u0000${series}\u0000${number}`;

function byKey(a: FxVoucher, b: FxVoucher): number {
  return a.series < b.series ? -1 : a.series > b.series ? 1 : a.number - b.number;
}
