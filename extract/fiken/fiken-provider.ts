import { z } from 'zod';
import { credentialVault, OAuth2Session, type OAuth2App } from '../oauth2/index.ts';
import { defineProvider, type OrgConfigOf } from '../provider.ts';
import { fikenCompanies, fikenSource } from './fiken-source.ts';

export const FIKEN_URLS = {
  api: 'https://api.fiken.no/api/v2',
  authorize: 'https://fiken.no/oauth/authorize',
  token: 'https://fiken.no/oauth/token',
} as const;

const settings = z.strictObject({
  /** The company's `slug` in Fiken's URLs; `ledgerhouse companies <id>` lists them. */
  companySlug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a Fiken company slug: lowercase letters, digits and "-", e.g. "fiken-demo-glede-og-gaman-as"' }),
  /** Override Fiken's API and OAuth hosts: the sandbox simulator, or a proxy. */
  apiBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/api/v2"' }).optional(),
  oauthBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080"' }).optional(),
});

export type FikenSettings = z.output<typeof settings>;

const clientEnv = ['FIKEN_CLIENT_ID', 'FIKEN_CLIENT_SECRET'] as const;

/** The app registered with Fiken (developer mode → Apps), and Fiken's OAuth2 server (or the one `oauthBaseUrl` names). */
export function fikenApp(settings: FikenSettings, client: { clientId: string; clientSecret: string }): OAuth2App {
  const oauth = settings.oauthBaseUrl?.replace(/\/$/, '');
  return {
    provider: { id: 'fiken', label: 'Fiken', clientEnv },
    ...client,
    authorizeUrl: oauth ? `${oauth}/oauth/authorize` : FIKEN_URLS.authorize,
    tokenUrl: oauth ? `${oauth}/oauth/token` : FIKEN_URLS.token,
    // A refresh answers a new refresh token; the old one works until the new pair is used.
    rotation: 'grace',
  };
}

/** Fiken: an OAuth2 app of ours, and each person's consent to the companies they pick. */
export const fikenProvider = defineProvider({
  id: 'fiken',
  label: 'Fiken',
  settings,
  countries: ['NO'],
  // The app's registration with Fiken; the person's tokens come from the consent that follows.
  secrets: [
    { key: 'clientId', env: clientEnv[0], label: 'Fiken app client id' },
    { key: 'clientSecret', env: clientEnv[1], label: 'Fiken app client secret' },
  ],
  auth: { kind: 'oauth2', app: fikenApp },
  orgAddOptions: [
    { name: 'company', setting: 'companySlug', value: '<slug>', required: true },
    { name: 'base-url', setting: 'apiBaseUrl', value: '<url>' },
    { name: 'oauth-url', setting: 'oauthBaseUrl', value: '<url>' },
  ],
  describeTarget: (s) => `${s.apiBaseUrl ?? 'api.fiken.no'}, company ${s.companySlug}`,
  connect({ orgId, settings, secrets, store, options: tuning }) {
    const { clientId, clientSecret } = secrets as { clientId: string; clientSecret: string };
    const session = new OAuth2Session(fikenApp(settings, { clientId, clientSecret }), credentialVault(store, orgId), orgId, { clock: tuning.clock, retry: tuning.retry, log: tuning.log });
    const options = { apiBaseUrl: settings.apiBaseUrl ?? FIKEN_URLS.api, session, consentKey: `${clientId}:${orgId}`, ...tuning };
    return {
      source: () => fikenSource({ ...options, companySlug: settings.companySlug }),
      companies: async () =>
        (await fikenCompanies(options)).map((c) => ({
          ref: c.slug,
          name: c.name,
          organizationNumber: c.organizationNumber,
          blocked: c.hasApiAccess ? null : 'the API add-on is not enabled for this company in Fiken',
          configured: c.slug === settings.companySlug,
          note: c.hasApiAccess ? '' : 'no API access',
        })),
      missingCompany:
        `Fiken company "${settings.companySlug}" is not among the companies the consent reaches. The two usual causes: the API add-on is not enabled for that company in Fiken, ` +
        'or the company was not added to the approved companies of the app (Rediger konto → Sikkerhet → Apper du har gitt tilgang til); add it there, or run "ledgerhouse connect" again and pick it',
    };
  },
});

export type FikenOrgConfig = OrgConfigOf<typeof fikenProvider>;
