import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../../model/index.ts';
import { GrantStore, SimFailure, type RefreshRotation } from '../../../sandbox/kit/index.ts';

const REDIRECT = 'http://127.0.0.1:5555/callback';

function store(rotation: RefreshRotation, clock = new FixedClock('2026-11-22'), more: { refreshTokenTtlSeconds?: number } = {}) {
  return new GrantStore<{ tenant: string }>({ clientId: 'id', clientSecret: 'secret', accessTokenTtlSeconds: 3600, codeTtlSeconds: 600, rotation, clock, ...more });
}

/** The OAuth error code a call fails with. */
const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof SimFailure) return `${error.status} ${error.code}`;
    throw error;
  }
  return 'ok';
};

describe('the OAuth2 grant store', () => {
  it('exchanges a code once, for the redirect and state it was issued with', () => {
    const grants = store('grace');
    const c = grants.authorize(REDIRECT, 's1', { tenant: 'acme' });
    expect(code(() => grants.exchangeCode(c, 'http://elsewhere/cb', 's1'))).toBe('400 invalid_grant');
    // single use, even after a failed exchange
    expect(code(() => grants.exchangeCode(c, REDIRECT, 's1'))).toBe('400 invalid_grant');
    const c2 = grants.authorize(REDIRECT, 's2', { tenant: 'acme' });
    const set = grants.exchangeCode(c2, REDIRECT, 's2');
    expect(set).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(set.access_token).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(grants.authenticate(set.access_token).approval).toEqual({ tenant: 'acme' });
    expect(grants.clientMatches('id', 'secret') && !grants.clientMatches('id', 'secre')).toBe(true);
  });

  it('reads code and token expiry from the injected clock, not the machine\'s', () => {
    const clock = new FixedClock('2026-11-22');
    const grants = store('grace', clock);
    const late = grants.authorize(REDIRECT, 's', { tenant: 'a' });
    clock.advance(600_000);
    expect(code(() => grants.exchangeCode(late, REDIRECT, 's'))).toBe('400 invalid_grant');
    const set = grants.exchangeCode(grants.authorize(REDIRECT, 's', { tenant: 'a' }), REDIRECT, 's');
    clock.advance(3_599_000);
    expect(code(() => grants.authenticate(set.access_token))).toBe('ok');
    clock.advance(1_000);
    expect(code(() => grants.authenticate(set.access_token))).toBe('401 invalid_token');
    expect(code(() => grants.refreshGrant(set.refresh_token))).toBe('ok');
  });

  it('grace rotation: the old refresh token works until the new pair is first used', () => {
    const grants = store('grace');
    const t0 = grants.exchangeCode(grants.authorize(REDIRECT, 's', { tenant: 'a' }), REDIRECT, 's');
    const lost = grants.refreshGrant(t0.refresh_token);
    const retry = grants.refreshGrant(t0.refresh_token); // the client never stored `lost`
    expect(code(() => grants.refreshGrant(lost.refresh_token))).toBe('400 invalid_grant');
    expect(code(() => grants.authenticate(lost.access_token))).toBe('401 invalid_token');
    grants.authenticate(retry.access_token);
    expect(code(() => grants.refreshGrant(t0.refresh_token))).toBe('400 invalid_grant');
    expect(grants.refreshes).toBe(2);
  });

  it('immediate rotation: the old refresh token is invalid at once', () => {
    const grants = store('immediate');
    const t0 = grants.exchangeCode(grants.authorize(REDIRECT, 's', { tenant: 'a' }), REDIRECT, 's');
    const t1 = grants.refreshGrant(t0.refresh_token);
    expect(code(() => grants.refreshGrant(t0.refresh_token))).toBe('400 invalid_grant');
    // The access token of the old pair lives out its time; the new pair works.
    expect(code(() => grants.authenticate(t0.access_token))).toBe('ok');
    expect(code(() => grants.refreshGrant(t1.refresh_token))).toBe('ok');
  });

  it('ends refresh tokens at their lifetime, and every token at revocation', () => {
    const clock = new FixedClock('2026-11-22');
    const grants = store('immediate', clock, { refreshTokenTtlSeconds: 45 * 86_400 });
    const t0 = grants.exchangeCode(grants.authorize(REDIRECT, 's', { tenant: 'a' }), REDIRECT, 's');
    clock.advance(45 * 86_400_000);
    expect(code(() => grants.refreshGrant(t0.refresh_token))).toBe('400 invalid_grant');
    const t1 = grants.exchangeCode(grants.authorize(REDIRECT, 's', { tenant: 'a' }), REDIRECT, 's');
    grants.revokeAll();
    expect(code(() => grants.authenticate(t1.access_token))).toBe('401 invalid_token');
    expect(code(() => grants.refreshGrant(t1.refresh_token))).toBe('400 invalid_grant');
  });
});
