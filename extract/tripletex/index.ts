export { tripletexSource, tripletexCompanies, type ReachableCompany } from './tripletex-source.ts';
export { TripletexClient, TRIPLETEX_BASE_URLS, TRIPLETEX_AUTH_HINT, tripletexRate, type TripletexCredentials, type TripletexClientOptions } from './tripletex-client.ts';
export { TripletexDataError } from './tripletex-mapping.ts';
