// Customers, suppliers, departments and projects: the objects a posting points at besides its
// account.
import { changes, defineModel } from './define-model.ts';
import { Ref, type Model } from './fields.ts';
import { accountModel, currencyModel } from './ledger-models.ts';
import type { DimensionRec, PartyRec } from './served-company.ts';
import { companyOf, type TxContext } from './tx-context.ts';

function ledgerAccount(ctx: TxContext, kind: PartyRec['kind']) {
  const c = companyOf(ctx);
  // Receivable/payable: the first account the generator's parties are posted on.
  const number = kind === 'customer' ? c.customerAccount : c.supplierAccount;
  return number === null ? null : Ref.to(accountModel, c.accounts[number]!);
}

const partyCommon = {
  version: (p: PartyRec) => p.version,
  changes: (p: PartyRec, ctx: TxContext) => changes(ctx, p.createdAt, p.changedAt, p.version),
  name: (p: PartyRec) => p.name,
  organizationNumber: (p: PartyRec) => p.orgNumber ?? '',
  isInactive: () => false,
  isPrivateIndividual: () => false,
  email: () => '',
  invoiceEmail: () => '',
  overdueNoticeEmail: () => '',
  phoneNumber: () => '',
  phoneNumberMobile: () => '',
  description: () => '',
  bankAccounts: () => [],
  website: () => '',
  language: () => 'NO',
  displayName: (p: PartyRec) => `${p.name} (${p.number})`,
  currency: (_p: PartyRec, ctx: TxContext) => Ref.to(currencyModel, companyOf(ctx).baseCurrency),
};

export const customerModel: Model<PartyRec, TxContext> = defineModel<PartyRec>({
  schema: 'Customer',
  path: 'customer',
  id: (p) => p.id,
  refs: { ledgerAccount: () => accountModel, currency: () => currencyModel },
  get: {
    ...partyCommon,
    customerNumber: (p) => p.number,
    supplierNumber: () => 0,
    isCustomer: () => true,
    isSupplier: () => false,
    ledgerAccount: (_p, ctx) => ledgerAccount(ctx, 'customer'),
    invoicesDueIn: () => 14,
    invoicesDueInType: () => 'DAYS',
  },
});

export const supplierModel: Model<PartyRec, TxContext> = defineModel<PartyRec>({
  schema: 'Supplier',
  path: 'supplier',
  id: (p) => p.id,
  refs: { ledgerAccount: () => accountModel, currency: () => currencyModel },
  get: {
    ...partyCommon,
    supplierNumber: (p) => p.number,
    customerNumber: () => 0,
    isCustomer: () => false,
    isSupplier: () => true,
    ledgerAccount: (_p, ctx) => ledgerAccount(ctx, 'supplier'),
    showProducts: () => false,
    isWholesaler: () => false,
    locale: () => 'nb_NO',
  },
});

export const departmentModel: Model<DimensionRec, TxContext> = defineModel<DimensionRec>({
  schema: 'Department',
  path: 'department',
  id: (d) => d.id,
  get: {
    version: () => 0,
    name: (d) => d.name,
    departmentNumber: (d) => d.number,
    displayName: (d) => `${d.number} ${d.name}`,
    isInactive: (d) => d.isInactive,
  },
});

export const projectModel: Model<DimensionRec, TxContext> = defineModel<DimensionRec>({
  schema: 'Project',
  path: 'project',
  id: (p) => p.id,
  refs: { currency: () => currencyModel },
  get: {
    version: () => 0,
    name: (p) => p.name,
    number: (p) => p.number,
    displayName: (p) => `${p.number} ${p.name}`,
    description: () => '',
    startDate: (_p, ctx) => companyOf(ctx).annualAccounts[0]!.start,
    isClosed: (p) => p.isInactive,
    isReadyForInvoicing: () => false,
    isInternal: () => true,
    isOffer: () => false,
    isFixedPrice: () => false,
    currency: (_p, ctx) => Ref.to(currencyModel, companyOf(ctx).baseCurrency),
  },
});
