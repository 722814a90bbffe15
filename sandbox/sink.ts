// What the simulation hands a sink per voucher: a reused header and the line buffer. The
// description is an enum plus an argument so the truth pass never builds strings.
import type { LineBuffer } from './line-buffer.ts';

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

export interface VoucherHeader {
  journal: number;
  number: number;
  day: number;
  postingDay: number;
  desc: Desc;
  /** Invoice number, month, or term, depending on `desc`. */
  arg: number;
  party: number;
}

export interface Sink {
  voucher(h: VoucherHeader, b: LineBuffer): void;
}
