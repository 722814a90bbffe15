import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProvider, providerIds, providers as registry, type AnyProvider } from '../../extract/index.ts';

const providers: readonly AnyProvider[] = registry;
import { sandboxes } from '../../sandbox/index.ts';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the provider registry', () => {
  it('lists each provider once, with secrets named for the store and the environment', () => {
    expect(new Set(providerIds).size).toBe(registry.length);
    for (const p of providers) {
      expect(findProvider(p.id)).toBe(p);
      expect(p.secrets.length).toBeGreaterThan(0);
      for (const f of p.secrets) expect(f.env).toMatch(new RegExp(`^${p.id.toUpperCase()}_[A-Z_]+$`));
      // An OAuth2 provider's app credentials are the kit's clientId and clientSecret.
      if (p.auth.kind === 'oauth2') expect(p.secrets.map((f) => f.key)).toEqual(['clientId', 'clientSecret']);
    }
    expect(findProvider('nobody')).toBeNull();
  });

  it("maps every org add option to a setting its schema accepts, and refuses settings it does not know", () => {
    for (const p of providers) {
      const required = Object.fromEntries(p.orgAddOptions.filter((o) => o.required).map((o) => [o.setting, 'a-slug']));
      for (const o of p.orgAddOptions) {
        const value = o.numeric ? 7 : o.value.includes('|') ? o.value.split('|')[0] : o.value === '<url>' ? 'http://127.0.0.1:9/x' : 'a-slug';
        const parsed = p.settings.safeParse({ ...required, [o.setting]: value });
        expect(parsed.success, `${p.id} --${o.name}`).toBe(true);
        expect((parsed.data as Record<string, unknown>)[o.setting]).toEqual(value);
      }
      expect(p.settings.safeParse({ ...required, notASetting: 1 }).success).toBe(false);
      expect(p.describeTarget(p.settings.parse(required))).not.toBe('');
    }
  });

  it('has a simulator for every provider', () => {
    expect(Object.keys(sandboxes).sort()).toEqual([...providerIds].sort());
  });

  it('leaves cli/ and pipeline/ without a word of any provider: adding one touches only its own folders and the registries', () => {
    const named = new RegExp(providerIds.join('|'), 'i');
    const offenders = ['cli', 'pipeline'].flatMap((folder) =>
      sourceFiles(join(root, folder)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (named.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
