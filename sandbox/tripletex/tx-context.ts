// What a Tripletex model needs to render an object: the company the session is scoped to,
// the logged-in employee, and the host for `url` properties.
import type { ViewContext } from './fields.ts';
import type { CurrencyRec, ServedCompany } from './served-company.ts';

/** A company as `/company/{id}`, `>whoAmI` and `>withLoginAccess` show it. */
export interface CompanyInfo {
  id: number;
  name: string;
  orgNumber: string | null;
  startDate: string | null;
  currency: CurrencyRec;
  accountantOrSimilar: boolean;
  /** The accounting firm's own customer id for the client; differs from `id` on purpose. */
  customerCompanyId: number | null;
}

export interface EmployeeInfo {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  companyId: number;
}

export interface TxContext extends ViewContext {
  /** The company the Basic username reaches; null for an accounting firm's username 0. */
  company: ServedCompany | null;
  companyInfo: CompanyInfo;
  employee: EmployeeInfo;
}

/** The company data, for endpoints that only exist inside a company. */
export function companyOf(ctx: TxContext): ServedCompany {
  if (!ctx.company) throw new Error('tripletex simulator: a company endpoint ran without a company');
  return ctx.company;
}
