import type { OAuth2ProviderName } from './oauth2-app.ts';

/**
 * The person's consent is gone (revoked at the provider, or the refresh token expired or was
 * used up): only a new consent helps, and the message says how to give it.
 */
export class ConsentError extends Error {
  override readonly name = 'ConsentError';
  constructor(
    readonly provider: OAuth2ProviderName,
    readonly orgHint: string,
    why: string,
  ) {
    super(`${provider.id}: re-consent needed: ${why}; run "ledgerhouse connect ${orgHint}" and approve ledgerhouse in ${provider.label} again.`);
  }
}

/** The consent could not be completed (refused, a stale or foreign address): nothing was stored. */
export class ConsentFlowError extends Error {
  override readonly name = 'ConsentFlowError';
  constructor(
    readonly provider: OAuth2ProviderName,
    why: string,
  ) {
    super(`The ${provider.label} consent failed: ${why}`);
  }
}
