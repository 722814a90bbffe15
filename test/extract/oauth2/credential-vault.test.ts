import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, credentialVault, tokenSecrets } from '../../../extract/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

describe('tokens in the credential store', () => {
  it('reads none until both tokens are stored, and writes them beside the app credentials', async () => {
    const store = await CredentialStore.open(join(tempDir(), 'creds'), { LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 5).toString('base64') });
    await store.set('acme', { clientId: 'id', clientSecret: 'secret' });
    const vault = credentialVault(store, 'acme');
    expect(await vault.read()).toBeNull();
    const tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: 1_790_000_000_000 };
    await vault.exclusive(() => vault.write(tokens));
    expect(await vault.read()).toEqual(tokens);
    expect(await store.get('acme')).toEqual({ clientId: 'id', clientSecret: 'secret', ...tokenSecrets(tokens) });
    expect(tokenSecrets(tokens)).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: '1790000000000' });
  });
});
