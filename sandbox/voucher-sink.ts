// The streamed ledger: turns the line buffer into `Voucher` objects, resolving indexes into
// ids and the description enum into the country's text.
import type { LedgerLine, LineDimension, Voucher } from '../transform/ledger-model.ts';
import type { Setup } from './company-setup.ts';
import type { YearCalendar } from './fiscal-calendar.ts';
import { PARTY_CUSTOMER, PARTY_SUPPLIER, type LineBuffer } from './line-buffer.ts';
import { Desc, type Sink, type VoucherHeader } from './sink.ts';

const NO_DIMENSIONS: LineDimension[] = Object.freeze([]) as unknown as LineDimension[];

/** Turns the buffer into `Voucher` objects: the streamed ledger. */
export class VoucherSink implements Sink {
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
