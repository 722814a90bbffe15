// Fiken documents no error body for its API (only the OAuth token endpoint's
// `{error, error_description}`), so every error here is the kit's `SimFailure` in that one
// small shape (`oauthErrorResponse`): a client can log it, and none should parse more out of it.
import { SimFailure } from '../kit/index.ts';

export const badRequest = (message: string) => new SimFailure(400, 'bad_request', message);
export const notFound = (message: string) => new SimFailure(404, 'not_found', message);
