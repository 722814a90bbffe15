// Company setup: everything that does not change from year to year (account and tax-code
// indexes, parties, dimensions, plan amounts, opening balance sheet), derived from the seed.
import type { Country, DimensionRow, LineDimension, OrganizationInfo, PartyRow, TaxCodeRow } from '../model/index.ts';
import type { CountryProfile, Weighted } from './country-profile.ts';
import { PROFILES } from './profiles.ts';
import { Random, deriveSeed, tag } from './random.ts';

export interface Party {
  id: string;
  name: string;
  foreign: boolean;
  /** Payment terms in days. */
  terms: number;
  /** Supplier kind (index into profile.supplierKinds), -1 for customers. */
  kind: number;
}

export interface Plan {
  /** Median net amount of one revenue line, minor units, year 1. */
  saleMedian: number;
  /** Multiplier for supplier medians. */
  purchaseScale: number;
  cardMedian: number;
  /** Gross monthly payroll, minor units, year 1. */
  payrollMonthly: number;
  growth: number[];
  assetPurchase: number;
  loanInstallment: number;
  revenueEstimate: number;
}

export class Setup {
  readonly profile: CountryProfile;
  readonly linesPerYear: number;
  readonly accountIds: string[];
  readonly index = new Map<string, number>();
  readonly isPnl: Uint8Array;
  /** Per account: tax-code index of its default VAT code (-1 none). */
  readonly accVatCode: Int16Array;
  /** Per account: VAT basis points and VAT account of its default code (0 / -1 when none). */
  readonly accVatBp: Int32Array;
  readonly accVatAcc: Int32Array;
  readonly taxCodes: string[];
  readonly vatAccounts: number[];
  readonly journalIds: string[];
  readonly j: Record<'sales' | 'purchases' | 'customerPayments' | 'supplierPayments' | 'bank' | 'payroll' | 'general', number>;
  readonly r: Record<keyof CountryProfile['roles'], number>;
  readonly assets: { asset: number; accumulated: number; expense: number; lifeMonths: number; share: number }[];
  readonly revenueAcc: number[];
  readonly revenueCum: number[];
  readonly exportRevenue: number;
  readonly supplierLines: { acc: number[]; cum: number[]; median: number }[];
  readonly cardAcc: number[];
  readonly cardCum: number[];
  readonly exemptCard: number;
  readonly assetVatCode: number;
  readonly assetVatBp: number;
  readonly assetVatAcc: number;
  /** Card-purchase accounts that carry VAT (for three- and four-line fills). */
  readonly cardVatAcc: number[];
  readonly payroll: {
    salary: number;
    withholding: number;
    contributions: { expense: number; liability: number; rate: number }[];
    employeePension: { liability: number; rate: number } | null;
    holiday: { expense: number; liability: number; rate: number; payMonth: number } | null;
    /** Distinct liabilities settled by the payroll-tax payment. */
    taxLiabilities: number[];
    pensionLiability: number;
  };
  readonly customers: Party[];
  readonly suppliers: Party[];
  readonly supplierByKind: number[][];
  readonly supplierKindCum: number[];
  readonly nDept: number;
  readonly deptCum: number[];
  readonly payrollShare: number[];
  readonly nProj: number;
  /** dims[dept * (nProj + 1) + project + 1]; project -1 = none. */
  readonly dims: LineDimension[][];
  readonly organization: OrganizationInfo;
  readonly dimensionRows: DimensionRow[];
  readonly partyRows: PartyRow[];
  readonly taxCodeRows: TaxCodeRow[];
  readonly plan: Plan;
  readonly opening: Float64Array;
  readonly fixedLinesNominal: number;

  constructor(seed: number, country: Country, linesPerYear: number, years: number) {
    const p = PROFILES[country];
    this.profile = p;
    this.linesPerYear = linesPerYear;
    const rng = new Random(deriveSeed(seed, tag('company')));
    this.accountIds = p.accounts.map((a) => a.id);
    p.accounts.forEach((a, i) => this.index.set(a.id, i));
    const n = p.accounts.length;
    this.isPnl = new Uint8Array(n);
    p.accounts.forEach((a, i) => (this.isPnl[i] = a.type === 'income' || a.type === 'expense' ? 1 : 0));
    this.taxCodes = p.taxCodes.map((t) => t.code);
    this.accVatCode = new Int16Array(n).fill(-1);
    this.accVatBp = new Int32Array(n);
    this.accVatAcc = new Int32Array(n).fill(-1);
    p.accounts.forEach((a, i) => {
      if (a.vatCode === null) return;
      this.accVatCode[i] = this.taxIdx(a.vatCode);
      const v = p.vat[a.vatCode];
      if (v && a.type !== 'asset' && a.type !== 'liability') {
        this.accVatBp[i] = v.basisPoints;
        this.accVatAcc[i] = this.acc(v.account);
      }
    });
    this.vatAccounts = [...new Set(Object.values(p.vat).map((v) => this.acc(v.account)))];
    this.journalIds = p.journals.rows.map((r) => r.journal_id);
    const jIdx = (id: string) => {
      const i = this.journalIds.indexOf(id);
      if (i < 0) throw new Error(`profile ${country}: unknown journal ${id}`);
      return i;
    };
    const js = p.journals;
    this.j = {
      sales: jIdx(js.sales),
      purchases: jIdx(js.purchases),
      customerPayments: jIdx(js.customerPayments),
      supplierPayments: jIdx(js.supplierPayments),
      bank: jIdx(js.bank),
      payroll: jIdx(js.payroll),
      general: jIdx(js.general),
    };
    this.r = Object.fromEntries(Object.entries(p.roles).map(([k, v]) => [k, this.acc(v)])) as Setup['r'];
    this.assets = p.fixedAssets.map((a) => ({
      asset: this.acc(a.asset),
      accumulated: a.accumulated === null ? -1 : this.acc(a.accumulated),
      expense: this.acc(a.expense),
      lifeMonths: a.lifeMonths,
      share: a.share,
    }));
    [this.revenueAcc, this.revenueCum] = this.weighted(p.revenue);
    this.exportRevenue = this.acc(p.exportRevenue);
    this.supplierLines = p.supplierKinds.map((k) => {
      const [acc, cum] = this.weighted(k.lines);
      return { acc, cum, median: k.median };
    });
    [this.cardAcc, this.cardCum] = this.weighted(p.cardPurchases);
    this.exemptCard = this.acc(p.exemptCardPurchase);
    this.assetVatCode = this.taxIdx(p.assetPurchaseVatCode);
    const assetVat = p.vat[p.assetPurchaseVatCode];
    if (!assetVat) throw new Error(`profile ${country}: asset VAT code ${p.assetPurchaseVatCode} has no rate`);
    this.assetVatBp = assetVat.basisPoints;
    this.assetVatAcc = this.acc(assetVat.account);
    this.cardVatAcc = this.cardAcc.filter((a) => this.accVatAcc[a]! >= 0);
    const pr = p.payroll;
    const contributions = pr.contributions.map((c) => ({ expense: this.acc(c.expense), liability: this.acc(c.liability), rate: c.rate }));
    const pensionLiability = pr.employeePension ? this.acc(pr.employeePension.liability) : -1;
    this.payroll = {
      salary: this.acc(pr.salary),
      withholding: this.acc(pr.withholding),
      contributions,
      employeePension: pr.employeePension ? { liability: pensionLiability, rate: pr.employeePension.rate } : null,
      holiday: pr.holidayPay
        ? { expense: this.acc(pr.holidayPay.expense), liability: this.acc(pr.holidayPay.liability), rate: pr.holidayPay.rate, payMonth: pr.holidayPay.payMonth }
        : null,
      // The pension liability (FI) is paid to the pension insurer separately.
      taxLiabilities: [this.acc(pr.withholding), ...contributions.map((c) => c.liability).filter((l) => l !== pensionLiability)],
      pensionLiability,
    };

    // Scale: bigger ledgers get more departments, projects and business partners.
    const L = linesPerYear;
    this.nDept = L < 2_000 ? 2 : L < 50_000 ? 3 : 4;
    this.nProj = L < 2_000 ? 3 : L < 50_000 ? 6 : 8;
    const deptWeights = [5, 3, 2, 1].slice(0, this.nDept);
    this.deptCum = cumulative(deptWeights);
    const payW = [4, 3, 2, 2].slice(0, this.nDept);
    const payTotal = payW.reduce((s, w) => s + w, 0);
    this.payrollShare = payW.map((w) => w / payTotal);
    const deptRows = p.departments.slice(0, this.nDept - 1).concat(p.departments[p.departments.length - 1]!);
    const projects = p.projectNames.slice(0, this.nProj).map((name, i) => ({ id: `${p.projectPrefix}${1001 + i}`, name }));
    this.dims = [];
    for (let dpt = 0; dpt < this.nDept; dpt++) {
      for (let pj = -1; pj < this.nProj; pj++) {
        const list: LineDimension[] = [{ dimension_type: p.dimensionTypes.department, dimension_id: deptRows[dpt]!.id }];
        if (pj >= 0) list.push({ dimension_type: p.dimensionTypes.project, dimension_id: projects[pj]!.id });
        // Shared by many lines: frozen so a consumer cannot change them all at once.
        this.dims.push(Object.freeze(list) as LineDimension[]);
      }
    }
    this.dimensionRows = [
      ...deptRows.map((d) => ({ dimension_type: p.dimensionTypes.department, dimension_id: d.id, name: d.name, is_active: true })),
      ...projects.map((pj, i) => ({ dimension_type: p.dimensionTypes.project, dimension_id: pj.id, name: pj.name, is_active: i < this.nProj - 1 })),
    ];

    // Organization.
    const names = p.names;
    const name = `${rng.pick(names.companyStems)} ${rng.pick(names.companyTrades)} ${names.companySuffix}`;
    const orgNumber = p.orgNumber(rng);
    this.organization = { name, country, org_number: orgNumber, base_currency: p.currency, source_company_ref: orgNumber };

    // Parties.
    const nCust = clamp(Math.round(L / 60), 8, 400);
    const nSupp = clamp(Math.round(L / 120), p.supplierKinds.length + 1, 150);
    const used = new Set<string>();
    const uniqueName = (make: () => string) => {
      for (let i = 0; ; i++) {
        const base = make();
        const candidate = i < 5 ? base : `${base} ${i}`;
        if (!used.has(candidate)) {
          used.add(candidate);
          return candidate;
        }
      }
    };
    this.customers = [];
    for (let i = 0; i < nCust; i++) {
      // About one customer in 25 is abroad, spread over the size ranking so that foreign
      // invoices stay a few per cent of sales.
      const foreign = i % 25 === 7;
      const partyName = foreign
        ? uniqueName(() => names.foreignCustomers[Math.floor(i / 25) % names.foreignCustomers.length]!)
        : uniqueName(() => `${rng.pick(names.partyStems)} ${rng.pick(names.customerTrades)} ${names.companySuffix}`);
      this.customers.push({ id: String(10001 + i), name: partyName, foreign, terms: rng.pick([10, 14, 14, 30, 30, 30]), kind: -1 });
    }
    this.suppliers = [];
    this.supplierByKind = p.supplierKinds.map(() => []);
    for (let i = 0; i < nSupp; i++) {
      // Every kind gets a domestic supplier first, then one foreign wholesaler; the rest
      // follow the kind weights.
      const foreign = i === p.supplierKinds.length;
      const kind = i < p.supplierKinds.length ? i : foreign ? 0 : rng.weighted(cumulative(p.supplierKinds.map((k) => k.weight)));
      const partyName = foreign
        ? uniqueName(() => names.foreignSuppliers[0]!)
        : uniqueName(() => `${rng.pick(names.partyStems)} ${p.supplierKinds[kind]!.trade} ${names.companySuffix}`);
      this.supplierByKind[kind]!.push(i);
      this.suppliers.push({ id: String(20001 + i), name: partyName, foreign, terms: rng.pick([14, 20, 30, 30]), kind });
    }
    this.supplierKindCum = cumulative(p.supplierKinds.map((k) => k.weight));
    const foreignCountries = p.foreign.countries;
    const partyRow = (type: 'customer' | 'supplier', party: Party, k: number): PartyRow => ({
      party_type: type,
      party_id: party.id,
      name: party.name,
      org_number: party.foreign ? null : p.orgNumber(rng),
      country: party.foreign ? foreignCountries[k % foreignCountries.length]! : country,
      extra: null,
    });
    this.partyRows = [...this.customers.map((c, k) => partyRow('customer', c, k)), ...this.suppliers.map((s, k) => partyRow('supplier', s, k))];
    this.taxCodeRows = p.taxCodes.map((t) => ({ tax_code: t.code, description: t.description, rate: t.rate, standard_tax_code: t.standard }));

    // Fixed vouchers per year at nominal line counts (see YearRun for the schedule).
    const payrollLines = this.nDept + payrollLiabilities(this.payroll) + contributions.length + 1 + (this.payroll.holiday ? 2 : 0);
    const taxPayments = (12 / pr.taxTermMonths) * (this.payroll.taxLiabilities.length + 1) + (pr.pensionPayDay !== null ? 24 : 0) + (this.payroll.holiday ? 2 : 0);
    const vat = (12 / p.vatTerm.months) * (Math.min(this.vatAccounts.length, 3) + 1 + 2);
    this.fixedLinesNominal = 12 * payrollLines + taxPayments + 12 * (2 + 2 * this.assets.length) + 4 * 3 + 4 * 2 + vat + 3 + 2;
    if (L < this.fixedLinesNominal + 60) {
      throw new RangeError(`linesPerYear ${L} is too small for a ${country} company: the monthly payroll, depreciation, VAT and bank vouchers alone take about ${this.fixedLinesNominal} lines; use at least ${this.fixedLinesNominal + 60}.`);
    }

    // Plan amounts from the expected number of invoices, so the business is profitable at any size.
    const scale = p.amountScale;
    const events = (L - this.fixedLinesNominal) / 5.2;
    const saleMedian = Math.round(9_000_00 * scale * (0.8 + 0.4 * rng.next()));
    const lognormalMean = Math.exp(0.7 * 0.7 / 2);
    const revenueEstimate = events * SALE_SHARE * 1.6 * saleMedian * lognormalMean;
    const growth = [1];
    for (let y = 1; y < years; y++) growth.push(growth[y - 1]! * (1.02 + 0.08 * rng.next()));
    const employerRate =
      pr.contributions.reduce((sum, c) => sum + c.rate, 0) +
      (pr.holidayPay ? pr.holidayPay.rate * (1 + pr.contributions.reduce((sum, c) => sum + c.rate, 0)) : 0);
    const roundTo = (x: number, unit: number) => Math.max(unit, Math.round(x / unit) * unit);
    const unit = Math.round(1_000_00 * scale);
    this.plan = {
      saleMedian,
      // Purchases follow the sales level so the margin does not depend on the seed's luck.
      purchaseScale: (saleMedian / 9_000_00) * (1.05 + 0.1 * rng.next()),
      cardMedian: Math.round(450_00 * scale),
      // People cost (salary plus employer contributions and holiday pay) about 36 % of revenue.
      payrollMonthly: (0.36 * revenueEstimate) / (12 * (1 + employerRate)),
      growth,
      assetPurchase: roundTo(0.03 * revenueEstimate, unit),
      loanInstallment: 0,
      revenueEstimate,
    };

    // Opening balance sheet of year 1: fixed assets and bank financed by share capital, loan
    // and earlier years' retained earnings.
    this.opening = new Float64Array(n);
    const assetsTotal = roundTo(0.12 * revenueEstimate, unit);
    for (const a of this.assets) this.opening[a.asset] = roundTo(assetsTotal * a.share, unit);
    const bank = roundTo(0.12 * revenueEstimate, unit);
    const capital = roundTo(Math.max(0.03 * revenueEstimate, 30_000_00 * scale), unit * 10);
    const loan = roundTo(0.1 * revenueEstimate, unit * 10);
    this.opening[this.r.bank] = bank;
    this.opening[this.r.shareCapital] = -capital;
    this.opening[this.r.loan] = -loan;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.opening[i]!;
    this.opening[this.r.retainedEarnings]! -= sum;
    this.plan.loanInstallment = roundTo(loan / 20, 100);
  }

  acc(id: string): number {
    const i = this.index.get(id);
    if (i === undefined) throw new Error(`profile ${this.profile.country}: unknown account ${id}`);
    return i;
  }

  taxIdx(code: string): number {
    const i = this.taxCodes.indexOf(code);
    if (i < 0) throw new Error(`profile ${this.profile.country}: unknown tax code ${code}`);
    return i;
  }

  private weighted(list: Weighted[]): [number[], number[]] {
    return [list.map((w) => this.acc(w.account)), cumulative(list.map((w) => w.weight))];
  }

  dim(dept: number, project: number): number {
    return dept * (this.nProj + 1) + project + 1;
  }
}

/** Distinct liability accounts a payroll voucher credits (holiday pay aside). */
export function payrollLiabilities(pr: Setup['payroll']): number {
  const liabilities = new Set([pr.withholding, ...pr.contributions.map((c) => c.liability)]);
  if (pr.employeePension) liabilities.add(pr.employeePension.liability);
  return liabilities.size;
}

export const SALE_SHARE = 0.5;
export const PURCHASE_SHARE = 0.36;

function cumulative(weights: number[]): number[] {
  let s = 0;
  return weights.map((w) => (s += w));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
