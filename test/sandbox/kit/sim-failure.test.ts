import { describe, expect, it } from 'vitest';
import { SimFailure, oauthErrorResponse, statusFailure } from '../../../sandbox/kit/index.ts';

describe('simulator failures', () => {
  it('render as {error, error_description} with their status and headers', () => {
    const f = new SimFailure(401, 'invalid_client', 'Client authentication failed.', { 'WWW-Authenticate': 'Basic realm="x"' });
    expect(oauthErrorResponse(f)).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="x"' },
      body: { error: 'invalid_client', error_description: 'Client authentication failed.' },
    });
  });

  it('name a bare status by its standard code', () => {
    expect(oauthErrorResponse(statusFailure(502, 'Injected fault: HTTP 502.')).body).toEqual({ error: 'bad_gateway', error_description: 'Injected fault: HTTP 502.' });
  });
});
