import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, codeFromRedirect, ConsentError, ConsentFlowError, exchangeCode, ProviderAuthError, ProviderHttpError, refreshTokens } from '../../../extract/index.ts';
import { FixedClock } from '../../../model/index.ts';
import type { FikenSimulator } from '../../../sandbox/index.ts';
import { approve, oauthServer } from '../../helpers/oauth2-server.ts';

const redirectUri = 'https://example.invalid/callback';
const retry = { baseDelayMs: 5, maxDelayMs: 20, maxRetryTimeMs: 5_000 };

describe('the OAuth2 token endpoint, against the Fiken simulator', () => {
  const clock = new FixedClock('2026-11-22');
  let server: Awaited<ReturnType<typeof oauthServer>>;
  let sim: FikenSimulator;
  beforeAll(async () => {
    server = await oauthServer(clock);
    sim = server.sim;
  });
  afterAll(() => sim?.close());

  const consent = async (log?: (line: string) => void) => {
    const app = server.app();
    const code = await approve(authorizationUrl(app, redirectUri, 'st'));
    return { app, tokens: await exchangeCode(app, code, redirectUri, 'acme', { clock, log, retry }) };
  };

  it('exchanges a code for tokens expiring on the given clock, through the shared client: logged, redacted', async () => {
    const log: string[] = [];
    const { app, tokens } = await consent((line) => log.push(line));
    expect(tokens.expiresAt).toBe(clock.now() + 86_157_000);
    expect(log).toEqual([expect.stringMatching(/^\[fiken\] POST \/oauth\/token 200 \(\d+ ms\)$/)]);
    for (const secret of [app.clientSecret, tokens.accessToken, tokens.refreshToken]) expect(log.join('\n')).not.toContain(secret);
  });

  it('rotates the refresh token, and a refused one is a consent to give again', async () => {
    const { app, tokens } = await consent();
    const next = await refreshTokens(app, tokens.refreshToken, 'acme', { clock, retry });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    sim.revokeConsent();
    const failure = await refreshTokens(app, next.refreshToken, 'acme', { clock, retry }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConsentError);
    expect((failure as Error).message).toBe(
      'fiken: re-consent needed: Fiken no longer accepts the stored refresh token (the consent was revoked or expired); run "ledgerhouse connect acme" and approve ledgerhouse in Fiken again.',
    );
  });

  it('a refused code or client says what to do; the client secret never shows', async () => {
    const app = server.app();
    const used = await exchangeCode(app, 'no-such-code', redirectUri, 'acme', { clock, retry }).catch((e: unknown) => e);
    expect(used).toBeInstanceOf(ConsentError);
    expect((used as Error).message).toContain('the authorization code was refused (it is single-use and short-lived)');
    const wrong = { ...app, clientSecret: 'wrong-secret-text' };
    const refused = await exchangeCode(wrong, 'x', redirectUri, 'acme', { clock, retry }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderAuthError);
    expect((refused as Error).message).toMatch(/^fiken: POST \/oauth\/token answered 401: .*check FIKEN_CLIENT_ID and FIKEN_CLIENT_SECRET and run "ledgerhouse connect acme" again\.$/);
    expect((refused as Error).message).not.toContain('wrong-secret-text');
  });

  it('retries a refresh that failed in transit when the old token survives it (grace), never when it dies at first use (immediate)', async () => {
    const { app, tokens } = await consent();
    sim.faults.inject({ kind: 'status', status: 503, count: 1, path: /oauth\/token/ });
    const graced = await refreshTokens(app, tokens.refreshToken, 'acme', { clock, retry });
    expect(graced.accessToken).toMatch(/.{20}/);
    sim.faults.inject({ kind: 'status', status: 503, count: 1, path: /oauth\/token/ });
    const once = await refreshTokens({ ...app, rotation: 'immediate' }, graced.refreshToken, 'acme', { clock, retry }).catch((e: unknown) => e);
    sim.faults.clear();
    expect(once).toBeInstanceOf(ProviderHttpError);
    expect((once as ProviderHttpError).status).toBe(503);
  });

  it('takes the code from the redirect only with our state, and names a refusal', () => {
    const app = server.app();
    expect(codeFromRedirect(app, `${redirectUri}?code=abc&state=ours`, 'ours')).toBe('abc');
    expect(() => codeFromRedirect(app, `${redirectUri}?code=abc&state=theirs`, 'ours')).toThrow(
      new ConsentFlowError(app.provider, 'the address is from another consent attempt (its state does not match); start "ledgerhouse connect" again.'),
    );
    expect(() => codeFromRedirect(app, `${redirectUri}?error=access_denied&state=ours`, 'ours')).toThrow('The Fiken consent failed: the access was refused in Fiken; nothing was stored.');
    expect(() => codeFromRedirect(app, 'not a url', 'ours')).toThrow(ConsentFlowError);
    const url = new URL(authorizationUrl({ ...app, authorizeParams: { scope: 'bookkeeping', access_type: 'offline' } }, redirectUri, 'st'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: 'code', client_id: app.clientId, redirect_uri: redirectUri, state: 'st', scope: 'bookkeeping', access_type: 'offline' });
  });
});
