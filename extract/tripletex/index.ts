export { tripletexSource, tripletexCompanies, type ReachableCompany as TripletexCompany } from './tripletex-source.ts';
export { TripletexClient, TRIPLETEX_BASE_URLS, TRIPLETEX_AUTH_HINT, tripletexRate, type TripletexCredentials, type TripletexClientOptions } from './tripletex-client.ts';
export { tripletexProvider, type TripletexSettings } from './tripletex-provider.ts';
export { TripletexDataError } from './tripletex-mapping.ts';
