import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../../model/index.ts';
import {
  GrantStore, HttpSimulator, Router, SimFailure, bearerToken, oauthErrorResponse, oauthRoutes, statusFailure, type OAuthRoute, type RefreshRotation, type SimRequest, type SimResponse,
} from '../../../sandbox/kit/index.ts';

const REDIRECT = 'http://127.0.0.1:5555/callback';
const sims: HttpSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

/** A minimal provider on the kit: the OAuth server plus one API path behind bearer tokens. */
async function provider(rotation: RefreshRotation, decline = false) {
  const clock = new FixedClock('2026-11-22');
  const grants = new GrantStore<{ scopes: string[] }>({ clientId: 'app', clientSecret: 's3cret', accessTokenTtlSeconds: 3600, codeTtlSeconds: 600, rotation, clock });
  const router = new Router<OAuthRoute | 'api'>();
  const routes = oauthRoutes(grants, {
    paths: { authorize: '/oauth-v1/auth', token: '/oauth-v1/token', revoke: '/oauth-v1/revoke' },
    realm: 'sandbox',
    consent: (q) => (decline ? null : { scopes: (q.get('scope') ?? '').split(' ') }),
  });
  for (const r of routes) router.add(r.method, r.pattern, r);
  router.add('GET', '/api/me', 'api');
  const handle = (req: SimRequest): SimResponse => {
    const m = router.match(req.method, req.path);
    if (m.kind !== 'found') return { status: 404 };
    if (m.handler !== 'api') return m.handler.handle(req);
    try {
      return { status: 200, body: grants.authenticate(bearerToken(req)).approval };
    } catch (error) {
      if (!(error instanceof SimFailure)) throw error;
      return oauthErrorResponse(error);
    }
  };
  const sim = await HttpSimulator.start({ basePath: '', requestIdHeader: 'x-request-id', moneyScale: 2, handle, errorResponse: (s, m) => oauthErrorResponse(statusFailure(s, m)) });
  sims.push(sim);
  return { sim, clock };
}

async function authorize(sim: HttpSimulator, query: Record<string, string>) {
  const r = await request(`${sim.origin}/oauth-v1/auth?${new URLSearchParams(query)}`);
  await r.body.dump();
  return { status: r.statusCode, location: new URL(String(r.headers.location ?? 'http://none/')) };
}

async function token(sim: HttpSimulator, form: Record<string, string>, secret = 's3cret') {
  const r = await request(`${sim.origin}/oauth-v1/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`app:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: r.statusCode, headers: r.headers, body: (await r.body.json()) as Record<string, string> };
}

async function me(sim: HttpSimulator, accessToken: string) {
  const r = await request(`${sim.origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: r.statusCode, body: await r.body.json() };
}

describe('the kit\'s OAuth2 authorization server over HTTP', () => {
  it('runs consent, code exchange and immediate rotation as Fortnox does', async () => {
    const { sim } = await provider('immediate');
    const consent = await authorize(sim, { response_type: 'code', client_id: 'app', redirect_uri: REDIRECT, state: 'xyz', scope: 'bookkeeping companyinformation' });
    expect(consent.status).toBe(302);
    expect(consent.location.origin + consent.location.pathname).toBe(REDIRECT);
    expect(consent.location.searchParams.get('state')).toBe('xyz');
    const first = await token(sim, { grant_type: 'authorization_code', code: consent.location.searchParams.get('code')!, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(await me(sim, first.body.access_token!)).toEqual({ status: 200, body: { scopes: ['bookkeeping', 'companyinformation'] } });

    const second = await token(sim, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect(second.status).toBe(200);
    const reused = await token(sim, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect([reused.status, reused.body.error]).toEqual([400, 'invalid_grant']);
  });

  it('keeps the old refresh token for a grace under the grace policy, as Fiken does', async () => {
    const { sim } = await provider('grace');
    const consent = await authorize(sim, { response_type: 'code', client_id: 'app', redirect_uri: REDIRECT, state: 's' });
    const first = await token(sim, { grant_type: 'authorization_code', code: consent.location.searchParams.get('code')!, redirect_uri: REDIRECT });
    await token(sim, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    const again = await token(sim, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect(again.status).toBe(200);
  });

  it('redirects a declined consent with access_denied, and never redirects for an unknown client', async () => {
    const { sim } = await provider('immediate', true);
    const declined = await authorize(sim, { response_type: 'code', client_id: 'app', redirect_uri: REDIRECT, state: 's' });
    expect([declined.status, declined.location.searchParams.get('error'), declined.location.searchParams.get('code')]).toEqual([302, 'access_denied', null]);
    const stranger = await authorize(sim, { response_type: 'code', client_id: 'other', redirect_uri: REDIRECT, state: 's' });
    expect(stranger.status).toBe(400);
  });

  it('refuses a wrong client secret with the realm\'s challenge, and revokes by bearer token', async () => {
    const { sim, clock } = await provider('grace');
    const bad = await token(sim, { grant_type: 'refresh_token', refresh_token: 'x' }, 'wrong');
    expect([bad.status, bad.body.error, bad.headers['www-authenticate']]).toEqual([401, 'invalid_client', 'Basic realm="sandbox"']);
    const consent = await authorize(sim, { response_type: 'code', client_id: 'app', redirect_uri: REDIRECT, state: 's' });
    const set = await token(sim, { grant_type: 'authorization_code', code: consent.location.searchParams.get('code')!, redirect_uri: REDIRECT });
    clock.advance(3_600_000); // expiry follows the injected clock
    expect((await me(sim, set.body.access_token!)).status).toBe(401);
    const fresh = await token(sim, { grant_type: 'refresh_token', refresh_token: set.body.refresh_token! });
    const revoked = await request(`${sim.origin}/oauth-v1/revoke`, { method: 'POST', headers: { authorization: `Bearer ${fresh.body.access_token}` } });
    expect(revoked.statusCode).toBe(200);
    await revoked.body.dump();
    expect((await me(sim, fresh.body.access_token!)).status).toBe(401);
  });
});
