import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, providers } from '../../extract/index.ts';
import { connection, organizationSchema, providerSettings, UsageError } from '../../pipeline/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('connecting a configured organization', () => {
  it('says to run connect when the credentials are missing or incomplete, for every provider', async () => {
    const store = await CredentialStore.open(join(tempDir(), 'creds'), { LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 2).toString('base64') });
    for (const provider of providers) {
      const required = Object.fromEntries(provider.orgAddOptions.filter((o) => o.required).map((o) => [o.setting, 'a-slug']));
      const org = organizationSchema.parse({ provider: provider.id, [provider.id]: required });
      expect(providerSettings(org)).toEqual(provider.settings.parse(required));
      await expect(connection('acme', org, null)).rejects.toThrow(new UsageError('Organization "acme" has no stored credentials; run "ledgerhouse connect acme" first.'));
      await store.set('acme', { [provider.secrets[0]!.key]: 'only-one' });
      await expect(connection('acme', org, store)).rejects.toThrow(new UsageError('The stored credentials of "acme" are incomplete; run "ledgerhouse connect acme" again.'));
    }
  });
});
