// The public face of extract/: the provider registry and connectors, and the kits they share
// (HTTP, OAuth2, credentials, the Source contract).
export * from './http/index.ts';
export { CredentialStore, CredentialStoreError, KEY_ENV, type Secrets } from './credential-store.ts';
export { StreamContractError, type Source, type SourceFiscalYear, type SourceStream, type StreamEvent, type StreamSlice, type PageProgress, type DocumentSink, type StoredDocument, type HeldDocument } from './source.ts';
export * from './oauth2/index.ts';
export * from './provider.ts';
export * from './providers.ts';
export * from './tripletex/index.ts';
export * from './fiken/index.ts';
export * from './fortnox/index.ts';
export * from './fennoa/index.ts';
