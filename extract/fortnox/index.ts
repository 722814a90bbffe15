// The public face of extract/fortnox/: the descriptor, the source and what tests check of them.
export { fortnoxProvider, fortnoxApp, fortnoxRedirectError, FORTNOX_URLS, FORTNOX_SCOPES, FORTNOX_READS, type FortnoxSettings, type FortnoxOrgConfig } from './fortnox-provider.ts';
export { fortnoxSource, type FortnoxSource, type FortnoxSourceOptions } from './fortnox-source.ts';
export { FortnoxClient, fortnoxRate, FORTNOX_PAGE_SIZE, type FortnoxPage } from './fortnox-client.ts';
export { FortnoxRefusalError, FORTNOX_CODES, FORTNOX_NAME, errorInformation, fortnoxRefusal } from './fortnox-errors.ts';
export { FortnoxDataError } from './fortnox-mapping.ts';
export { fetchOneByOne, exportCost, decodeCursor, encodeCursor, lastModifiedSince, SIE_EXPORT_BYTES_PER_SECOND, LASTMODIFIED_OVERLAP_MS, type LedgerCursor } from './fortnox-read-plan.ts';
export type { LedgerReadPlan } from './fortnox-ledger.ts';
