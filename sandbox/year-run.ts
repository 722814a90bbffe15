// One fiscal year of simulation, day by day: invoices paced towards the line target, their
// payments, and the fixed vouchers (payroll, taxes, depreciation, loan, VAT, year end). Writes
// each voucher into the line buffer and hands it to a sink; both passes draw the same random
// numbers, so they see the same ledger.
import { PURCHASE_SHARE, SALE_SHARE, payrollLiabilities, type Setup } from './company-setup.ts';
import type { CarryState, OpenItem } from './carry-state.ts';
import { epochDay, type YearCalendar } from './fiscal-calendar.ts';
import { LineBuffer, PARTY_CUSTOMER, PARTY_NONE, PARTY_SUPPLIER, mergeSameAccountLines } from './line-buffer.ts';
import { convert, vatOf } from './minor-units.ts';
import { Random, deriveSeed, tag } from './random.ts';
import type { Sink, VoucherHeader } from './sink.ts';
import { Desc } from './voucher-description.ts';

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

export class YearRun {
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
