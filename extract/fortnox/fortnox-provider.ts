import { z } from 'zod';
import { credentialVault, OAuth2Session, type OAuth2App } from '../oauth2/index.ts';
import { defineProvider, type OrgConfigOf } from '../provider.ts';
import { FORTNOX_NAME } from './fortnox-errors.ts';
import { companyInformation, fortnoxClient, fortnoxSource } from './fortnox-source.ts';

export const FORTNOX_URLS = {
  api: 'https://api.fortnox.se/3',
  oauth: 'https://apps.fortnox.se/oauth-v1',
} as const;

/**
 * What ledgerhouse asks Fortnox for. Fortnox has no read-only scopes (each grants read and
 * write); ledgerhouse only ever reads.
 */
export const FORTNOX_SCOPES = ['companyinformation', 'bookkeeping', 'costcenter', 'project', 'customer', 'supplier', 'connectfile', 'archive', 'invoice', 'supplierinvoice'] as const;

/** What the page before Fortnox's consent tells the person who approves. */
export const FORTNOX_READS = [
  'the company information (name, organisation number)',
  'the financial years, the chart of accounts, voucher series, cost centres and projects',
  'the vouchers of each financial year (through the SIE export), with opening and closing balances',
  'customers and suppliers (names and organisation numbers)',
  'the files connected to vouchers, supplier invoices and customer invoices',
] as const;

const settings = z.strictObject({
  /**
   * Fortnox's `DatabaseNumber` of the company: a consent reaches one company, and this checks
   * it is the right one. Left out, whichever company the consent reaches is synced.
   */
  databaseNumber: z.number({ error: 'must be the company\'s Fortnox database number, e.g. 123456' }).int().positive().optional(),
  /** `service`: the consent is a service account's (a system administrator approves; it outlives staff changes). */
  accountType: z.enum(['user', 'service'], { error: 'must be "user" or "service"' }).default('user'),
  /** Override Fortnox's API and OAuth hosts: the sandbox simulator, or a proxy. */
  apiBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/3"' }).optional(),
  /** Where `auth`, `token` and `revoke` are: Fortnox's is https://apps.fortnox.se/oauth-v1. */
  oauthBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080/oauth-v1"' }).optional(),
});

export type FortnoxSettings = z.output<typeof settings>;

/** The app registered in Fortnox's Developer Portal, and Fortnox's OAuth2 server (or the one `oauthBaseUrl` names). */
export function fortnoxApp(settings: FortnoxSettings, client: { clientId: string; clientSecret: string }): OAuth2App {
  const oauth = (settings.oauthBaseUrl ?? FORTNOX_URLS.oauth).replace(/\/$/, '');
  return {
    provider: FORTNOX_NAME,
    ...client,
    authorizeUrl: `${oauth}/auth`,
    tokenUrl: `${oauth}/token`,
    authorizeParams: {
      scope: FORTNOX_SCOPES.join(' '),
      access_type: 'offline',
      ...(settings.accountType === 'service' ? { account_type: 'service' } : {}),
    },
    // A refresh answers a new pair and the old refresh token dies at once.
    rotation: 'immediate',
    reads: FORTNOX_READS,
    approver:
      settings.accountType === 'service'
        ? 'a system administrator of the company in Fortnox (a service account is not tied to a person)'
        : 'a Fortnox user of the company with the rights to approve integrations (usually its administrator)',
    redirectError: fortnoxRedirectError,
  };
}

/** What Fortnox's consent page sends back when it did not approve, in a sentence. */
export function fortnoxRedirectError(error: string, description: string | null): string | null {
  const text = `${error} ${description ?? ''}`.toLowerCase();
  if (/service account/.test(text)) {
    return 'the app does not allow service accounts; enable "service account" for it in the Fortnox Developer Portal, or set "accountType": "user" for this organization; nothing was stored.';
  }
  if (/licen[cs]|licens/.test(text)) {
    return 'the company has no integration licence in Fortnox; its administrator must order one (Inställningar → Tillägg → Integration) and open the link again; nothing was stored.';
  }
  if (/admin|behörighet|permission|rights|not allowed|unauthorized/.test(text)) {
    return 'the Fortnox user who opened the link may not approve integrations for the company; send the link to a user with those rights (usually the administrator); nothing was stored.';
  }
  if (/scope/.test(text)) {
    return `Fortnox refused the permissions ledgerhouse asks for (${description ?? error}); check the scopes of the app in the Fortnox Developer Portal include ${FORTNOX_SCOPES.join(', ')}; nothing was stored.`;
  }
  return null;
}

/** Fortnox: an OAuth2 app of ours, and the consent of one company's administrator. */
export const fortnoxProvider = defineProvider({
  id: 'fortnox',
  label: 'Fortnox',
  settings,
  countries: ['SE'],
  secrets: [
    { key: 'clientId', env: FORTNOX_NAME.clientEnv[0], label: 'Fortnox app client id' },
    { key: 'clientSecret', env: FORTNOX_NAME.clientEnv[1], label: 'Fortnox app client secret' },
  ],
  auth: { kind: 'oauth2', app: fortnoxApp },
  orgAddOptions: [
    { name: 'database-number', setting: 'databaseNumber', value: '<n>', numeric: true },
    { name: 'account-type', setting: 'accountType', value: 'user|service' },
    { name: 'base-url', setting: 'apiBaseUrl', value: '<url>' },
    { name: 'oauth-url', setting: 'oauthBaseUrl', value: '<url>' },
  ],
  describeTarget: (s) => `${s.apiBaseUrl ?? 'api.fortnox.se'}${s.databaseNumber ? `, database ${s.databaseNumber}` : ''}${s.accountType === 'service' ? ', service account' : ''}`,
  connect({ orgId, settings, secrets, store, options: tuning }) {
    const { clientId, clientSecret } = secrets as { clientId: string; clientSecret: string };
    const session = new OAuth2Session(fortnoxApp(settings, { clientId, clientSecret }), credentialVault(store, orgId), orgId, { clock: tuning.clock, retry: tuning.retry, log: tuning.log });
    const options = { apiBaseUrl: settings.apiBaseUrl ?? FORTNOX_URLS.api, session, consentKey: `${clientId}:${orgId}`, orgId, ...tuning };
    return {
      source: () => fortnoxSource(options),
      companies: async () => {
        const client = fortnoxClient(options);
        try {
          const c = await companyInformation(client);
          const ref = c.DatabaseNumber == null ? '' : String(c.DatabaseNumber);
          return [
            {
              ref,
              name: c.CompanyName,
              organizationNumber: c.OrganizationNumber || null,
              blocked: null,
              configured: settings.databaseNumber === undefined || String(settings.databaseNumber) === ref,
              note: 'reachable',
            },
          ];
        } finally {
          await client.close();
        }
      },
      missingCompany:
        `the Fortnox consent reaches another company than database ${settings.databaseNumber ?? '?'} in the configuration (a consent reaches the one company it was approved in). ` +
        `Send the link from "ledgerhouse connect ${orgId}" to the administrator of the right company, or correct "databaseNumber"`,
    };
  },
});

export type FortnoxOrgConfig = OrgConfigOf<typeof fortnoxProvider>;
