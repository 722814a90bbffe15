export { fennoaProvider, type FennoaSettings, type FennoaOrgConfig } from './fennoa-provider.ts';
export { fennoaSource, checkFennoaAccess, type FennoaSourceOptions } from './fennoa-source.ts';
export { FennoaClient, FENNOA_BASE_URL, FENNOA_PAGE_SIZE, FENNOA_AUTH_HINT, fennoaRate, refusalHint, type FennoaCredentials, type FennoaClientOptions } from './fennoa-client.ts';
export { FennoaShapeError, FieldReport } from './fennoa-fields.ts';
