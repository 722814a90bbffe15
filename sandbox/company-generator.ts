// Deterministic synthetic company: a believable small Nordic business whose ledger is
// regenerated from the seed on demand, with an independently aggregated truth.
//
// Design, briefly:
// - One simulation core (`YearRun`) walks a fiscal year day by day and writes each voucher
//   into a reusable line buffer. A sink either aggregates the buffer (truth pass, run once
//   per year at generation time) or turns it into `Voucher` objects (the lazy `vouchers()`
//   stream). Both passes draw the same random numbers, so they see the same ledger.
// - The only state crossing a year boundary (balances, open invoices, VAT due, fixed-asset
//   register, invoice counters) is snapshotted at each year start, so `vouchers()` replays
//   just that year with bounded memory.
// - Inside the core, money is integer minor units held in JS numbers (exact below 2^53, far
//   above any sum this generator reaches; checked on the way out) and becomes `bigint` at the
//   boundary. This keeps the hot loop free of bigint allocation.
// - Line count: a controller paces invoices so that the year lands on `linesPerYear`, counting
//   fixed vouchers exactly as they happen and estimating the ones still to come.
import type {
  AccountRow,
  AccountType,
  BudgetRow,
  Country,
  DimensionRow,
  FiscalYearRow,
  IsoDate,
  JournalRow,
  LedgerExport,
  LedgerLine,
  LineDimension,
  Money,
  OrganizationInfo,
  PartyRow,
  TaxCodeRow,
  Voucher,
} from '../transform/ledger-model.ts';
import { finland } from './charts/finland.ts';
import { norway } from './charts/norway.ts';
import { sweden } from './charts/sweden.ts';
import { Random, deriveSeed, tag } from './random.ts';

// ---------------------------------------------------------------------------------------------
// Country profiles (filled in by sandbox/charts/*.ts)

export interface ChartAccount {
  id: string;
  name: string;
  type: AccountType;
  standardAccountId: string | null;
  groupingCategory: string | null;
  groupingCode: string | null;
  /** Default VAT code; on revenue/expense accounts it also decides the line's VAT. */
  vatCode: string | null;
  extra: Record<string, unknown> | null;
}

interface Weighted {
  account: string;
  weight: number;
}

export interface CountryProfile {
  country: Country;
  currency: string;
  /** Multiplier from the chart's NOK/SEK-sized medians to this currency. */
  amountScale: number;
  /** Foreign currency used on a few invoices; `rate4` = base minor units per foreign minor unit × 10 000. */
  foreign: { currency: string; rate4: number; countries: string[] };
  accounts: ChartAccount[];
  taxCodes: { code: string; description: string; rate: string | null; standard: string | null }[];
  /** VAT codes that produce a VAT line: rate in basis points and the VAT account. */
  vat: Record<string, { basisPoints: number; account: string }>;
  roles: {
    bank: string;
    receivable: string;
    payable: string;
    shareCapital: string;
    retainedEarnings: string;
    /** Balance-sheet account the year-end voucher credits with the result. */
    yearResultEquity: string;
    /** P&L account the year-end voucher debits (8800, 8999, …) so the P&L nets to zero. */
    yearResultPnl: string;
    loan: string;
    vatSettlement: string;
    bankFees: string;
    interestIncome: string;
    interestExpense: string;
    fxGain: string;
    fxLoss: string;
  };
  fixedAssets: { asset: string; accumulated: string | null; expense: string; lifeMonths: number; share: number }[];
  revenue: Weighted[];
  exportRevenue: string;
  supplierKinds: { trade: string; lines: Weighted[]; median: number; weight: number }[];
  cardPurchases: Weighted[];
  /** A VAT-free expense for two-line card purchases (postage): lets the year end on target. */
  exemptCardPurchase: string;
  assetPurchaseVatCode: string;
  payroll: {
    salary: string;
    withholdingRate: number;
    withholding: string;
    contributions: { expense: string; liability: string; rate: number }[];
    employeePension: { liability: string; rate: number } | null;
    holidayPay: { expense: string; liability: string; rate: number; payMonth: number } | null;
    taxTermMonths: number;
    taxPayDay: number;
    pensionPayDay: number | null;
  };
  /** Calendar VAT terms; payment due `dueMonthsAfter` months after the term's last month. */
  vatTerm: { months: number; dueMonthsAfter: number; dueDay: number };
  journals: {
    rows: JournalRow[];
    sales: string;
    purchases: string;
    customerPayments: string;
    supplierPayments: string;
    bank: string;
    payroll: string;
    general: string;
  };
  dimensionTypes: { department: string; project: string };
  departments: { id: string; name: string }[];
  projectNames: string[];
  projectPrefix: string;
  names: {
    companyStems: string[];
    companyTrades: string[];
    companySuffix: string;
    partyStems: string[];
    customerTrades: string[];
    foreignCustomers: string[];
    foreignSuppliers: string[];
  };
  orgNumber: (rng: Random) => string;
  text: Record<
    | 'sale' | 'customerPayment' | 'purchase' | 'supplierPayment' | 'card' | 'payroll' | 'payrollTax' | 'pension'
    | 'holidayPay' | 'depreciation' | 'bankFee' | 'loan' | 'interestIncome' | 'vatTransfer' | 'vatPayment'
    | 'assetPurchase' | 'yearEnd',
    string
  > & { months: string[] };
}

const PROFILES: Record<Country, CountryProfile> = { NO: norway, SE: sweden, FI: finland };

// ---------------------------------------------------------------------------------------------
// Public types

export interface GenerateCompanyOptions {
  seed: number;
  country: Country;
  linesPerYear: number;
  /** Number of fiscal years, default 3. */
  years?: number;
  /** Calendar year in which the first fiscal year starts; default `currentYear - 2`. */
  firstFiscalYear?: number;
  /** "Today's" year, so defaults do not depend on the clock; default the clock's year. */
  currentYear?: number;
  /** 1–12, default 1 (calendar years); e.g. 7 gives July–June years. */
  fiscalYearStartMonth?: number;
}

export interface FiscalYearTruth {
  fiscal_year: FiscalYearRow;
  /** Balance per account at the first day (every chart account, zero included). */
  opening: Map<string, Money>;
  /** Balance per account after the last day, year-end voucher included. */
  closing: Map<string, Money>;
  /** account → 'YYYY-MM' → net movement; only non-zero cells. */
  movements: Map<string, Map<string, Money>>;
  voucherCount: number;
  lineCount: number;
  /** Sum of positive line amounts. */
  totalDebit: Money;
  /** Sum of negative line amounts, as a positive number. */
  totalCredit: Money;
  /** The year's profit (positive) or loss (negative), before the year-end transfer. */
  result: Money;
}

export interface CompanyTruth {
  years: FiscalYearTruth[];
  /** The year starting on `fiscalYearStart` (`YYYY-MM-DD`); throws for an unknown year. */
  year(fiscalYearStart: IsoDate): FiscalYearTruth;
  movements(fiscalYearStart: IsoDate): Map<string, Map<string, Money>>;
}

export interface GeneratedCompany {
  organization: OrganizationInfo;
  /** Oldest first. */
  fiscalYears: LedgerExport[];
  truth: CompanyTruth;
}

// ---------------------------------------------------------------------------------------------
// Dates (UTC epoch days; no time zones involved)

const DAY_MS = 86_400_000;

function epochDay(year: number, month1: number, day: number): number {
  return Date.UTC(year, month1 - 1, day) / DAY_MS;
}

interface YearCalendar {
  index: number;
  row: FiscalYearRow;
  start: number;
  dayCount: number;
  iso: IsoDate[];
  /** Fiscal month 0–11 of each day. */
  fiscalMonth: Uint8Array;
  calMonth: Uint8Array;
  calYear: Uint16Array;
  dayOfMonth: Uint8Array;
  lastOfMonth: Uint8Array;
  weekend: Uint8Array;
  /** 'YYYY-MM' per fiscal month. */
  monthKeys: string[];
  /** Cumulative activity weight per day, normalised to end at 1. */
  pace: Float64Array;
}

const SEASON = [0.85, 0.95, 1.05, 1, 1.05, 1, 0.6, 0.95, 1.1, 1.1, 1.15, 1];

function buildCalendar(index: number, startYear: number, startMonth: number, isClosed: boolean): YearCalendar {
  const start = epochDay(startYear, startMonth, 1);
  const end = epochDay(startYear + 1, startMonth, 1) - 1;
  const dayCount = end - start + 1;
  const iso: IsoDate[] = new Array(dayCount);
  const fiscalMonth = new Uint8Array(dayCount);
  const calMonth = new Uint8Array(dayCount);
  const calYear = new Uint16Array(dayCount);
  const dayOfMonth = new Uint8Array(dayCount);
  const lastOfMonth = new Uint8Array(dayCount);
  const weekend = new Uint8Array(dayCount);
  const pace = new Float64Array(dayCount);
  const monthKeys: string[] = [];
  let total = 0;
  for (let d = 0; d < dayCount; d++) {
    const date = new Date((start + d) * DAY_MS);
    iso[d] = date.toISOString().slice(0, 10);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    calYear[d] = y;
    calMonth[d] = m;
    dayOfMonth[d] = date.getUTCDate();
    fiscalMonth[d] = (y - startYear) * 12 + m - startMonth;
    if (date.getUTCDate() === 1) monthKeys.push(iso[d]!.slice(0, 7));
    const wd = date.getUTCDay();
    weekend[d] = wd === 0 || wd === 6 ? 1 : 0;
    total += SEASON[m - 1]! * (weekend[d] ? 0.15 : 1);
    pace[d] = total;
  }
  for (let d = 0; d < dayCount; d++) {
    pace[d]! /= total;
    lastOfMonth[d] = d === dayCount - 1 || dayOfMonth[d + 1] === 1 ? 1 : 0;
  }
  pace[dayCount - 1] = 1;
  const startIso = iso[0]!;
  const endIso = iso[dayCount - 1]!;
  const label = startIso.slice(0, 4) === endIso.slice(0, 4) ? startIso.slice(0, 4) : `${startIso.slice(0, 4)}/${endIso.slice(0, 4)}`;
  return {
    index,
    row: { start_date: startIso, end_date: endIso, label, is_closed: isClosed },
    start,
    dayCount,
    iso,
    fiscalMonth,
    calMonth,
    calYear,
    dayOfMonth,
    lastOfMonth,
    weekend,
    monthKeys,
    pace,
  };
}

// ---------------------------------------------------------------------------------------------
// Company setup: everything that does not change from year to year

interface Party {
  id: string;
  name: string;
  foreign: boolean;
  /** Payment terms in days. */
  terms: number;
  /** Supplier kind (index into profile.supplierKinds), -1 for customers. */
  kind: number;
}

interface Plan {
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

class Setup {
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
function payrollLiabilities(pr: Setup['payroll']): number {
  const liabilities = new Set([pr.withholding, ...pr.contributions.map((c) => c.liability)]);
  if (pr.employeePension) liabilities.add(pr.employeePension.liability);
  return liabilities.size;
}

const SALE_SHARE = 0.5;
const PURCHASE_SHARE = 0.36;

function cumulative(weights: number[]): number[] {
  let s = 0;
  return weights.map((w) => (s += w));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** VAT on a net amount in minor units, rounded half away from zero. */
function vatOf(net: number, basisPoints: number): number {
  const x = net * basisPoints;
  return x >= 0 ? Math.floor((x + 5000) / 10000) : -Math.floor((-x + 5000) / 10000);
}

function convert(foreignMinor: number, rate4: number): number {
  const x = foreignMinor * rate4;
  return x >= 0 ? Math.floor((x + 5000) / 10000) : -Math.floor((-x + 5000) / 10000);
}

// ---------------------------------------------------------------------------------------------
// State carried across a year boundary

interface OpenItem {
  /** Index into customers or suppliers. */
  party: number;
  /** Ledger amount of the receivable (positive) or payable (negative) line. */
  amount: number;
  /** Foreign-currency amount, or NaN for base currency. */
  currencyAmount: number;
  /** Base amount the bank moves on payment (differs from `amount` for foreign items). */
  settled: number;
  due: number;
  invoice: number;
}

interface CarryState {
  balances: Float64Array;
  receivables: OpenItem[];
  payables: OpenItem[];
  vatDue: { due: number; amount: number; term: string }[];
  assets: { remaining: number; monthly: number }[];
  invoiceNo: number;
  supplierInvoiceNo: number;
}

function cloneCarry(c: CarryState): CarryState {
  return {
    balances: c.balances.slice(),
    receivables: c.receivables.slice(),
    payables: c.payables.slice(),
    vatDue: c.vatDue.map((v) => ({ ...v })),
    assets: c.assets.map((a) => ({ ...a })),
    invoiceNo: c.invoiceNo,
    supplierInvoiceNo: c.supplierInvoiceNo,
  };
}

// ---------------------------------------------------------------------------------------------
// Voucher buffer and sinks

const MAX_LINES = 64;
const PARTY_NONE = 0;
const PARTY_CUSTOMER = 1;
const PARTY_SUPPLIER = 2;

class LineBuffer {
  n = 0;
  readonly acc = new Int32Array(MAX_LINES);
  readonly amt = new Float64Array(MAX_LINES);
  readonly vat = new Int16Array(MAX_LINES);
  readonly partyKind = new Uint8Array(MAX_LINES);
  readonly party = new Int32Array(MAX_LINES);
  readonly dim = new Int32Array(MAX_LINES);
  readonly cur = new Float64Array(MAX_LINES);

  add(acc: number, amt: number, vat = -1, dim = -1, partyKind = PARTY_NONE, party = -1, cur = NaN): void {
    const i = this.n++;
    this.acc[i] = acc;
    this.amt[i] = amt;
    this.vat[i] = vat;
    this.dim[i] = dim;
    this.partyKind[i] = partyKind;
    this.party[i] = party;
    this.cur[i] = cur;
  }
}

const enum Desc {
  Sale,
  CustomerPayment,
  Purchase,
  SupplierPayment,
  Card,
  Payroll,
  PayrollTax,
  Pension,
  HolidayPay,
  Depreciation,
  BankFee,
  Loan,
  InterestIncome,
  VatTransfer,
  VatPayment,
  AssetPurchase,
  YearEnd,
}

interface VoucherHeader {
  journal: number;
  number: number;
  day: number;
  postingDay: number;
  desc: Desc;
  /** Invoice number, month, or term, depending on `desc`. */
  arg: number;
  party: number;
}

interface Sink {
  voucher(h: VoucherHeader, b: LineBuffer): void;
}

/** Aggregates lines per account and fiscal month: the truth pass. */
class TruthSink implements Sink {
  readonly movement: Float64Array;
  vouchers = 0;
  lines = 0;
  debit = 0;
  credit = 0;

  constructor(
    private readonly nAcc: number,
    private readonly cal: YearCalendar,
  ) {
    this.movement = new Float64Array(nAcc * 12);
  }

  voucher(h: VoucherHeader, b: LineBuffer): void {
    const m = this.cal.fiscalMonth[h.day]!;
    this.vouchers++;
    this.lines += b.n;
    for (let i = 0; i < b.n; i++) {
      const a = b.amt[i]!;
      this.movement[b.acc[i]! * 12 + m]! += a;
      if (a >= 0) this.debit += a;
      else this.credit -= a;
    }
  }
}

const NO_DIMENSIONS: LineDimension[] = Object.freeze([]) as unknown as LineDimension[];

/** Turns the buffer into `Voucher` objects: the streamed ledger. */
class VoucherSink implements Sink {
  readonly out: Voucher[] = [];

  constructor(
    private readonly s: Setup,
    private readonly cal: YearCalendar,
  ) {}

  voucher(h: VoucherHeader, b: LineBuffer): void {
    const s = this.s;
    const p = s.profile;
    const lines: LedgerLine[] = new Array(b.n);
    for (let i = 0; i < b.n; i++) {
      const pk = b.partyKind[i]!;
      const cur = b.cur[i]!;
      const vat = b.vat[i]!;
      const dim = b.dim[i]!;
      lines[i] = {
        account_id: s.accountIds[b.acc[i]!]!,
        amount: BigInt(b.amt[i]!),
        currency: cur === cur ? p.foreign.currency : null,
        currency_amount: cur === cur ? BigInt(cur) : null,
        vat_code: vat >= 0 ? s.taxCodes[vat]! : null,
        description: null,
        party_type: pk === PARTY_CUSTOMER ? 'customer' : pk === PARTY_SUPPLIER ? 'supplier' : null,
        party_id: pk === PARTY_CUSTOMER ? s.customers[b.party[i]!]!.id : pk === PARTY_SUPPLIER ? s.suppliers[b.party[i]!]!.id : null,
        dimensions: dim >= 0 ? s.dims[dim]! : NO_DIMENSIONS,
        extra: null,
      };
    }
    this.out.push({
      journal_id: s.journalIds[h.journal]!,
      voucher_number: String(h.number),
      voucher_date: this.cal.iso[h.day]!,
      posting_date: this.cal.iso[h.postingDay]!,
      description: this.describe(h),
      source_modified_at: null,
      extra: null,
      lines,
    });
  }

  private describe(h: VoucherHeader): string {
    const t = this.s.profile.text;
    switch (h.desc) {
      case Desc.Sale:
        return `${t.sale} ${h.arg} ${this.s.customers[h.party]!.name}`;
      case Desc.CustomerPayment:
        return `${t.customerPayment} ${h.arg} ${this.s.customers[h.party]!.name}`;
      case Desc.Purchase:
        return `${t.purchase} ${h.arg} ${this.s.suppliers[h.party]!.name}`;
      case Desc.SupplierPayment:
        return `${t.supplierPayment} ${h.arg} ${this.s.suppliers[h.party]!.name}`;
      case Desc.Card:
        return `${t.card} ${this.s.profile.accounts[h.arg]!.name.toLowerCase()}`;
      case Desc.Payroll:
        return `${t.payroll} ${t.months[h.arg - 1]} ${this.cal.calYear[h.day]}`;
      case Desc.PayrollTax:
        return t.payrollTax;
      case Desc.Pension:
        return t.pension;
      case Desc.HolidayPay:
        return t.holidayPay;
      case Desc.Depreciation:
        return `${t.depreciation} ${t.months[h.arg - 1]}`;
      case Desc.BankFee:
        return t.bankFee;
      case Desc.Loan:
        return t.loan;
      case Desc.InterestIncome:
        return t.interestIncome;
      case Desc.VatTransfer:
        return `${t.vatTransfer} ${termLabel(h.arg)}`;
      case Desc.VatPayment:
        return `${t.vatPayment} ${termLabel(h.arg)}`;
      case Desc.AssetPurchase:
        return t.assetPurchase;
      case Desc.YearEnd:
        return t.yearEnd;
    }
  }
}

/** VAT terms are encoded as year * 100 + last calendar month. */
function termLabel(term: number): string {
  return `${Math.floor(term / 100)}-${String(term % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// One fiscal year of simulation

const enum Fixed {
  PayrollTax,
  Pension,
  HolidayPay,
  AssetPurchase,
  Payroll,
  BankFee,
  Depreciation,
  Loan,
  InterestIncome,
  VatTransfer,
  YearEnd,
}

interface FixedEvent {
  day: number;
  kind: Fixed;
  /** Runs before the day's invoices (payments of taxes) rather than after. */
  early: boolean;
}

class YearRun {
  private readonly rng: Random;
  private readonly buf = new LineBuffer();
  private readonly header: VoucherHeader = { journal: 0, number: 0, day: 0, postingDay: 0, desc: Desc.Sale, arg: 0, party: -1 };
  private readonly numbers: Int32Array;
  private readonly bal: Float64Array;
  private readonly receivableBuckets: (OpenItem[] | undefined)[];
  private readonly payableBuckets: (OpenItem[] | undefined)[];
  private readonly carryReceivables: OpenItem[] = [];
  private readonly carryPayables: OpenItem[] = [];
  private readonly events: FixedEvent[] = [];
  private nextEvent = 0;
  private readonly growth: number;
  private readonly end: number;
  /** Lines of fixed vouchers emitted so far (incl. VAT payments committed for this year). */
  private fixedDone = 0;
  /** Lines of payments of invoices from earlier years that fall in this year. */
  private carryInLines = 0;
  /** Lines of this year's invoices and card purchases, plus their in-year payments. */
  private ownCommitted = 0;
  private bankTransactionsThisMonth = 0;
  private result = 0;

  constructor(
    private readonly s: Setup,
    private readonly cal: YearCalendar,
    private readonly state: CarryState,
    private readonly sink: Sink,
    seed: number,
  ) {
    this.rng = new Random(deriveSeed(seed, tag('year'), cal.index));
    this.numbers = new Int32Array(s.journalIds.length);
    this.bal = state.balances;
    this.growth = s.plan.growth[cal.index]!;
    this.end = cal.start + cal.dayCount - 1;
    this.receivableBuckets = new Array(cal.dayCount);
    this.payableBuckets = new Array(cal.dayCount);
    for (const item of state.receivables) this.schedule(item, this.receivableBuckets, this.carryReceivables, true);
    for (const item of state.payables) this.schedule(item, this.payableBuckets, this.carryPayables, true);
    for (const v of state.vatDue) if (v.due <= this.end) this.fixedDone += 2;
    this.buildSchedule();
  }

  /** Files an open item under its due day, or carries it to the next year. */
  private schedule(item: OpenItem, buckets: (OpenItem[] | undefined)[], carry: OpenItem[], fromEarlierYear: boolean): void {
    const d = Math.max(0, item.due - this.cal.start);
    if (item.due > this.end) {
      carry.push(item);
      return;
    }
    (buckets[d] ??= []).push(item);
    const lines = item.settled === item.amount ? 2 : 3;
    if (fromEarlierYear) this.carryInLines += lines;
    else this.ownCommitted += lines;
  }

  private buildSchedule(): void {
    const { cal, s } = this;
    const p = s.profile;
    const ev = (day: number, kind: Fixed, early = false) => this.events.push({ day, kind, early });
    for (let d = 0; d < cal.dayCount; d++) {
      const m = cal.calMonth[d]!;
      const dom = cal.dayOfMonth[d]!;
      if (dom === p.payroll.taxPayDay && (m - 1) % p.payroll.taxTermMonths === 0) ev(d, Fixed.PayrollTax, true);
      if (p.payroll.pensionPayDay !== null && dom === p.payroll.pensionPayDay) ev(d, Fixed.Pension, true);
      if (s.payroll.holiday && m === s.payroll.holiday.payMonth && dom === 20) ev(d, Fixed.HolidayPay, true);
      if (cal.fiscalMonth[d] === 3 && dom === 15) ev(d, Fixed.AssetPurchase);
      if (dom === 25) {
        // Payroll is paid on the 25th, or the last weekday before it.
        let t = d;
        while (t > 0 && cal.weekend[t]) t--;
        ev(t, Fixed.Payroll);
      }
      if (cal.lastOfMonth[d]) {
        ev(d, Fixed.BankFee);
        ev(d, Fixed.Depreciation);
        if (cal.fiscalMonth[d]! % 3 === 2) {
          ev(d, Fixed.Loan);
          ev(d, Fixed.InterestIncome);
        }
        if (m % p.vatTerm.months === 0) ev(d, Fixed.VatTransfer);
      }
    }
    ev(cal.dayCount - 1, Fixed.YearEnd);
    // Stable: same day keeps insertion order, early events first.
    this.events.sort((a, b) => a.day - b.day || Number(b.early) - Number(a.early));
  }

  /** Lines the remaining fixed vouchers will probably take (exact for the last day's). */
  private fixedFuture(): number {
    const s = this.s;
    let total = 0;
    for (let i = this.nextEvent; i < this.events.length; i++) {
      const e = this.events[i]!;
      switch (e.kind) {
        case Fixed.PayrollTax:
          total += s.payroll.taxLiabilities.length + 1;
          break;
        case Fixed.Pension:
        case Fixed.HolidayPay:
        case Fixed.BankFee:
        case Fixed.InterestIncome:
        case Fixed.YearEnd:
          total += 2;
          break;
        case Fixed.AssetPurchase:
          total += 3;
          break;
        case Fixed.Payroll:
          total += this.payrollLines();
          break;
        case Fixed.Depreciation:
          for (const a of this.state.assets) if (a.remaining > 0) total += 2;
          break;
        case Fixed.Loan:
          total += this.bal[s.r.loan] !== 0 ? 3 : 2;
          break;
        case Fixed.VatTransfer: {
          let used = 0;
          for (const a of s.vatAccounts) if (this.bal[a] !== 0) used++;
          total += Math.max(used, 2) + 1;
          if (this.vatDueDay(e.day) <= this.end) total += 2;
          break;
        }
      }
    }
    return total;
  }

  private payrollLines(): number {
    const pr = this.s.payroll;
    return this.s.nDept + payrollLiabilities(pr) + pr.contributions.length + 1 + (pr.holiday ? 2 : 0);
  }

  private vatDueDay(day: number): number {
    const { cal } = this;
    const t = this.s.profile.vatTerm;
    const m0 = cal.calMonth[day]! - 1 + t.dueMonthsAfter;
    return epochDay(cal.calYear[day]! + Math.floor(m0 / 12), (m0 % 12) + 1, t.dueDay);
  }

  run(): void {
    for (let d = 0; d < this.cal.dayCount; d++) this.day(d);
  }

  day(d: number): void {
    const L = this.s.linesPerYear;
    const receivables = this.receivableBuckets[d];
    if (receivables) for (const item of receivables) this.customerPayment(d, item);
    const payables = this.payableBuckets[d];
    if (payables) for (const item of payables) this.supplierPayment(d, item);
    this.receivableBuckets[d] = undefined;
    this.payableBuckets[d] = undefined;
    const abs = this.cal.start + d;
    while (this.state.vatDue.length > 0 && this.state.vatDue[0]!.due <= abs) this.vatPayment(d, this.state.vatDue.shift()!);

    while (this.nextEvent < this.events.length && this.events[this.nextEvent]!.day === d && this.events[this.nextEvent]!.early) {
      this.fixed(d, this.events[this.nextEvent++]!.kind);
    }

    // Invoices: keep own activity on the seasonal pace towards the year's line target.
    const last = d === this.cal.dayCount - 1;
    const budget = L - this.fixedDone - this.fixedFuture() - this.carryInLines;
    const target = Math.round(budget * this.cal.pace[d]!);
    while (this.ownCommitted < target) {
      const remaining = target - this.ownCommitted;
      if (last && remaining < 10) {
        if (remaining < 2) break;
        this.card(d, remaining >= 4 ? 4 : remaining);
        continue;
      }
      const u = this.rng.next();
      if (u < SALE_SHARE) this.sale(d);
      else if (u < SALE_SHARE + PURCHASE_SHARE) this.purchase(d);
      else this.card(d, 0);
    }

    while (this.nextEvent < this.events.length && this.events[this.nextEvent]!.day === d) {
      this.fixed(d, this.events[this.nextEvent++]!.kind);
    }
    if (this.cal.lastOfMonth[d]) this.bankTransactionsThisMonth = 0;
  }

  /** Carry-out state for the next year, with P&L closed and the result moved into equity. */
  carryOut(): CarryState {
    const s = this.s;
    const balances = this.bal.slice();
    for (let i = 0; i < balances.length; i++) if (s.isPnl[i]) balances[i] = 0;
    if (s.r.yearResultEquity !== s.r.retainedEarnings) {
      balances[s.r.retainedEarnings]! += balances[s.r.yearResultEquity]!;
      balances[s.r.yearResultEquity] = 0;
    }
    return {
      balances,
      receivables: this.carryReceivables,
      payables: this.carryPayables,
      vatDue: this.state.vatDue.slice(),
      assets: this.state.assets.map((a) => ({ ...a })),
      invoiceNo: this.state.invoiceNo,
      supplierInvoiceNo: this.state.supplierInvoiceNo,
    };
  }

  get yearResult(): number {
    return this.result;
  }

  // -- emission -------------------------------------------------------------------------------

  private begin(): LineBuffer {
    this.buf.n = 0;
    return this.buf;
  }

  private emit(journal: number, day: number, desc: Desc, arg = 0, party = -1, postingDay = day, fixed = false): void {
    const b = this.buf;
    let sum = 0;
    for (let i = 0; i < b.n; i++) sum += b.amt[i]!;
    if (sum !== 0 || b.n < 2) throw new Error(`generator bug: voucher kind ${desc} on ${this.cal.iso[day]} is unbalanced by ${sum} (${b.n} lines)`);
    for (let i = 0; i < b.n; i++) this.bal[b.acc[i]!]! += b.amt[i]!;
    const h = this.header;
    h.journal = journal;
    h.number = ++this.numbers[journal]!;
    h.day = day;
    h.postingDay = postingDay;
    h.desc = desc;
    h.arg = arg;
    h.party = party;
    if (fixed) this.fixedDone += b.n;
    this.sink.voucher(h, b);
  }

  private pickDept(): number {
    return this.rng.weighted(this.s.deptCum);
  }

  private pickDims(): number {
    const dept = this.pickDept();
    const project = this.rng.chance(0.25) ? this.rng.int(0, this.s.nProj - 1) : -1;
    return this.s.dim(dept, project);
  }

  private adminDim(): number {
    return this.s.dim(this.s.nDept - 1, -1);
  }

  // -- activity -------------------------------------------------------------------------------

  private sale(d: number): void {
    const { s, rng } = this;
    const u = rng.next();
    const ci = Math.floor(s.customers.length * u * u);
    const customer = s.customers[ci]!;
    const u2 = rng.next();
    const k = u2 < 0.55 ? 1 : u2 < 0.85 ? 2 : 3;
    const dims = this.pickDims();
    const b = this.begin();
    b.add(s.r.receivable, 0, -1, -1, PARTY_CUSTOMER, ci);
    let gross = 0;
    let currency = NaN;
    const rate4 = s.profile.foreign.rate4;
    if (customer.foreign) {
      currency = 0;
      for (let i = 0; i < k; i++) {
        const cur = Math.round(rng.amount((s.plan.saleMedian * this.growth * 10_000) / rate4, 0.6));
        const base = convert(cur, rate4);
        b.add(s.exportRevenue, -base, s.accVatCode[s.exportRevenue]!, dims, PARTY_NONE, -1, -cur);
        gross += base;
        currency += cur;
      }
    } else {
      // Up to three distinct VAT accounts; one VAT line per account, as invoicing systems do.
      let vatAcc0 = -1, vatAcc1 = -1, vatAcc2 = -1;
      let vat0 = 0, vat1 = 0, vat2 = 0;
      let bp0 = 0, bp1 = 0, bp2 = 0;
      let net0 = 0, net1 = 0, net2 = 0;
      for (let i = 0; i < k; i++) {
        const acc = s.revenueAcc[rng.weighted(s.revenueCum)]!;
        const net = rng.amount(s.plan.saleMedian * this.growth, 0.7);
        b.add(acc, -net, s.accVatCode[acc]!, dims);
        gross += net;
        const va = s.accVatAcc[acc]!;
        const bp = s.accVatBp[acc]!;
        if (va < 0) continue;
        if (vatAcc0 === va && bp0 === bp) net0 += net;
        else if (vatAcc1 === va && bp1 === bp) net1 += net;
        else if (vatAcc0 < 0) (vatAcc0 = va), (bp0 = bp), (net0 = net);
        else if (vatAcc1 < 0) (vatAcc1 = va), (bp1 = bp), (net1 = net);
        else if (vatAcc2 === va && bp2 === bp) net2 += net;
        else (vatAcc2 = va), (bp2 = bp), (net2 = net);
      }
      if (vatAcc0 >= 0) (vat0 = vatOf(net0, bp0)), b.add(vatAcc0, -vat0);
      if (vatAcc1 >= 0) (vat1 = vatOf(net1, bp1)), b.add(vatAcc1, -vat1);
      if (vatAcc2 >= 0) (vat2 = vatOf(net2, bp2)), b.add(vatAcc2, -vat2);
      gross += vat0 + vat1 + vat2;
    }
    b.amt[0] = gross;
    if (currency === currency) b.cur[0] = currency;
    const invoice = ++this.state.invoiceNo;
    const lag = Math.max(1, customer.terms + Math.round(rng.normal() * 4) + (rng.chance(0.1) ? rng.int(5, 30) : 0));
    const settled = currency === currency ? convert(currency, Math.round(rate4 * (1 + 0.03 * rng.normal()))) : gross;
    this.ownCommitted += b.n;
    this.emit(s.j.sales, d, Desc.Sale, invoice, ci);
    const item: OpenItem = { party: ci, amount: gross, currencyAmount: currency, settled, due: this.cal.start + d + lag, invoice };
    this.schedule(item, this.receivableBuckets, this.carryReceivables, false);
  }

  private purchase(d: number): void {
    const { s, rng } = this;
    const kind = rng.weighted(s.supplierKindCum);
    const candidates = s.supplierByKind[kind]!;
    let si = candidates[Math.floor(rng.next() * candidates.length)]!;
    // Foreign bills stay occasional; candidates[0] is always a domestic supplier.
    if (s.suppliers[si]!.foreign && rng.chance(0.8)) si = candidates[0]!;
    const supplier = s.suppliers[si]!;
    const lines = s.supplierLines[kind]!;
    const k = rng.chance(0.25) ? 2 : 1;
    const median = lines.median * s.plan.purchaseScale * this.growth;
    const b = this.begin();
    b.add(s.r.payable, 0, -1, -1, PARTY_SUPPLIER, si);
    let gross = 0;
    let currency = NaN;
    const rate4 = s.profile.foreign.rate4;
    let vatAcc = -1, vatAccB = -1;
    let net0 = 0, net1 = 0, bp0 = 0, bp1 = 0;
    const dims = this.pickDims();
    if (supplier.foreign) currency = 0;
    for (let i = 0; i < k; i++) {
      const acc = lines.acc[rng.weighted(lines.cum)]!;
      if (supplier.foreign) {
        // Imported goods are invoiced without VAT; the bill is in foreign currency.
        const cur = Math.round(rng.amount((median * 10_000) / rate4, 0.6));
        const base = convert(cur, rate4);
        b.add(acc, base, -1, dims, PARTY_NONE, -1, cur);
        gross += base;
        currency += cur;
        continue;
      }
      const net = rng.amount(median, 0.6);
      b.add(acc, net, s.accVatCode[acc]!, dims);
      gross += net;
      const va = s.accVatAcc[acc]!;
      const bp = s.accVatBp[acc]!;
      if (va < 0) continue;
      if (vatAcc === va && bp0 === bp) net0 += net;
      else if (vatAcc < 0) (vatAcc = va), (bp0 = bp), (net0 = net);
      else if (vatAccB === va && bp1 === bp) net1 += net;
      else (vatAccB = va), (bp1 = bp), (net1 = net);
    }
    if (vatAcc >= 0) {
      const v = vatOf(net0, bp0);
      b.add(vatAcc, v);
      gross += v;
    }
    if (vatAccB >= 0) {
      const v = vatOf(net1, bp1);
      b.add(vatAccB, v);
      gross += v;
    }
    b.amt[0] = -gross;
    if (currency === currency) b.cur[0] = -currency;
    const invoice = ++this.state.supplierInvoiceNo;
    // Supplier invoices are registered a few days after their date, within the year.
    const postingDay = Math.min(this.cal.dayCount - 1, d + rng.int(0, 6));
    const lag = Math.max(1, supplier.terms + rng.int(-2, 1));
    const settled = currency === currency ? -convert(currency, Math.round(rate4 * (1 + 0.03 * rng.normal()))) : -gross;
    this.ownCommitted += b.n;
    this.emit(s.j.purchases, d, Desc.Purchase, invoice, si, postingDay);
    const item: OpenItem = { party: si, amount: -gross, currencyAmount: currency === currency ? -currency : NaN, settled, due: this.cal.start + d + lag, invoice };
    this.schedule(item, this.payableBuckets, this.carryPayables, false);
  }

  /** A card purchase paid straight from the bank; `size` 2–4 forces that many lines. */
  private card(d: number, size: number): void {
    const { s, rng } = this;
    const b = this.begin();
    const exempt = size === 2 || (size === 0 && rng.chance(0.1));
    const acc = exempt ? s.exemptCard : size > 0 ? rng.pick(s.cardVatAcc) : s.cardAcc[rng.weighted(s.cardCum)]!;
    const twoLines = size === 4 || (size === 0 && !exempt && rng.chance(0.15));
    const dims = this.s.dim(this.pickDept(), -1);
    let net = rng.amount(s.plan.cardMedian * this.growth, 0.8);
    b.add(acc, net, s.accVatCode[acc]!, dims);
    if (twoLines) {
      const more = rng.amount(s.plan.cardMedian * this.growth * 0.5, 0.8);
      b.add(acc, more, s.accVatCode[acc]!, this.s.dim(this.pickDept(), -1));
      net += more;
    }
    let gross = net;
    if (!exempt && s.accVatAcc[acc]! >= 0) {
      const v = vatOf(net, s.accVatBp[acc]!);
      b.add(s.accVatAcc[acc]!, v);
      gross += v;
    }
    b.add(s.r.bank, -gross);
    this.ownCommitted += b.n;
    this.bankTransactionsThisMonth++;
    this.emit(s.j.bank, d, Desc.Card, acc);
  }

  private customerPayment(d: number, item: OpenItem): void {
    const s = this.s;
    const b = this.begin();
    b.add(s.r.bank, item.settled);
    b.add(s.r.receivable, -item.amount, -1, -1, PARTY_CUSTOMER, item.party, item.currencyAmount === item.currencyAmount ? -item.currencyAmount : NaN);
    const diff = item.amount - item.settled;
    if (diff !== 0) b.add(diff < 0 ? s.r.fxGain : s.r.fxLoss, diff);
    this.bankTransactionsThisMonth++;
    this.emit(s.j.customerPayments, d, Desc.CustomerPayment, item.invoice, item.party);
  }

  private supplierPayment(d: number, item: OpenItem): void {
    const s = this.s;
    const b = this.begin();
    b.add(s.r.payable, -item.amount, -1, -1, PARTY_SUPPLIER, item.party, item.currencyAmount === item.currencyAmount ? -item.currencyAmount : NaN);
    b.add(s.r.bank, item.settled);
    const diff = item.amount - item.settled;
    if (diff !== 0) b.add(diff < 0 ? s.r.fxGain : s.r.fxLoss, diff);
    this.bankTransactionsThisMonth++;
    this.emit(s.j.supplierPayments, d, Desc.SupplierPayment, item.invoice, item.party);
  }

  private vatPayment(d: number, v: { amount: number; term: string }): void {
    const s = this.s;
    const b = this.begin();
    b.add(s.r.vatSettlement, -v.amount);
    b.add(s.r.bank, v.amount);
    // Counted in fixedDone when the transfer was posted (or at year start for carried terms).
    this.emit(s.j.bank, d, Desc.VatPayment, Number(v.term));
  }

  // -- fixed vouchers ---------------------------------------------------------------------------

  private fixed(d: number, kind: Fixed): void {
    const { s, rng, bal, cal } = this;
    const pr = s.payroll;
    switch (kind) {
      case Fixed.PayrollTax: {
        const b = this.begin();
        let total = 0;
        for (const l of pr.taxLiabilities) {
          if (bal[l] === 0) continue;
          b.add(l, -bal[l]!);
          total += bal[l]!;
        }
        if (b.n === 0) return;
        b.add(s.r.bank, total);
        this.emit(s.j.bank, d, Desc.PayrollTax, 0, -1, d, true);
        return;
      }
      case Fixed.Pension: {
        const amount = bal[pr.pensionLiability]!;
        if (amount === 0) return;
        const b = this.begin();
        b.add(pr.pensionLiability, -amount);
        b.add(s.r.bank, amount);
        this.emit(s.j.bank, d, Desc.Pension, 0, -1, d, true);
        return;
      }
      case Fixed.HolidayPay: {
        const h = pr.holiday!;
        const amount = bal[h.liability]!;
        if (amount === 0) return;
        const b = this.begin();
        b.add(h.liability, -amount);
        b.add(s.r.bank, amount);
        this.emit(s.j.payroll, d, Desc.HolidayPay, 0, -1, d, true);
        return;
      }
      case Fixed.AssetPurchase: {
        const g = rng.int(0, s.assets.length - 1);
        const a = s.assets[g]!;
        const cost = Math.round((s.plan.assetPurchase * this.growth) / 100) * 100;
        const v = vatOf(cost, s.assetVatBp);
        const b = this.begin();
        b.add(a.asset, cost, s.assetVatCode);
        b.add(s.assetVatAcc, v);
        b.add(s.r.bank, -(cost + v));
        const reg = this.state.assets[g]!;
        reg.remaining += cost;
        reg.monthly += Math.round(cost / a.lifeMonths);
        this.emit(s.j.general, d, Desc.AssetPurchase, 0, -1, d, true);
        return;
      }
      case Fixed.Payroll: {
        const b = this.begin();
        const gross = s.plan.payrollMonthly * this.growth * (cal.calMonth[d] === 6 ? 0.9 : 1);
        let g = 0;
        for (let dept = 0; dept < s.nDept; dept++) {
          const x = Math.round(gross * s.payrollShare[dept]! * (1 + 0.02 * rng.normal()));
          b.add(pr.salary, x, -1, s.dim(dept, -1));
          g += x;
        }
        const tax = Math.round(g * s.profile.payroll.withholdingRate);
        b.add(pr.withholding, -tax);
        let net = g - tax;
        if (pr.employeePension) {
          const e = Math.round(g * pr.employeePension.rate);
          b.add(pr.employeePension.liability, -e);
          net -= e;
        }
        b.add(s.r.bank, -net);
        const admin = this.adminDim();
        for (const c of pr.contributions) {
          const x = Math.round(g * c.rate);
          b.add(c.expense, x, -1, admin);
          b.add(c.liability, -x);
        }
        if (pr.holiday) {
          const x = Math.round(g * pr.holiday.rate);
          b.add(pr.holiday.expense, x, -1, admin);
          b.add(pr.holiday.liability, -x);
        }
        mergeSameAccountLines(b);
        this.emit(s.j.payroll, d, Desc.Payroll, cal.calMonth[d]!, -1, d, true);
        return;
      }
      case Fixed.BankFee: {
        const b = this.begin();
        const fee = rng.amount(150_00 * s.profile.amountScale, 0.2) + this.bankTransactionsThisMonth * Math.round(2_50 * s.profile.amountScale);
        b.add(s.r.bankFees, fee, s.accVatCode[s.r.bankFees]!, this.adminDim());
        b.add(s.r.bank, -fee);
        this.emit(s.j.bank, d, Desc.BankFee, 0, -1, d, true);
        return;
      }
      case Fixed.Depreciation: {
        const b = this.begin();
        s.assets.forEach((a, i) => {
          const reg = this.state.assets[i]!;
          const amount = Math.min(reg.monthly, reg.remaining);
          if (amount <= 0) return;
          reg.remaining -= amount;
          b.add(a.expense, amount, -1, this.adminDim());
          b.add(a.accumulated >= 0 ? a.accumulated : a.asset, -amount);
        });
        if (b.n === 0) return;
        this.emit(s.j.general, d, Desc.Depreciation, cal.calMonth[d]!, -1, d, true);
        return;
      }
      case Fixed.Loan: {
        const b = this.begin();
        const outstanding = -bal[s.r.loan]!;
        const interest = Math.max(100, Math.round((outstanding * 0.065) / 4));
        b.add(s.r.interestExpense, interest, -1, this.adminDim());
        const installment = Math.min(outstanding, s.plan.loanInstallment);
        if (installment > 0) b.add(s.r.loan, installment);
        b.add(s.r.bank, -(interest + installment));
        this.emit(s.j.bank, d, Desc.Loan, 0, -1, d, true);
        return;
      }
      case Fixed.InterestIncome: {
        const b = this.begin();
        const interest = Math.max(100, Math.round((Math.max(0, bal[s.r.bank]!) * 0.01) / 4));
        b.add(s.r.bank, interest);
        b.add(s.r.interestIncome, -interest, -1, this.adminDim());
        this.emit(s.j.bank, d, Desc.InterestIncome, 0, -1, d, true);
        return;
      }
      case Fixed.VatTransfer: {
        const b = this.begin();
        let total = 0;
        for (const a of s.vatAccounts) {
          if (bal[a] === 0) continue;
          b.add(a, -bal[a]!);
          total += bal[a]!;
        }
        if (b.n === 0) return;
        b.add(s.r.vatSettlement, total);
        const term = cal.calYear[d]! * 100 + cal.calMonth[d]!;
        this.emit(s.j.general, d, Desc.VatTransfer, term, -1, d, true);
        const due = this.vatDueDay(d);
        this.state.vatDue.push({ due, amount: total, term: String(term) });
        if (due <= this.end) this.fixedDone += 2;
        return;
      }
      case Fixed.YearEnd: {
        let pnl = 0;
        for (let i = 0; i < bal.length; i++) if (s.isPnl[i]) pnl += bal[i]!;
        this.result = -pnl;
        if (pnl === 0) return;
        const b = this.begin();
        b.add(s.r.yearResultPnl, -pnl);
        b.add(s.r.yearResultEquity, pnl);
        this.emit(s.j.general, d, Desc.YearEnd, 0, -1, d, true);
        return;
      }
    }
  }
}

/** FI books both the withheld and the employer pension share on one liability: one line. */
function mergeSameAccountLines(b: LineBuffer): void {
  for (let i = 0; i < b.n; i++) {
    if (b.partyKind[i] !== PARTY_NONE || b.dim[i]! >= 0) continue;
    for (let j = i + 1; j < b.n; j++) {
      if (b.acc[j] !== b.acc[i] || b.dim[j]! >= 0 || b.partyKind[j] !== PARTY_NONE) continue;
      b.amt[i]! += b.amt[j]!;
      for (let k = j; k < b.n - 1; k++) {
        b.acc[k] = b.acc[k + 1]!;
        b.amt[k] = b.amt[k + 1]!;
        b.vat[k] = b.vat[k + 1]!;
        b.dim[k] = b.dim[k + 1]!;
        b.partyKind[k] = b.partyKind[k + 1]!;
        b.party[k] = b.party[k + 1]!;
        b.cur[k] = b.cur[k + 1]!;
      }
      b.n--;
      j--;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Budget: a plan made before the year, from the same expectations the simulation uses

function buildBudget(s: Setup, cal: YearCalendar, seed: number, previous: Float64Array | null): BudgetRow[] {
  const rng = new Random(deriveSeed(seed, tag('budget'), cal.index));
  const rows: BudgetRow[] = [];
  const n = s.accountIds.length;
  // Expected annual amount per P&L account: last year's actuals grown 5 %, or for the first
  // year the plan's revenue estimate spread by the chart's weights.
  const annual = new Float64Array(n);
  if (previous) {
    for (let i = 0; i < n; i++) annual[i] = previous[i]! * 1.05;
  } else {
    const R = s.plan.revenueEstimate;
    const revTotal = s.revenueCum[s.revenueCum.length - 1]!;
    s.revenueAcc.forEach((a, i) => (annual[a]! -= (R * ((s.revenueCum[i]! - (i > 0 ? s.revenueCum[i - 1]! : 0)) / revTotal))));
    const kinds = s.profile.supplierKinds;
    const kindTotal = s.supplierKindCum[s.supplierKindCum.length - 1]!;
    const avgMedian = kinds.reduce((sum, k) => sum + k.median * k.weight, 0) / kindTotal;
    const purchases = R * (PURCHASE_SHARE / SALE_SHARE) * (1.25 * avgMedian * s.plan.purchaseScale) / (1.6 * s.plan.saleMedian);
    kinds.forEach((k, ki) => {
      const lines = s.supplierLines[ki]!;
      const share = (k.weight * k.median) / (avgMedian * kindTotal);
      const lineTotal = lines.cum[lines.cum.length - 1]!;
      lines.acc.forEach((a, i) => (annual[a]! += (purchases * share * (lines.cum[i]! - (i > 0 ? lines.cum[i - 1]! : 0))) / lineTotal));
    });
    const payroll = s.plan.payrollMonthly * 12;
    annual[s.payroll.salary]! += payroll;
    for (const c of s.payroll.contributions) annual[c.expense]! += payroll * c.rate;
    if (s.payroll.holiday) annual[s.payroll.holiday.expense]! += payroll * s.payroll.holiday.rate;
    s.assets.forEach((a) => (annual[a.expense]! += (s.opening[a.asset]! / a.lifeMonths) * 12));
    annual[s.r.bankFees]! += 12 * 200_00 * s.profile.amountScale;
    annual[s.r.interestExpense]! += -s.opening[s.r.loan]! * 0.06;
  }
  const seasonTotal = SEASON.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    if (!s.isPnl[i] || i === s.r.yearResultPnl || annual[i] === 0) continue;
    const seasonal = s.profile.accounts[i]!.type === 'income';
    for (let m = 0; m < 12; m++) {
      const calMonth = Number(cal.monthKeys[m]!.slice(5, 7));
      const weight = seasonal ? SEASON[calMonth - 1]! / seasonTotal : 1 / 12;
      const amount = Math.round((annual[i]! * weight * (1 + 0.03 * rng.normal())) / 100_00) * 100_00;
      if (amount === 0) continue;
      rows.push({ account_id: s.accountIds[i]!, month: `${cal.monthKeys[m]}-01`, dimension_type: null, dimension_id: null, amount: BigInt(amount) });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Entry point

function toMoney(x: number, what: string): Money {
  if (!Number.isSafeInteger(x)) throw new RangeError(`generator: ${what} (${x}) left the exact integer range`);
  return BigInt(x);
}

export function generateCompany(options: GenerateCompanyOptions): GeneratedCompany {
  const { seed, country, linesPerYear } = options;
  const years = options.years ?? 3;
  const startMonth = options.fiscalYearStartMonth ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(country in PROFILES)) throw new RangeError(`country must be NO, SE or FI, got ${String(country)}`);
  if (!Number.isInteger(linesPerYear) || linesPerYear <= 0) throw new RangeError(`linesPerYear must be a positive integer, got ${linesPerYear}`);
  if (!Number.isInteger(years) || years < 1 || years > 50) throw new RangeError(`years must be an integer from 1 to 50, got ${years}`);
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) throw new RangeError(`fiscalYearStartMonth must be 1–12, got ${startMonth}`);
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const firstYear = options.firstFiscalYear ?? currentYear - 2;

  const s = new Setup(seed, country, linesPerYear, years);
  const n = s.accountIds.length;
  let carry: CarryState = {
    balances: s.opening.slice(),
    receivables: [],
    payables: [],
    vatDue: [],
    assets: s.assets.map((a) => ({ remaining: s.opening[a.asset]!, monthly: Math.round(s.opening[a.asset]! / a.lifeMonths) })),
    invoiceNo: 10_000 + Math.floor(new Random(deriveSeed(seed, tag('invoice'))).next() * 80_000),
    supplierInvoiceNo: 0,
  };

  const truths: FiscalYearTruth[] = [];
  const exports: LedgerExport[] = [];
  let previousActuals: Float64Array | null = null;
  for (let y = 0; y < years; y++) {
    const cal = buildCalendar(y, firstYear + y, startMonth, y < years - 1);
    const startState = cloneCarry(carry);
    const sink = new TruthSink(n, cal);
    const run = new YearRun(s, cal, cloneCarry(carry), sink, seed);
    run.run();
    const next = run.carryOut();

    const opening = new Map<string, Money>();
    const closing = new Map<string, Money>();
    const closingNumbers = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let c = startState.balances[i]!;
      for (let m = 0; m < 12; m++) c += sink.movement[i * 12 + m]!;
      closingNumbers[i] = c;
      opening.set(s.accountIds[i]!, toMoney(startState.balances[i]!, 'opening balance'));
      closing.set(s.accountIds[i]!, toMoney(c, 'closing balance'));
    }
    const movements = new Map<string, Map<string, Money>>();
    for (let i = 0; i < n; i++) {
      let perMonth: Map<string, Money> | undefined;
      for (let m = 0; m < 12; m++) {
        const x = sink.movement[i * 12 + m]!;
        if (x === 0) continue;
        (perMonth ??= new Map()).set(cal.monthKeys[m]!, toMoney(x, 'movement'));
      }
      if (perMonth) movements.set(s.accountIds[i]!, perMonth);
    }
    const truth: FiscalYearTruth = {
      fiscal_year: cal.row,
      opening,
      closing,
      movements,
      voucherCount: sink.vouchers,
      lineCount: sink.lines,
      totalDebit: toMoney(sink.debit, 'total debit'),
      totalCredit: toMoney(sink.credit, 'total credit'),
      result: toMoney(run.yearResult, 'result'),
    };
    truths.push(truth);

    // Actual P&L amounts before the year-end transfer feed next year's budget.
    const actuals = new Float64Array(n);
    for (let i = 0; i < n; i++) if (s.isPnl[i] && i !== s.r.yearResultPnl) actuals[i] = closingNumbers[i]!;
    exports.push(makeExport(s, cal, startState, truth, buildBudget(s, cal, seed, previousActuals), seed));
    previousActuals = actuals;
    carry = next;
  }

  const byStart = new Map(truths.map((t) => [t.fiscal_year.start_date, t]));
  const find = (start: IsoDate) => {
    const t = byStart.get(start);
    if (!t) throw new RangeError(`no fiscal year starts on ${start}; years start on ${[...byStart.keys()].join(', ')}`);
    return t;
  };
  return {
    organization: s.organization,
    fiscalYears: exports,
    truth: { years: truths, year: find, movements: (start) => find(start).movements },
  };
}

function makeExport(s: Setup, cal: YearCalendar, startState: CarryState, truth: FiscalYearTruth, budget: BudgetRow[], seed: number): LedgerExport {
  const accounts = s.profile.accounts.map(
    (a): AccountRow & { opening: Money; closing: Money } => ({
      account_id: a.id,
      name: a.name,
      account_type: a.type,
      standard_account_id: a.standardAccountId,
      grouping_category: a.groupingCategory,
      grouping_code: a.groupingCode,
      default_vat_code: a.vatCode,
      is_active: true,
      extra: a.extra,
      opening: truth.opening.get(a.id)!,
      closing: truth.closing.get(a.id)!,
    }),
  );
  return {
    organization: s.organization,
    fiscal_year: cal.row,
    accounts,
    journals: s.profile.journals.rows.map((r) => ({ ...r })),
    dimensions: s.dimensionRows.map((r) => ({ ...r })),
    parties: s.partyRows.map((r) => ({ ...r })),
    tax_codes: s.taxCodeRows.map((r) => ({ ...r })),
    budget,
    totals: { entries: truth.voucherCount, debit: truth.totalDebit, credit: truth.totalCredit },
    vouchers: () => streamYear(s, cal, startState, seed),
  };
}

/** Replays one year from its start snapshot, a day at a time, so memory stays bounded. */
async function* streamYear(s: Setup, cal: YearCalendar, startState: CarryState, seed: number): AsyncGenerator<Voucher> {
  const sink = new VoucherSink(s, cal);
  const run = new YearRun(s, cal, cloneCarry(startState), sink, seed);
  for (let d = 0; d < cal.dayCount; d++) {
    run.day(d);
    for (const v of sink.out) yield v;
    sink.out.length = 0;
  }
}

