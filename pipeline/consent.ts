import { oauth2Consent, providerOf, tokenSecrets, type ConsentOptions, type Secrets } from '../extract/index.ts';
import type { OrganizationConfig } from './config.ts';
import { providerSettings } from './connectors.ts';

/** Does connecting this organization take a person's consent in the browser (an OAuth2 provider)? */
export function needsConsent(org: OrganizationConfig): boolean {
  return providerOf(org).auth.kind === 'oauth2';
}

/**
 * The consent for an OAuth2 provider's organization, given the app's credentials just read:
 * the tokens to store beside them. Providers without one give nothing more to store.
 */
export async function giveConsent(org: OrganizationConfig, appSecrets: Secrets, options: Omit<ConsentOptions, 'timeoutMs'> & { timeoutMs?: number }): Promise<Secrets> {
  const { auth } = providerOf(org);
  if (auth.kind !== 'oauth2') return {};
  const app = auth.app(providerSettings(org), { clientId: appSecrets.clientId ?? '', clientSecret: appSecrets.clientSecret ?? '' });
  return tokenSecrets(await oauth2Consent(app, options));
}
