// The error a simulator's handler throws for a provider to render: a status, a machine code
// and a message. OAuth2 endpoints (RFC 6749 §5.2) and providers that document no error body of
// their own render it as `{error, error_description}`.
import { statusCode } from './http-status.ts';
import type { SimResponse } from './http-server.ts';

export class SimFailure extends Error {
  constructor(
    readonly status: number,
    /** Machine code: an OAuth error (`invalid_grant`) or a short API code (`forbidden`). */
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `{error, error_description}` with the failure's status and headers. */
export function oauthErrorResponse(f: SimFailure): SimResponse {
  return { status: f.status, headers: f.headers, body: { error: f.code, error_description: f.message } };
}

/** The failure for a status with no more specific cause (injected faults, unparseable paths). */
export function statusFailure(status: number, message: string): SimFailure {
  return new SimFailure(status, statusCode(status), message);
}
