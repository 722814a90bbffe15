import { describe, expect, it } from 'vitest';
import { reasonPhrase, statusCode } from '../../../sandbox/kit/index.ts';

describe('HTTP status names', () => {
  it('gives the standard reason phrase and a machine code made from it', () => {
    expect([reasonPhrase(429), statusCode(429)]).toEqual(['Too Many Requests', 'too_many_requests']);
    expect([reasonPhrase(503), statusCode(503)]).toEqual(['Service Unavailable', 'service_unavailable']);
    expect(statusCode(415)).toBe('unsupported_media_type');
  });

  it('falls back for a status without a standard name', () => {
    expect([reasonPhrase(599), statusCode(599)]).toEqual(['HTTP 599', 'error']);
  });
});
