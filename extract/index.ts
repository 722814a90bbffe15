// The public face of extract/: the provider connectors and the kits they share (HTTP,
// credentials, the Source contract).
export { HttpClient, serverWait, type HttpClientOptions, type HttpResponse, type RatePolicy, type RetryPolicy } from './http/http-client.ts';
export { ProviderAuthError, ProviderHttpError } from './http/provider-error.ts';
export { CredentialStore, CredentialStoreError, KEY_ENV, type Secrets } from './credential-store.ts';
export { StreamContractError, type Source, type SourceFiscalYear, type SourceStream, type StreamEvent, type StreamSlice, type PageProgress } from './source.ts';
export * from './tripletex/index.ts';
export * from './fiken/index.ts';
