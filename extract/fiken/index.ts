export { fikenSource, fikenCompanies, type FikenSourceOptions } from './fiken-source.ts';
export { FikenClient, fikenRate, FIKEN_AUTH_HINT } from './fiken-client.ts';
export { fikenProvider, fikenApp, FIKEN_URLS, type FikenSettings, type FikenOrgConfig } from './fiken-provider.ts';
export { FikenDataError } from './fiken-mapping.ts';
