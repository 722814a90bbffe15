// The public face of extract/: readers that turn source files into ledger events, and the
// format details the file writers share with them.
export { readSaft, SAFT_NS, AnalysisTypeCoder, normaliseDecimal, parseIsoDate } from './saft/index.ts';
export { readSie, SieChecksum, RESERVED_DIMENSION_NAMES, toSieDate, encodeSieText, singleByteTable } from './sie/index.ts';
export { detectFileFormat, splitSetPart, type FileFormat } from './file-format.ts';
export { readFileChunks } from './file-chunks.ts';
export { FileFormatError, describeLocation } from './file-format-error.ts';
export { HttpClient, serverWait, type HttpClientOptions, type HttpResponse, type RatePolicy, type RetryPolicy } from './http-client.ts';
export { ProviderAuthError, ProviderHttpError } from './provider-error.ts';
export { CredentialStore, CredentialStoreError, KEY_ENV, type Secrets } from './credential-store.ts';
export type { Source, SourceStream, StreamSlice, PageProgress } from './source.ts';
export * from './tripletex/index.ts';
export * from './fiken/index.ts';
export { osloToday, addDays } from './calendar-date.ts';
