// GET /user, GET /companies (only the companies approved in the grant) and
// GET /companies/{companySlug}.
import { badRequest } from './api-error.ts';
import { companyOf, ok, type ApiRoute } from './api-route.ts';
import type { FikenCompany } from './fiken-company.ts';
import { pagedArray } from './paging.ts';
import { companyView } from './views.ts';

const SORTS: Record<string, (a: FikenCompany, b: FikenCompany) => number> = {
  'createdDate asc': (a, b) => a.accountingStart.localeCompare(b.accountingStart) || a.index - b.index,
  'name asc': (a, b) => a.name.localeCompare(b.name, 'nb') || a.index - b.index,
  'organizationNumber asc': (a, b) => (a.orgNumber ?? '').localeCompare(b.orgNumber ?? '') || a.index - b.index,
};

export function companyRoutes(): ApiRoute[] {
  return [
    { method: 'GET', pattern: '/user', handle: (ctx) => ok({ name: ctx.user.name, email: ctx.user.email }) },
    {
      method: 'GET',
      pattern: '/companies',
      handle: (ctx) => {
        const sortBy = ctx.req.query.get('sortBy') ?? 'name asc';
        const [field, direction] = sortBy.split(' ');
        const compare = SORTS[`${field} asc`];
        if (!compare || (direction !== 'asc' && direction !== 'desc')) throw badRequest(`sortBy must be one of ${Object.keys(SORTS).flatMap((s) => [s, s.replace('asc', 'desc')]).join(', ')}; got '${sortBy}'.`);
        const visible = ctx.companies.filter((c) => ctx.grant.approval.companies.has(c.index)).sort((a, b) => (direction === 'asc' ? compare(a, b) : compare(b, a)));
        return pagedArray(ctx.req.query, visible, companyView);
      },
    },
    { method: 'GET', pattern: '/companies/{companySlug}', withoutApiAccess: true, handle: (ctx) => ok(companyView(companyOf(ctx))) },
  ];
}
