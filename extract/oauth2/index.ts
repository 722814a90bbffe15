// The OAuth2 kit every OAuth provider shares: token endpoint, rotating session, consent.
export type { OAuth2App, OAuth2ProviderName, OAuth2Tokens, RefreshRotation } from './oauth2-app.ts';
export { ConsentError, ConsentFlowError } from './consent-error.ts';
export { authorizationUrl, codeFromRedirect, exchangeCode, newState, refreshTokens, type TokenEndpointOptions } from './token-endpoint.ts';
export { OAuth2Session, type TokenVault } from './oauth2-session.ts';
export { credentialVault, tokenSecrets } from './credential-vault.ts';
export { oauth2Consent, consentExplanation, type ConsentOptions, type ConsentLink } from './consent-listener.ts';
