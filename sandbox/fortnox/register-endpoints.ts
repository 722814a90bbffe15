// Registers: cost centres, projects, customers and suppliers (each its own scope).
import type { ApiRoute } from './api-route.ts';
import { pagedArray } from './paging.ts';

export function registerRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/costcenters',
      scope: 'costcenter',
      handle: ({ company: c, req, apiBaseUrl }) =>
        pagedArray(req.query, 'CostCenters', c.costCenters, (d) => ({ '@url': `${apiBaseUrl}/costcenters/${encodeURIComponent(d.code)}`, Active: d.active, Code: d.code, Description: d.description, Note: '' })),
    },
    {
      method: 'GET',
      pattern: '/projects',
      scope: 'project',
      handle: ({ company: c, req, apiBaseUrl }) =>
        pagedArray(req.query, 'Projects', c.projects, (p) => ({
          '@url': `${apiBaseUrl}/projects/${encodeURIComponent(p.code)}`,
          Description: p.description,
          EndDate: p.active ? undefined : c.years[c.years.length - 1]!.from,
          ProjectLeader: '',
          ProjectNumber: p.code,
          StartDate: c.years[0]!.from,
          Status: p.active ? 'ONGOING' : 'COMPLETED',
        })),
    },
    {
      method: 'GET',
      pattern: '/customers',
      scope: 'customer',
      handle: ({ company: c, req, apiBaseUrl }) =>
        pagedArray(req.query, 'Customers', c.customers, (p) => ({
          '@url': `${apiBaseUrl}/customers/${encodeURIComponent(p.number)}`,
          Address1: '',
          Address2: '',
          City: '',
          CustomerNumber: p.number,
          Email: '',
          Name: p.name,
          OrganisationNumber: p.orgNumber,
          Phone: '',
          ZipCode: '',
        })),
    },
    {
      method: 'GET',
      pattern: '/suppliers',
      scope: 'supplier',
      handle: ({ company: c, req, apiBaseUrl }) =>
        pagedArray(req.query, 'Suppliers', c.suppliers, (p) => ({
          '@url': `${apiBaseUrl}/suppliers/${encodeURIComponent(p.number)}`,
          Active: true,
          CountryCode: p.country.slice(0, 2),
          Currency: 'SEK',
          Name: p.name,
          OrganisationNumber: p.orgNumber,
          SupplierNumber: p.number,
        })),
    },
  ];
}
