import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl, ConsentError, CredentialStore, credentialVault, exchangeCode, OAuth2Session, refreshTokens, tokenSecrets, type TokenVault } from '../../../extract/index.ts';
import { FixedClock } from '../../../model/index.ts';
import type { FikenSimulator } from '../../../sandbox/index.ts';
import { approve, oauthServer } from '../../helpers/oauth2-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const redirectUri = 'https://example.invalid/callback';
const env = { LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') };

describe('an OAuth2 session over the credential store', () => {
  const clock = new FixedClock('2026-11-22T08:00:00Z');
  let server: Awaited<ReturnType<typeof oauthServer>>;
  let sim: FikenSimulator;
  beforeAll(async () => {
    server = await oauthServer(clock);
    sim = server.sim;
  });
  afterAll(() => sim?.close());

  /** A consented organization in a fresh store. */
  async function connected() {
    const app = server.app();
    const tokens = await exchangeCode(app, await approve(authorizationUrl(app, redirectUri, 's')), redirectUri, 'acme', { clock });
    const store = await CredentialStore.open(join(tempDir(), 'creds'), env);
    await store.set('acme', { clientId: app.clientId, clientSecret: app.clientSecret, ...tokenSecrets(tokens) });
    return { app, tokens, store };
  }

  it('uses the stored access token until it nears its expiry on the clock, then refreshes and stores the rotated pair first', async () => {
    const { app, tokens, store } = await connected();
    const writes: string[] = [];
    const vault = credentialVault(store, 'acme');
    const watched: TokenVault = { ...vault, write: async (t) => (writes.push(t.refreshToken), vault.write(t)) };
    const session = new OAuth2Session(app, watched, 'acme', { clock });
    expect(await session.accessToken()).toBe(tokens.accessToken);
    sim.resetStats();
    clock.advance(86_157_000 - 4 * 60_000); // four minutes before it lapses
    const fresh = await session.accessToken();
    expect(fresh).not.toBe(tokens.accessToken);
    expect(sim.stats().refreshes).toBe(1);
    const stored = (await store.get('acme'))!;
    expect(stored.accessToken).toBe(fresh);
    expect(writes).toEqual([stored.refreshToken]);
    expect(stored.clientSecret).toBe(app.clientSecret); // the app's credentials stay beside the tokens
    expect(await session.accessToken()).toBe(fresh);
    expect(sim.stats().refreshes).toBe(1);
    for (const secret of [app.clientSecret, fresh, stored.refreshToken!]) expect(session.secrets()).toContain(secret);
  });

  it('two sessions that find the token rejected at once refresh once, under the lock', async () => {
    const { app, tokens, store } = await connected();
    sim.resetStats();
    const sessions = [0, 1].map(() => new OAuth2Session(app, credentialVault(store, 'acme'), 'acme', { clock }));
    const fresh = await Promise.all(sessions.map((s) => s.refresh(tokens.accessToken)));
    expect(fresh[0]).toBe(fresh[1]);
    expect(sim.stats().refreshes).toBe(1);
  });

  it('goes on after a run died between refreshing and storing, while the old refresh token is in its grace', async () => {
    const { app, tokens, store } = await connected();
    await refreshTokens(app, tokens.refreshToken, 'acme', { clock }); // answered, never stored
    const session = new OAuth2Session(app, credentialVault(store, 'acme'), 'acme', { clock });
    const fresh = await session.refresh(tokens.accessToken);
    expect((await store.get('acme'))!.accessToken).toBe(fresh);
  });

  it('without tokens, or with a revoked consent, asks for a new consent', async () => {
    const store = await CredentialStore.open(join(tempDir(), 'creds'), env);
    const none = new OAuth2Session(server.app(), credentialVault(store, 'acme'), 'acme', { clock });
    await expect(none.accessToken()).rejects.toThrow('fiken: re-consent needed: no Fiken tokens are stored for this organization; run "ledgerhouse connect acme"');
    const { app, tokens, store: consented } = await connected();
    const session = new OAuth2Session({ ...app, rotation: 'immediate' }, credentialVault(consented, 'acme'), 'acme', { clock });
    sim.revokeConsent();
    const failure = await session.refresh(tokens.accessToken).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConsentError);
    expect((failure as Error).message).toContain('(the consent was revoked or expired, or a run stopped between refreshing and storing the new token)');
    expect(session.consentLost('why').message).toBe('fiken: re-consent needed: why; run "ledgerhouse connect acme" and approve ledgerhouse in Fiken again.');
  });
});
