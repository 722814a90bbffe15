// Who is logged in, and where: Company, Client, Employee, LoggedInUserInfo and the token DTOs.
import { defineModel } from './define-model.ts';
import { Ref, type Model } from './fields.ts';
import { currencyModel } from './ledger-models.ts';
import type { Session } from './sessions.ts';
import type { CompanyInfo, EmployeeInfo, TxContext } from './tx-context.ts';

const companyFields = {
  version: () => 0,
  name: (c: CompanyInfo) => c.name,
  displayName: (c: CompanyInfo) => c.name,
  startDate: (c: CompanyInfo) => c.startDate,
  organizationNumber: (c: CompanyInfo) => c.orgNumber ?? '',
  email: () => '',
  phoneNumber: () => '',
  phoneNumberMobile: () => '',
  faxNumber: () => '',
  type: () => 'AS',
  currency: (c: CompanyInfo) => Ref.to(currencyModel, c.currency),
  accountantOrSimilar: (c: CompanyInfo) => c.accountantOrSimilar,
  companyMigration: () => 'NONE',
  invoiceShowDeliveryDate: () => false,
};

export const companyModel: Model<CompanyInfo, TxContext> = defineModel<CompanyInfo>({
  schema: 'Company',
  path: 'company',
  id: (c) => c.id,
  refs: { currency: () => currencyModel },
  get: companyFields,
});

/** A client of an accounting firm: `id` is the Basic username that reaches it. */
export const clientModel: Model<CompanyInfo, TxContext> = defineModel<CompanyInfo>({
  schema: 'Client',
  path: 'company',
  id: (c) => c.id,
  refs: { currency: () => currencyModel },
  get: { ...companyFields, customerCompanyId: (c) => c.customerCompanyId },
});

export const employeeModel: Model<EmployeeInfo, TxContext> = defineModel<EmployeeInfo>({
  schema: 'Employee',
  path: 'employee',
  id: (e) => e.id,
  get: {
    version: () => 0,
    firstName: (e) => e.firstName,
    lastName: (e) => e.lastName,
    displayName: (e) => `${e.firstName} ${e.lastName}`,
    email: (e) => e.email,
    userType: () => 'EXTENDED',
    isContact: () => false,
    isProxy: () => false,
    companyId: (e) => e.companyId,
  },
});

export interface WhoAmI {
  employee: EmployeeInfo;
  company: CompanyInfo;
  /** An accountant working in a client's company. */
  proxy: boolean;
}

export const loggedInUserInfoModel: Model<WhoAmI, TxContext> = defineModel<WhoAmI>({
  schema: 'LoggedInUserInfo',
  path: null,
  id: () => null,
  refs: { employee: () => employeeModel, company: () => companyModel },
  get: {
    employeeId: (w) => w.employee.id,
    actualEmployeeId: (w) => w.employee.id,
    employee: (w) => Ref.to(employeeModel, w.employee),
    companyId: (w) => w.company.id,
    company: (w) => Ref.to(companyModel, w.company),
    language: () => 'no',
    loggedInWithConnect: () => false,
    employeeIsProxy: (w) => w.proxy,
  },
});

export interface TokenRef {
  id: number;
  expirationDate: string | null;
}

export const consumerTokenModel: Model<TokenRef, TxContext> = defineModel<TokenRef>({
  schema: 'ConsumerToken',
  path: 'token/consumer',
  id: (t) => t.id,
  get: { version: () => 0, expirationDate: (t) => t.expirationDate },
});

export const employeeTokenModel: Model<TokenRef, TxContext> = defineModel<TokenRef>({
  schema: 'EmployeeToken',
  path: 'token/employee',
  id: (t) => t.id,
  get: { version: () => 0, expirationDate: (t) => t.expirationDate },
});

export const CONSUMER_TOKEN: TokenRef = { id: 1001, expirationDate: null };
export const EMPLOYEE_TOKEN: TokenRef = { id: 2001, expirationDate: null };

export const sessionTokenModel: Model<Session, TxContext> = defineModel<Session>({
  schema: 'SessionToken',
  path: 'token/session',
  id: (s) => s.id,
  refs: { consumerToken: () => consumerTokenModel, employeeToken: () => employeeTokenModel },
  get: {
    version: () => 0,
    consumerToken: () => Ref.to(consumerTokenModel, CONSUMER_TOKEN),
    employeeToken: () => Ref.to(employeeTokenModel, EMPLOYEE_TOKEN),
    expirationDate: (s) => s.expirationDate,
    token: (s) => s.token,
  },
});
