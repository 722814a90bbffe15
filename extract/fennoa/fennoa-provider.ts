import { z } from 'zod';
import { defineProvider, type OrgConfigOf } from '../provider.ts';
import { FENNOA_BASE_URL } from './fennoa-client.ts';
import { checkFennoaAccess, fennoaSource } from './fennoa-source.ts';

const settings = z
  .strictObject({
    /** Overrides Fennoa's one API address: the sandbox simulator, or a proxy. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/api"' }).optional(),
    /** The company's name as the warehouse shows it: Fennoa's API does not state it. */
    companyName: z.string().min(1).optional(),
    /** Its Y-tunnus (business id), for the same reason. */
    businessId: z.string().min(1).optional(),
  })
  .prefault({});

export type FennoaSettings = z.output<typeof settings>;

/** Fennoa: an API user and its key, made by a company administrator; HTTP Basic on every request. */
export const fennoaProvider = defineProvider({
  id: 'fennoa',
  label: 'Fennoa',
  settings,
  countries: ['FI'],
  secrets: [
    { key: 'apiUser', env: 'FENNOA_API_USER', label: 'Fennoa API user name' },
    { key: 'apiKey', env: 'FENNOA_API_KEY', label: 'Fennoa API key' },
  ],
  auth: { kind: 'basic' },
  orgAddOptions: [
    { name: 'base-url', setting: 'baseUrl', value: '<url>' },
    { name: 'company-name', setting: 'companyName', value: '<name>' },
    { name: 'business-id', setting: 'businessId', value: '<y-tunnus>' },
  ],
  describeTarget: (s) => `${s.baseUrl ?? 'app.fennoa.com'}${s.companyName ? `, ${s.companyName}` : ''}`,
  connect({ settings, secrets, country, options: tuning }) {
    const options = { baseUrl: settings.baseUrl ?? FENNOA_BASE_URL, credentials: { apiUser: secrets.apiUser!, apiKey: secrets.apiKey! }, ...tuning };
    const name = settings.companyName ?? `the company of API user ${secrets.apiUser!}`;
    return {
      source: () => fennoaSource({ ...options, country, companyName: settings.companyName, businessId: settings.businessId }),
      // An API user belongs to exactly one company: reaching the API is reaching it.
      companies: async () => {
        const periods = await checkFennoaAccess(options);
        return [{ ref: secrets.apiUser!, name, organizationNumber: settings.businessId ?? null, blocked: null, configured: true, note: `${periods} accounting period${periods === 1 ? '' : 's'}` }];
      },
      missingCompany: 'an API user reaches only the company it was created in; create an API user in the company you want to sync',
    };
  },
});

export type FennoaOrgConfig = OrgConfigOf<typeof fennoaProvider>;
