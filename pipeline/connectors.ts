import {
  FIKEN_URLS,
  FikenSession,
  fikenCompanies,
  fikenSource,
  TRIPLETEX_BASE_URLS,
  tripletexCompanies,
  tripletexSource,
  type CredentialStore,
  type FikenApp,
  type FikenTokens,
  type RatePolicy,
  type RetryPolicy,
  type Source,
  type TokenVault,
} from '../extract/index.ts';
import type { FikenOrgConfig, OrganizationConfig } from './config.ts';
import { UsageError } from './usage-error.ts';
import type { Clock } from '../model/index.ts';

/** A company the credentials reach, as `companies` lists it. */
export interface ReachableCompany {
  /** What the configuration names it by: a Tripletex company id, a Fiken slug. */
  ref: string;
  name: string;
  organizationNumber: string | null;
  /** Why it cannot be synced, when it cannot. */
  blocked: string | null;
  /** The configured organization points at this one. */
  configured: boolean;
  note: string;
}

/** What each provider's connection needs from the configuration and the credential store. */
export interface Connection {
  source(): Source;
  companies(): Promise<ReachableCompany[]>;
  /** Why the configured company is not among `companies`, in a sentence. */
  missingCompany: string;
}

/** How requests are logged and paced; tests pace faster against a simulator with a higher limit. */
export interface ConnectionOptions {
  log?: (line: string) => void;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  /** Shared with whatever the connection talks to; the system's by default. */
  clock?: Clock;
}

export async function connection(orgId: string, org: OrganizationConfig, store: CredentialStore | null, tuning: ConnectionOptions = {}): Promise<Connection> {
  const secrets = store ? await store.get(orgId) : null;
  if (!store || !secrets) throw new UsageError(`Organization "${orgId}" has no stored credentials; run "ledgerhouse connect ${orgId}" first.`);
  const incomplete = () => new UsageError(`The stored credentials of "${orgId}" are incomplete; run "ledgerhouse connect ${orgId}" again.`);
  switch (org.provider) {
    case 'tripletex': {
      const { consumerToken, employeeToken } = secrets;
      if (!consumerToken || !employeeToken) throw incomplete();
      const wanted = org.tripletex.clientCompanyId ?? null;
      const options = {
        baseUrl: org.tripletex.baseUrl ?? TRIPLETEX_BASE_URLS[org.tripletex.environment],
        credentials: { consumerToken, employeeToken },
        clientCompanyId: wanted,
        ...tuning,
      };
      return {
        source: () => tripletexSource({ ...options, country: org.country }),
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
    }
    case 'fiken': {
      const { clientId, clientSecret } = secrets;
      if (!clientId || !clientSecret) throw incomplete();
      const session = new FikenSession(fikenApp(org, { clientId, clientSecret }), storeVault(store, orgId), orgId, tuning.clock);
      const options = { apiBaseUrl: org.fiken.apiBaseUrl ?? FIKEN_URLS.api, session, consentKey: `${clientId}:${orgId}`, ...tuning };
      return {
        source: () => fikenSource({ ...options, companySlug: org.fiken.companySlug }),
        companies: async () =>
          (await fikenCompanies(options)).map((c) => ({
            ref: c.slug,
            name: c.name,
            organizationNumber: c.organizationNumber,
            blocked: c.hasApiAccess ? null : 'the API add-on is not enabled for this company in Fiken',
            configured: c.slug === org.fiken.companySlug,
            note: c.hasApiAccess ? '' : 'no API access',
          })),
        missingCompany:
          `Fiken company "${org.fiken.companySlug}" is not among the companies the consent reaches. The two usual causes: the API add-on is not enabled for that company in Fiken, ` +
          'or the company was not added to the approved companies of the app (Rediger konto → Sikkerhet → Apper du har gitt tilgang til); add it there, or run "ledgerhouse connect" again and pick it',
      };
    }
  }
}

export function fikenApp(org: FikenOrgConfig, credentials: { clientId: string; clientSecret: string }): FikenApp {
  const oauth = org.fiken.oauthBaseUrl?.replace(/\/$/, '');
  return {
    ...credentials,
    authorizeUrl: oauth ? `${oauth}/oauth/authorize` : FIKEN_URLS.authorize,
    tokenUrl: oauth ? `${oauth}/oauth/token` : FIKEN_URLS.token,
  };
}

/** Fiken tokens beside the app's credentials in the encrypted store, refreshed under its lock. */
function storeVault(store: CredentialStore, orgId: string): TokenVault {
  return {
    async read() {
      const s = await store.get(orgId);
      return s?.accessToken && s.refreshToken ? { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: Number(s.expiresAt) } : null;
    },
    // Called under `exclusive`: the read-change-write cannot interleave with another run's.
    async write(tokens: FikenTokens) {
      await store.set(orgId, { ...(await store.get(orgId)), ...tokenSecrets(tokens) });
    },
    exclusive: (work) => store.exclusive(work),
  };
}

export function tokenSecrets(tokens: FikenTokens): Record<string, string> {
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: String(tokens.expiresAt) };
}

/** One line saying which company the credentials reach, or an error saying why not. */
export async function verifyConnection(orgId: string, org: OrganizationConfig, store: CredentialStore): Promise<string> {
  const link = await connection(orgId, org, store);
  const company = (await link.companies()).find((c) => c.configured);
  if (!company) throw new Error(`${link.missingCompany}; "ledgerhouse companies ${orgId}" lists the ones it reaches.`);
  if (company.blocked) throw new Error(`${company.name}: ${company.blocked}.`);
  return `reached ${company.name}${company.organizationNumber ? ` (${company.organizationNumber})` : ''}, company ${company.ref}`;
}
