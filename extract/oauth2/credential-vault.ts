import type { CredentialStore, Secrets } from '../credential-store.ts';
import type { OAuth2Tokens } from './oauth2-app.ts';
import type { TokenVault } from './oauth2-session.ts';

/** Tokens as the credential store keeps them, beside the app's credentials. */
export function tokenSecrets(tokens: OAuth2Tokens): Secrets {
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: String(tokens.expiresAt) };
}

/** An organization's tokens in the encrypted store, refreshed under its lock. */
export function credentialVault(store: CredentialStore, orgId: string): TokenVault {
  return {
    async read() {
      const s = await store.get(orgId);
      return s?.accessToken && s.refreshToken ? { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: Number(s.expiresAt) } : null;
    },
    // Called under `exclusive`: the read-change-write cannot interleave with another run's.
    async write(tokens) {
      await store.set(orgId, { ...(await store.get(orgId)), ...tokenSecrets(tokens) });
    },
    exclusive: (work) => store.exclusive(work),
  };
}
