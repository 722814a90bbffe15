// What Fortnox users meet, in one sentence each: no integration licence, no product licence
// behind a scope, a consent without a scope we read, a user without the rights. Fortnox
// explains a refusal in `ErrorInformation` (docs: lower-case keys; spec: `Error`, `Message`,
// `Code`), often in Swedish; the code decides, the message is a fallback.
import { ProviderHttpError } from '../http/provider-error.ts';
import { ConsentError, type OAuth2ProviderName } from '../oauth2/index.ts';

export const FORTNOX_NAME: OAuth2ProviderName = { id: 'fortnox', label: 'Fortnox', clientEnv: ['FORTNOX_CLIENT_ID', 'FORTNOX_CLIENT_SECRET'] };

export const FORTNOX_CODES = {
  /** "Api-licens saknas": the company has no integration licence. */
  noIntegrationLicence: 2001103,
  /** "Det finns ingen aktiv licens för önskat scope": the product (e.g. Bokföring) is not licensed. */
  noScopeLicence: 2001101,
  /** "Har inte behörighet för scope": the consent was given without this scope. */
  missingScope: 2000663,
  /** The user behind the consent lacks the rights in Fortnox for this resource. */
  noRights: 2000664,
} as const;

export type FortnoxRefusalKind = 'licence' | 'scope-licence' | 'scope' | 'rights';

/** Fortnox refused for a reason only a person at the company (or a new consent) can fix. */
export class FortnoxRefusalError extends Error {
  override readonly name = 'FortnoxRefusalError';
  constructor(
    readonly kind: FortnoxRefusalKind,
    readonly code: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** `ErrorInformation` of an answer's body (its first few hundred characters), keys in either case. */
export function errorInformation(body: string): { code: number | null; message: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // An excerpt cut short: read the two fields by pattern.
    const code = /"code"\s*:\s*"?(\d+)/i.exec(body)?.[1];
    const message = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/i.exec(body)?.[1];
    return code || message ? { code: code ? Number(code) : null, message: message ?? '' } : null;
  }
  const info = lower(lower(parsed).errorinformation);
  if (!info || (info.code === undefined && info.message === undefined)) return null;
  const code = Number(info.code);
  return { code: Number.isFinite(code) ? code : null, message: typeof info.message === 'string' ? info.message : '' };
}

function lower(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The sentence for a refusal Fortnox explains, or null when `error` is not one (let it pass as it is). */
export function fortnoxRefusal(error: unknown, orgId: string): Error | null {
  if (!(error instanceof ProviderHttpError) || error.status === null || error.status < 400 || error.status === 429 || error.status >= 500) return null;
  const info = errorInformation(error.bodyExcerpt);
  if (!info) return null;
  const kind = refusalKind(info);
  if (!kind) return null;
  const path = error.path;
  switch (kind) {
    case 'licence':
      return new FortnoxRefusalError(
        kind,
        info.code,
        `Fortnox says the company has no integration licence (${quote(info)}): someone with administrator rights in the company's Fortnox must order the integration licence (Fortnox: Inställningar → Tillägg → Integration), then run "ledgerhouse sync ${orgId}" again.`,
      );
    case 'scope-licence':
      return new FortnoxRefusalError(
        kind,
        info.code,
        `Fortnox refused ${path} because the company has no active licence for it (${quote(info)}): the company's Fortnox administrator must add that product (e.g. Bokföring for the ledger, Arkivplats for documents) to the subscription, then run "ledgerhouse sync ${orgId}" again.`,
      );
    case 'scope':
      return new ConsentError(
        FORTNOX_NAME,
        orgId,
        `the consent in Fortnox was given without the permission ${path} needs (${quote(info)}); permissions added to the app later only reach a new consent`,
      );
    case 'rights':
      return new FortnoxRefusalError(
        kind,
        info.code,
        `Fortnox refused ${path} because the user who approved ledgerhouse lacks the rights for it (${quote(info)}): give that user the rights in Fortnox (Inställningar → Användare), or have a user with them run the consent again with "ledgerhouse connect ${orgId}".`,
      );
  }
}

function refusalKind(info: { code: number | null; message: string }): FortnoxRefusalKind | null {
  switch (info.code) {
    case FORTNOX_CODES.noIntegrationLicence:
      return 'licence';
    case FORTNOX_CODES.noScopeLicence:
      return 'scope-licence';
    case FORTNOX_CODES.missingScope:
      return 'scope';
    case FORTNOX_CODES.noRights:
      return 'rights';
  }
  const m = info.message.toLowerCase();
  if (/api-licens|integration licen/.test(m)) return 'licence';
  if (/licens.*scope|licen[cs]e.*scope/.test(m)) return 'scope-licence';
  if (/scope/.test(m)) return 'scope';
  if (/behörighet|permission|not allowed|rights/.test(m)) return 'rights';
  return null;
}

const quote = (info: { code: number | null; message: string }) => `${info.message ? `"${info.message}"` : 'no message'}${info.code ? `, code ${info.code}` : ''}`;
