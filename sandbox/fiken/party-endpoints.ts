// Contacts (the generator's customers and suppliers; `1500:NNNNN` / `2400:NNNNN` reskontro
// codes) and projects (the only GL dimension Fiken has): lists with Fiken's filters, and
// single objects by id.
import { badRequest, notFound } from './api-error.ts';
import { booleanParam, companyOf, integerParam, ok, type ApiRoute } from './api-route.ts';
import { dayRange, inRange } from './date-filter.ts';
import type { ContactRec } from './fiken-company.ts';
import { pagedArray } from './paging.ts';
import { contactView, projectView } from './views.ts';

const CONTACT_SORTS: Record<string, (a: ContactRec, b: ContactRec) => number> = {
  'createdDate asc': (a, b) => a.createdDay - b.createdDay || a.index - b.index,
  'createdDate desc': (a, b) => b.createdDay - a.createdDay || b.index - a.index,
  'lastModified asc': (a, b) => a.modifiedDay - b.modifiedDay || a.index - b.index,
  'lastModified desc': (a, b) => b.modifiedDay - a.modifiedDay || b.index - a.index,
};

export function partyRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/contacts',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const q = ctx.req.query;
        const modified = dayRange(q, 'lastModified');
        const created = dayRange(q, 'createdDate');
        const customer = booleanParam(q, 'customer');
        const supplier = booleanParam(q, 'supplier');
        const inactive = booleanParam(q, 'inactive');
        const customerNumber = q.has('customerNumber') ? integerParam('customerNumber', q.get('customerNumber')!) : null;
        const supplierNumber = q.has('supplierNumber') ? integerParam('supplierNumber', q.get('supplierNumber')!) : null;
        const name = q.get('name');
        const orgNumber = q.get('organizationNumber');
        const sortBy = q.get('sortBy') ?? 'createdDate asc';
        const compare = CONTACT_SORTS[sortBy];
        if (!compare) throw badRequest(`sortBy must be one of ${Object.keys(CONTACT_SORTS).join(', ')}; got '${sortBy}'.`);
        const rows = c.contacts
          .filter(
            (x) =>
              inRange(modified, x.modifiedDay) &&
              inRange(created, x.createdDay) &&
              // Both customer=true and supplier=true ask for contacts that are both.
              (customer === null || (x.kind === 'customer') === customer) &&
              (supplier === null || (x.kind === 'supplier') === supplier) &&
              (inactive === null || inactive === false) &&
              (customerNumber === null || (x.kind === 'customer' && x.number === customerNumber)) &&
              (supplierNumber === null || (x.kind === 'supplier' && x.number === supplierNumber)) &&
              (name === null || x.name === name) &&
              (orgNumber === null || x.orgNumber === orgNumber),
          )
          .sort(compare);
        return pagedArray(q, rows, contactView);
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/contacts/{contactId}',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const id = integerParam('contactId', ctx.params.contactId);
        const x = c.contacts.find((k) => k.contactId === id);
        if (!x) throw notFound(`No contact ${id}.`);
        return ok(contactView(x));
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/projects',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const q = ctx.req.query;
        const completed = booleanParam(q, 'completed');
        const name = q.get('name');
        const number = q.get('number');
        const rows = c.projects.filter((p) => (completed === null || p.completed === completed) && (name === null || p.name === name) && (number === null || p.number === number));
        return pagedArray(q, rows, (p) => projectView(c, p));
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/projects/{projectId}',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const id = integerParam('projectId', ctx.params.projectId);
        const p = c.projects.find((k) => k.projectId === id);
        if (!p) throw notFound(`No project ${id}.`);
        return ok(projectView(c, p));
      },
    },
  ];
}
