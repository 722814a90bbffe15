export { fikenSource, fikenCompanies, type FikenSourceOptions } from './fiken-source.ts';
export { FikenSession, type TokenVault } from './fiken-session.ts';
export { FikenClient, fikenRate, FIKEN_AUTH_HINT } from './fiken-client.ts';
export { FIKEN_URLS, ConsentError, ConsentFlowError, authorizationUrl, codeFromRedirect, exchangeCode, newState, refreshTokens, type FikenApp, type FikenTokens } from './fiken-oauth.ts';
export { FikenDataError } from './fiken-mapping.ts';
