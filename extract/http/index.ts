// The public face of extract/http/: the HTTP client every connector shares and its errors.
export {
  HttpClient, serverWait, type BodyKind, type HttpClientOptions, type HttpResponse, type Query, type RatePolicy, type RequestOptions, type RetryPolicy, type TextOptions,
} from './http-client.ts';
export { ProviderAuthError, ProviderBodyError, ProviderHttpError } from './provider-error.ts';
