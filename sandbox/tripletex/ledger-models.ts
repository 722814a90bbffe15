// The ledger DTOs: Posting, Voucher, Account, VatType, VoucherType, Currency, AnnualAccount,
// AccountingPeriod and BalanceSheetAccount, read from the served company.
import { isoOf } from '../../model/index.ts';
import { changes, defineModel } from './define-model.ts';
import { Ref, refOrNull, type Model, type Value } from './fields.ts';
import type { LedgerYear } from './ledger-year.ts';
import { customerModel, departmentModel, projectModel, supplierModel } from './party-models.ts';
import { CURRENCIES, type AccountRec, type AnnualAccountRec, type CurrencyRec, type PeriodRec, type VatTypeRec, type VoucherTypeRec } from './served-company.ts';
import { companyOf, type TxContext } from './tx-context.ts';

export interface PostingRow {
  y: LedgerYear;
  l: number;
}

export interface VoucherRow {
  y: LedgerYear;
  v: number;
}

export interface BalanceRow {
  account: AccountRec;
  balanceIn: bigint;
  balanceChange: bigint;
  balanceOut: bigint;
  startDate: string;
  /** Exclusive, as the request's dateTo. */
  endDate: string;
}

const isoCache = new Map<number, string>();
/** Dates repeat across thousands of postings; format each day once. */
export function dateText(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) isoCache.set(day, (s = isoOf(day)));
  return s;
}

/** VAT on top of a net amount, rounded half away from zero, in exact øre. */
function grossOf(net: bigint, basisPoints: number): bigint {
  if (basisPoints === 0) return net;
  const x = net * BigInt(basisPoints);
  const vat = x >= 0n ? (x + 5000n) / 10000n : -((-x + 5000n) / 10000n);
  return net + vat;
}

const lineVoucher = (p: PostingRow): VoucherRow => ({ y: p.y, v: p.y.lVoucher[p.l]! });

export const postingModel: Model<PostingRow, TxContext> = defineModel<PostingRow>({
  schema: 'Posting',
  path: 'ledger/posting',
  id: (p) => p.y.lId[p.l]!,
  refs: {
    voucher: () => voucherModel,
    account: () => accountModel,
    customer: () => customerModel,
    supplier: () => supplierModel,
    project: () => projectModel,
    department: () => departmentModel,
    vatType: () => vatTypeModel,
    currency: () => currencyModel,
  },
  get: {
    version: (p) => p.y.lVersion[p.l]!,
    changes: (p, ctx) => changes(ctx, companyOf(ctx).createdAt, p.y.vChangedAt[p.y.lVoucher[p.l]!]!, p.y.lVersion[p.l]!),
    voucher: (p) => Ref.to(voucherModel, lineVoucher(p)),
    date: (p) => dateText(p.y.vDay[p.y.lVoucher[p.l]!]!),
    description: (p) => p.y.vDescription[p.y.lVoucher[p.l]!]!,
    account: (p, ctx) => Ref.to(accountModel, companyOf(ctx).accounts[p.y.lAccount[p.l]!]!),
    customer: (p, ctx) => (p.y.lPartyKind[p.l] === 1 ? refOrNull(customerModel, companyOf(ctx).customers[p.y.lParty[p.l]!]) : null),
    supplier: (p, ctx) => (p.y.lPartyKind[p.l] === 2 ? refOrNull(supplierModel, companyOf(ctx).suppliers[p.y.lParty[p.l]!]) : null),
    project: (p, ctx) => refOrNull(projectModel, companyOf(ctx).projects[p.y.lProject[p.l]!]),
    department: (p, ctx) => refOrNull(departmentModel, companyOf(ctx).departments[p.y.lDepartment[p.l]!]),
    vatType: (p, ctx) => refOrNull(vatTypeModel, companyOf(ctx).vatTypes[p.y.lVatType[p.l]!]),
    amount: (p) => p.y.lAmount[p.l]!,
    amountCurrency: (p) => p.y.lCurrencyAmount[p.l]!,
    // Net amount plus the line's VAT: Tripletex's gross. `amount` stays the ledger amount.
    amountGross: (p, ctx) => (p.y.lSystem[p.l] ? p.y.lAmount[p.l]! : grossOf(p.y.lAmount[p.l]!, companyOf(ctx).vatTypes[p.y.lVatType[p.l]!]?.basisPoints ?? 0)),
    amountGrossCurrency: (p, ctx) =>
      p.y.lSystem[p.l] ? p.y.lCurrencyAmount[p.l]! : grossOf(p.y.lCurrencyAmount[p.l]!, companyOf(ctx).vatTypes[p.y.lVatType[p.l]!]?.basisPoints ?? 0),
    currency: (p) => Ref.to(currencyModel, CURRENCIES[p.y.lCurrency[p.l]!]!),
    row: (p) => p.y.lRow[p.l]!,
    systemGenerated: (p) => p.y.lSystem[p.l] === 1,
    matched: () => false,
    isVatReadonly: (p) => p.y.lSystem[p.l] === 1,
    isAmountVatClosed: () => false,
  },
});

export const voucherModel: Model<VoucherRow, TxContext> = defineModel<VoucherRow>({
  schema: 'Voucher',
  path: 'ledger/voucher',
  id: (r) => r.y.vId[r.v]!,
  refs: { voucherType: () => voucherTypeModel, postings: () => postingModel },
  get: {
    version: (r) => r.y.vVersion[r.v]!,
    changes: (r, ctx) => changes(ctx, companyOf(ctx).createdAt, r.y.vChangedAt[r.v]!, r.y.vVersion[r.v]!),
    date: (r) => dateText(r.y.vDay[r.v]!),
    number: (r) => r.y.vNumber[r.v]!,
    tempNumber: () => 0,
    year: (r) => r.y.meta.year,
    description: (r) => r.y.vDescription[r.v]!,
    voucherType: (r, ctx) => refOrNull(voucherTypeModel, companyOf(ctx).voucherTypes[r.y.vType[r.v]!]),
    postings: (r) => {
      const out: Value[] = [];
      for (let l = r.y.vLineStart[r.v]!; l < r.y.vLineStart[r.v + 1]!; l++) out.push(Ref.to(postingModel, { y: r.y, l }));
      return out;
    },
    wasAutoMatched: () => false,
    displayName: (r) => `${r.y.vNumber[r.v]}-${r.y.meta.year} ${r.y.vDescription[r.v]}`,
    numberAsString: (r) => `${r.y.vNumber[r.v]}-${r.y.meta.year}`,
  },
});

export const accountModel: Model<AccountRec, TxContext> = defineModel<AccountRec>({
  schema: 'Account',
  path: 'ledger/account',
  id: (a) => a.id,
  refs: { vatType: () => vatTypeModel, currency: () => currencyModel },
  get: {
    version: () => 0,
    changes: (_a, ctx) => changes(ctx, companyOf(ctx).createdAt, companyOf(ctx).createdAt, 0),
    number: (a) => a.number,
    numberPretty: (a) => String(a.number),
    name: (a) => a.name,
    description: () => '',
    type: (a) => a.type,
    legalVatTypes: (a, ctx) => (a.vatType >= 0 ? [Ref.to(vatTypeModel, companyOf(ctx).vatTypes[a.vatType]!)] : []),
    ledgerType: () => 'GENERAL',
    vatType: (a, ctx) => refOrNull(vatTypeModel, companyOf(ctx).vatTypes[a.vatType]),
    vatLocked: () => false,
    currency: (_a, ctx) => Ref.to(currencyModel, companyOf(ctx).baseCurrency),
    // Open items are matched (closed) on the customer and supplier ledgers only.
    isCloseable: (a, ctx) => a.index === companyOf(ctx).customerAccount || a.index === companyOf(ctx).supplierAccount,
    isApplicableForSupplierInvoice: (a) => a.accountType === 'expense',
    requireReconciliation: (a) => a.isBank,
    isInactive: (a) => a.isInactive,
    isBankAccount: (a) => a.isBank,
    isInvoiceAccount: () => false,
    saftCode: (a) => a.saftCode,
    groupingCode: (a) => a.groupingCode,
    displayName: (a) => `${a.number} ${a.name}`,
    requiresDepartment: () => false,
    requiresProject: () => false,
    isPostingsExist: () => true,
  },
});

export const vatTypeModel: Model<VatTypeRec, TxContext> = defineModel<VatTypeRec>({
  schema: 'VatType',
  path: 'ledger/vatType',
  id: (v) => v.id,
  get: {
    version: () => 0,
    name: (v) => v.name,
    number: (v) => v.number,
    displayName: (v) => `${v.number} ${v.name}`,
    // A rate is a percentage, not money: a plain JSON number is right here.
    percentage: (v) => (v.rate === null ? 0 : Number(v.rate)),
    deductionPercentage: () => 100,
  },
});

export const voucherTypeModel: Model<VoucherTypeRec, TxContext> = defineModel<VoucherTypeRec>({
  schema: 'VoucherType',
  path: 'ledger/voucherType',
  id: (t) => t.id,
  get: {
    version: () => 0,
    name: (t) => t.name,
    displayName: (t) => t.name,
  },
});

export const currencyModel: Model<CurrencyRec, TxContext> = defineModel<CurrencyRec>({
  schema: 'Currency',
  path: 'currency',
  id: (c) => c.id,
  get: {
    version: () => 0,
    code: (c) => c.code,
    description: (c) => c.description,
    factor: () => 1,
    displayName: (c) => `${c.code} ${c.description}`,
    isDisabled: () => false,
  },
});

export const annualAccountModel: Model<AnnualAccountRec, TxContext> = defineModel<AnnualAccountRec>({
  schema: 'AnnualAccount',
  path: 'ledger/annualAccount',
  id: (a) => a.id,
  get: {
    version: () => 0,
    year: (a) => a.year,
    start: (a) => a.start,
    end: (a) => a.end,
  },
});

export const accountingPeriodModel: Model<PeriodRec, TxContext> = defineModel<PeriodRec>({
  schema: 'AccountingPeriod',
  path: 'ledger/accountingPeriod',
  id: (p) => p.id,
  get: {
    version: () => 0,
    name: (p) => p.name,
    number: (p) => p.number,
    start: (p) => p.start,
    end: (p) => p.end,
    isClosed: (p, ctx) => companyOf(ctx).years[p.yearIndex]!.meta.closed,
  },
});

export const balanceSheetAccountModel: Model<BalanceRow, TxContext> = defineModel<BalanceRow>({
  schema: 'BalanceSheetAccount',
  path: null,
  id: () => null,
  refs: { account: () => accountModel },
  get: {
    account: (b) => Ref.to(accountModel, b.account),
    balanceIn: (b) => b.balanceIn,
    balanceChange: (b) => b.balanceChange,
    balanceOut: (b) => b.balanceOut,
    startDate: (b) => b.startDate,
    endDate: (b) => b.endDate,
  },
});
