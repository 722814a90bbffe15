import { z } from 'zod';
import { defineProvider } from '../provider.ts';
import { TRIPLETEX_BASE_URLS } from './tripletex-client.ts';
import { tripletexCompanies, tripletexSource } from './tripletex-source.ts';

const settings = z
  .strictObject({
    environment: z.enum(['production', 'test']).default('production'),
    /** Overrides `environment`: the sandbox simulator, or a proxy. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/v2"' }).optional(),
    /** Accountant access to a client's company; absent means the token's own company. */
    clientCompanyId: z.number().int().positive().optional(),
  })
  .prefault({});

export type TripletexSettings = z.output<typeof settings>;

/** Tripletex: a consumer token (the integration's) and an employee token (the user's). */
export const tripletexProvider = defineProvider({
  id: 'tripletex',
  label: 'Tripletex',
  settings,
  countries: ['NO', 'SE', 'FI'],
  secrets: [
    { key: 'consumerToken', env: 'TRIPLETEX_CONSUMER_TOKEN', label: 'Tripletex consumer token' },
    { key: 'employeeToken', env: 'TRIPLETEX_EMPLOYEE_TOKEN', label: 'Tripletex employee token' },
  ],
  auth: { kind: 'tokens' },
  orgAddOptions: [
    { name: 'environment', setting: 'environment', value: 'production|test' },
    { name: 'base-url', setting: 'baseUrl', value: '<url>' },
    { name: 'client-company-id', setting: 'clientCompanyId', value: '<n>', numeric: true },
  ],
  describeTarget: ({ environment, baseUrl, clientCompanyId }) => `${baseUrl ?? environment}${clientCompanyId === undefined ? '' : `, client company ${clientCompanyId}`}`,
  connect({ settings, secrets, country, options: tuning }) {
    const wanted = settings.clientCompanyId ?? null;
    const options = {
      baseUrl: settings.baseUrl ?? TRIPLETEX_BASE_URLS[settings.environment],
      credentials: { consumerToken: secrets.consumerToken!, employeeToken: secrets.employeeToken! },
      clientCompanyId: wanted,
      ...tuning,
    };
    return {
      source: () => tripletexSource({ ...options, country }),
      companies: async () =>
        (await tripletexCompanies(options)).map((c) => ({
          ref: String(c.id),
          name: c.name,
          organizationNumber: c.organizationNumber,
          blocked: null,
          configured: wanted === null ? c.access === 'own' : c.id === wanted,
          note: c.access === 'own' ? 'own company' : `client: sync it with "org add <id> --provider tripletex --client-company-id ${c.id}"`,
        })),
      missingCompany:
        wanted === null
          ? 'the token reaches no company of its own: it may be an accounting firm\'s token (set --client-company-id), or made for the other environment (test tokens only work against the test server)'
          : `the token does not reach client company ${wanted}: the firm may have lost access to it, or the id is the client's customerCompanyId rather than its id`,
    };
  },
});
