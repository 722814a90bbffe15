// Company information and financial years.
import { ok, param, type ApiRoute } from './api-route.ts';
import { badParameter, notFound } from './api-error.ts';
import type { FxYear } from './fortnox-company.ts';

export function companyRoutes(): ApiRoute[] {
  const yearView = (base: string, y: FxYear) => ({
    '@url': `${base}/financialyears/${y.id}`,
    Id: y.id,
    FromDate: y.from,
    ToDate: y.to,
    AccountChartType: 'Bas 2024',
    AccountingMethod: 'ACCRUAL',
  });
  return [
    {
      method: 'GET',
      pattern: '/companyinformation',
      scope: 'companyinformation',
      handle: ({ company: c }) =>
        ok({
          CompanyInformation: {
            Address: 'Storgatan 1',
            City: 'Stockholm',
            CompanyName: c.name,
            CountryCode: 'SE',
            DatabaseNumber: c.databaseNumber,
            OrganizationNumber: c.orgNumber,
            VisitAddress: 'Storgatan 1',
            VisitCity: 'Stockholm',
            VisitCountryCode: 'SE',
            VisitZipCode: '111 22',
            ZipCode: '111 22',
          },
        }),
    },
    {
      method: 'GET',
      pattern: '/financialyears',
      scope: 'bookkeeping',
      handle: ({ company: c, req, apiBaseUrl }) => {
        // The query name that works is `date` (the spec writes `Date`); a date in no year gives an empty list.
        const date = param(req.query, 'date');
        if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw badParameter(`Ogiltigt datum: '${date}'.`);
        const years = date === null ? c.years : c.years.filter((y) => y.from <= date && date <= y.to);
        // Listed by id, which is not date order.
        const sorted = [...years].sort((a, b) => a.id - b.id);
        const n = sorted.length;
        return ok({ MetaInformation: { '@TotalResources': n, '@TotalPages': n ? 1 : 0, '@CurrentPage': 1 }, FinancialYears: sorted.map((y) => yearView(apiBaseUrl, y)) });
      },
    },
    {
      method: 'GET',
      pattern: '/financialyears/{Id}',
      scope: 'bookkeeping',
      handle: ({ company: c, params, apiBaseUrl }) => {
        const y = /^\d+$/.test(params.Id!) ? c.yearById(Number(params.Id)) : undefined;
        if (!y) throw notFound(`Kan inte hitta räkenskapsåret ${params.Id}.`);
        return ok({ FinancialYear: yearView(apiBaseUrl, y) });
      },
    },
  ];
}
