// Fiken documents no error body for its API (only the OAuth token endpoint's
// `{error, error_description}`), so every error here uses that one small shape: a client can
// log it, and none should parse more out of it.
import type { SimResponse } from '../kit/http-server.ts';

export class FikenFailure extends Error {
  constructor(
    readonly status: number,
    /** Machine code: an OAuth error code (`invalid_grant`) or a short API code (`forbidden`). */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function failureResponse(f: FikenFailure): SimResponse {
  return { status: f.status, headers: f.headers, body: { error: f.code, error_description: f.message } };
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** The error answer for a status with no more specific cause (injected faults, unparseable paths). */
export function statusFailure(status: number, message: string): FikenFailure {
  return new FikenFailure(status, CODES[status] ?? 'error', message);
}

export const badRequest = (message: string) => new FikenFailure(400, 'bad_request', message);
export const notFound = (message: string) => new FikenFailure(404, 'not_found', message);
