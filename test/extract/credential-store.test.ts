import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, CredentialStoreError, KEY_ENV } from '../../extract/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const secrets = { employeeToken: 'eyJ-employee-token-9d8f7a6b', consumerToken: 'consumer-5e4d3c2b' };
const noKeyEnv = {};

async function expectRefused(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CredentialStoreError);
  expect((error as Error).message).toMatch(message);
  for (const secret of Object.values(secrets)) expect((error as Error).message).not.toContain(secret);
}

describe('credential store', () => {
  it('keeps secrets encrypted, in private files, and gives them back', async () => {
    const dir = tempDir();
    const store = await CredentialStore.open(dir, noKeyEnv);
    await store.set('acme', secrets);
    await store.set('other', { token: 'x' });
    expect(await store.get('acme')).toEqual(secrets);
    expect(await (await CredentialStore.open(dir, noKeyEnv)).get('other')).toEqual({ token: 'x' });
    expect(await store.get('nobody')).toBeNull();
    const raw = readFileSync(store.path, 'utf8');
    for (const secret of Object.values(secrets)) expect(raw).not.toContain(secret);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('forgets an organization', async () => {
    const store = await CredentialStore.open(tempDir(), noKeyEnv);
    await store.set('acme', secrets);
    expect(await store.forget('acme')).toBe(true);
    expect(await store.get('acme')).toBeNull();
    expect(await store.forget('acme')).toBe(false);
    for (const secret of Object.values(secrets)) expect(readFileSync(store.path, 'utf8')).not.toContain(secret);
  });

  it('takes its key from the environment, and refuses a wrong one', async () => {
    const dir = tempDir();
    const key = randomBytes(32).toString('base64');
    await (await CredentialStore.open(dir, { [KEY_ENV]: key })).set('acme', secrets);
    expect(await (await CredentialStore.open(dir, { [KEY_ENV]: key })).get('acme')).toEqual(secrets);
    const wrong = await CredentialStore.open(dir, { [KEY_ENV]: randomBytes(32).toString('base64') });
    await expectRefused(wrong.get('acme'), /cannot be opened: the key is not the one they were stored with, or the file was changed/);
    await expectRefused(CredentialStore.open(dir, { [KEY_ENV]: 'c2hvcnQ=' }), /must be 32 bytes in base64/);
  });

  it('detects a tampered entry and an entry moved to another organization', async () => {
    const dir = tempDir();
    const store = await CredentialStore.open(dir, noKeyEnv);
    await store.set('acme', secrets);
    await store.set('evil', { token: 'mine' });
    const file = JSON.parse(readFileSync(store.path, 'utf8'));
    const data = Buffer.from(file.entries.acme.data, 'base64');
    data[0]! ^= 1;
    writeFileSync(store.path, JSON.stringify({ ...file, entries: { ...file.entries, acme: { ...file.entries.acme, data: data.toString('base64') }, evil: file.entries.acme } }), { mode: 0o600 });
    await expectRefused(store.get('acme'), /was changed/);
    await expectRefused(store.get('evil'), /was changed/);
    writeFileSync(store.path, '{ not json', { mode: 0o600 });
    await expectRefused(store.get('acme'), /is not a ledgerhouse credential store/);
  });

  it('refuses a missing key for an existing store, and files others can read', async () => {
    const dir = tempDir();
    await (await CredentialStore.open(dir, noKeyEnv)).set('acme', secrets);
    chmodSync(join(dir, 'credentials.json'), 0o644);
    await expectRefused(CredentialStore.open(dir, noKeyEnv), /can be read by other users \(mode 644\); run "chmod 600/);
    chmodSync(join(dir, 'credentials.json'), 0o600);
    chmodSync(join(dir, 'secret.key'), 0o640);
    await expectRefused(CredentialStore.open(dir, noKeyEnv), /secret\.key can be read by other users/);
    rmSync(join(dir, 'secret.key'));
    await expectRefused(CredentialStore.open(dir, noKeyEnv), /The key for .*credentials\.json is missing: restore .*secret\.key or set LEDGERHOUSE_SECRET_KEY/);
  });

  it('lets one holder at a time read, change and write, and takes over a lock its holder left by dying', async () => {
    const dir = tempDir();
    const store = await CredentialStore.open(dir, noKeyEnv);
    await store.set('acme', { counter: '0' });
    const bump = () =>
      store.exclusive(async () => {
        const n = Number((await store.get('acme'))!.counter);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.set('acme', { counter: String(n + 1) });
      });
    await Promise.all(Array.from({ length: 8 }, bump));
    expect((await store.get('acme'))!.counter).toBe('8');

    // A lock whose process is gone (pid 2^22 + 1 is above Linux's pid limit) does not block.
    writeFileSync(join(dir, 'credentials.lock'), String(2 ** 22 + 1));
    await bump();
    expect((await store.get('acme'))!.counter).toBe('9');
  });

  it('never shows another holder an empty lock to judge by its age, so a clock far from the files\' times changes nothing', async () => {
    const dir = tempDir();
    const store = await CredentialStore.open(dir, noKeyEnv);
    const lockPath = join(dir, 'credentials.lock');
    const seen: string[] = [];
    let watching = true;
    // Look at the lock as often as the event loop lets us while holders come and go.
    const watch = (async () => {
      while (watching) {
        try {
          seen.push(readFileSync(lockPath, 'utf8'));
        } catch {
          // not held at this instant
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(Array.from({ length: 20 }, () => store.exclusive(async () => new Promise((resolve) => setTimeout(resolve, 2)))));
    watching = false;
    await watch;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((text) => text !== String(process.pid))).toEqual([]);
    // The claims beside the lock are gone with it.
    expect(readdirSync(dir).filter((name) => name.startsWith('credentials.lock'))).toEqual([]);
  });

  it('keeps organizations named like members of Object as any other, and a "__proto__" one as well', async () => {
    const dir = tempDir();
    const store = await CredentialStore.open(dir, noKeyEnv);
    expect(await store.get('constructor')).toBeNull();
    expect(await store.get('toString')).toBeNull();
    expect(await store.get('__proto__')).toBeNull();
    expect(await store.forget('hasOwnProperty')).toBe(false);
    await store.set('constructor', secrets);
    await store.set('__proto__', { token: 'proto-secret' });
    const reopened = await CredentialStore.open(dir, noKeyEnv);
    expect({ ...(await reopened.get('constructor')) }).toEqual(secrets);
    expect({ ...(await reopened.get('__proto__')) }).toEqual({ token: 'proto-secret' });
    expect(await reopened.get('toString')).toBeNull();
    expect(Object.keys(JSON.parse(readFileSync(store.path, 'utf8')).entries).sort()).toEqual(['__proto__', 'constructor']);
    expect(await reopened.forget('__proto__')).toBe(true);
    expect(await (await CredentialStore.open(dir, noKeyEnv)).get('__proto__')).toBeNull();
    expect({ ...(await reopened.get('constructor')) }).toEqual(secrets);
  });

  it('refuses a secrets folder others may write, and keeps every folder out of git', async () => {
    const dir = join(tempDir(), '.ledgerhouse');
    await CredentialStore.open(dir, noKeyEnv);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    for (const mode of [0o770, 0o702, 0o777]) {
      chmodSync(dir, mode);
      await expectRefused(CredentialStore.open(dir, noKeyEnv), new RegExp(`^The secrets folder ${dir} can be written by other users \\(mode ${mode.toString(8)}\\); run "chmod 700 ${dir}"`));
    }
    chmodSync(dir, 0o750);
    await CredentialStore.open(dir, noKeyEnv);
  });
});
