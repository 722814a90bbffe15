// Voucher descriptions: an enum plus an argument while simulating, so the truth pass never
// builds strings; text only when the streamed ledger asks for it. The enum and the switch
// that reads it share this file so the transpiler can inline the enum's values.
import type { Setup } from './company-setup.ts';
import type { YearCalendar } from './fiscal-calendar.ts';
import type { VoucherHeader } from './sink.ts';

export const enum Desc {
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

/** The voucher's text in the company's language. */
export function describe(s: Setup, cal: YearCalendar, h: VoucherHeader): string {
  const t = s.profile.text;
  switch (h.desc) {
    case Desc.Sale:
      return `${t.sale} ${h.arg} ${s.customers[h.party]!.name}`;
    case Desc.CustomerPayment:
      return `${t.customerPayment} ${h.arg} ${s.customers[h.party]!.name}`;
    case Desc.Purchase:
      return `${t.purchase} ${h.arg} ${s.suppliers[h.party]!.name}`;
    case Desc.SupplierPayment:
      return `${t.supplierPayment} ${h.arg} ${s.suppliers[h.party]!.name}`;
    case Desc.Card:
      return `${t.card} ${s.profile.accounts[h.arg]!.name.toLowerCase()}`;
    case Desc.Payroll:
      return `${t.payroll} ${t.months[h.arg - 1]} ${cal.calYear[h.day]}`;
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

/** VAT terms are encoded as year * 100 + last calendar month. */
function termLabel(term: number): string {
  return `${Math.floor(term / 100)}-${String(term % 100).padStart(2, '0')}`;
}
