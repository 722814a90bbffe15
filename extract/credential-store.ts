import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomically } from '../model/index.ts';

/** The store could not be used; the message says why and what to do, never a secret. */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError';
}

export type Secrets = Record<string, string>;

interface SealedEntry {
  iv: string;
  tag: string;
  data: string;
}

interface StoreFile {
  version: 1;
  entries: Record<string, SealedEntry>;
}

export const KEY_ENV = 'LEDGERHOUSE_SECRET_KEY';
const STORE_FILE = 'credentials.json';
const KEY_FILE = 'secret.key';
const LOCK_FILE = 'credentials.lock';
const PRIVATE = 0o600;

/**
 * Secrets (API tokens, refresh tokens) per organization, encrypted at rest with AES-256-GCM.
 * The key comes from $LEDGERHOUSE_SECRET_KEY (32 bytes, base64) or a key file beside the
 * store, created with mode 0600. Each entry is bound to its organization (GCM additional
 * data), so a tampered or swapped entry fails to open instead of yielding wrong secrets.
 */
export class CredentialStore {
  private constructor(
    readonly dir: string,
    private readonly key: Buffer,
  ) {}

  static async open(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<CredentialStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await requireNotWritableByOthers(dir);
    await keepOutOfGit(dir);
    const storePath = join(dir, STORE_FILE);
    const storeExists = await exists(storePath);
    if (storeExists) await requirePrivate(storePath);
    return new CredentialStore(dir, await loadKey(dir, env, storeExists));
  }

  get path(): string {
    return join(this.dir, STORE_FILE);
  }

  async get(orgId: string): Promise<Secrets | null> {
    const entries = (await this.read()).entries;
    // Own entries only: "constructor" or "__proto__" is an organization like any other.
    const sealed = Object.hasOwn(entries, orgId) ? entries[orgId] : undefined;
    if (!sealed) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(orgId));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return Object.assign(Object.create(null) as Secrets, JSON.parse(plain.toString('utf8')) as Secrets);
    } catch {
      throw new CredentialStoreError(
        `The secrets of "${orgId}" in ${this.path} cannot be opened: the key is not the one they were stored with, or the file was changed. Set the right ${KEY_ENV}, or run "ledgerhouse connect ${orgId}" again.`,
      );
    }
  }

  async set(orgId: string, secrets: Secrets): Promise<void> {
    const store = await this.read();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(orgId));
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    store.entries[orgId] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    await this.write(store);
  }

  /**
   * Runs `work` holding the store's lock, across processes: two runs that both read, change
   * and write secrets (a token refresh) would otherwise lose one's change. A lock left by a
   * process that died is taken over.
   */
  async exclusive<T>(work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const lockPath = join(this.dir, LOCK_FILE);
    // The lock appears with its holder's pid already in it (written beside it, then linked),
    // so no other process ever sees it empty and has to guess from its age whether it is stale.
    const claim = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}`;
    await writeFile(claim, String(process.pid), { mode: PRIVATE, flag: 'wx' });
    const started = performance.now();
    try {
      for (;;) {
        try {
          await link(claim, lockPath);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          if (await lockIsStale(lockPath)) {
            await rm(lockPath, { force: true });
            continue;
          }
          if (performance.now() - started > timeoutMs) throw new CredentialStoreError(`${lockPath} has been held by another ledgerhouse process for over ${Math.round(timeoutMs / 1000)} s; if none is running, delete it.`);
          await sleep(50 + Math.random() * 100);
        }
      }
    } finally {
      await rm(claim, { force: true });
    }
    try {
      return await work();
    } finally {
      await rm(lockPath, { force: true });
    }
  }

  /** Deletes an organization's secrets; false when it had none. */
  async forget(orgId: string): Promise<boolean> {
    const store = await this.read();
    if (!Object.hasOwn(store.entries, orgId)) return false;
    delete store.entries[orgId];
    await this.write(store);
    return true;
  }

  private async read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: Object.create(null) as StoreFile['entries'] };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as StoreFile;
      if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) throw new Error('shape');
      // Without a prototype: an entry keyed "__proto__" is written as one, not as the object's prototype.
      return { version: 1, entries: Object.assign(Object.create(null) as StoreFile['entries'], parsed.entries) };
    } catch {
      throw new CredentialStoreError(`${this.path} is not a ledgerhouse credential store (it was changed or damaged); move it away and connect the organizations again.`);
    }
  }

  /** Written to a private temp file, flushed, then renamed over the store: never half a store. */
  private async write(store: StoreFile): Promise<void> {
    await writeFileAtomically(this.path, JSON.stringify(store, null, 2), { mode: PRIVATE });
  }
}

async function loadKey(dir: string, env: NodeJS.ProcessEnv, storeExists: boolean): Promise<Buffer> {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new CredentialStoreError(`${KEY_ENV} must be 32 bytes in base64 (44 characters), e.g. from "openssl rand -base64 32".`);
    return key;
  }
  const keyPath = join(dir, KEY_FILE);
  if (await exists(keyPath)) {
    await requirePrivate(keyPath);
    const key = await readFile(keyPath);
    if (key.length !== 32) throw new CredentialStoreError(`The key file ${keyPath} is damaged (it must hold 32 bytes); restore it from a backup or set ${KEY_ENV}.`);
    return key;
  }
  if (storeExists) {
    // A new key could not open the stored secrets: say so instead of quietly replacing them.
    throw new CredentialStoreError(`The key for ${join(dir, STORE_FILE)} is missing: restore ${keyPath} or set ${KEY_ENV}.`);
  }
  const key = randomBytes(32);
  const handle = await open(keyPath, 'wx', PRIVATE);
  try {
    await handle.writeFile(key);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return key;
}

/**
 * Whoever may write the folder may swap the key file or the store for their own: a group- or
 * world-writable secrets folder is refused, as a readable key file is.
 */
async function requireNotWritableByOthers(dir: string): Promise<void> {
  const { mode } = await stat(dir);
  if ((mode & 0o022) !== 0) {
    throw new CredentialStoreError(`The secrets folder ${dir} can be written by other users (mode ${(mode & 0o777).toString(8)}); run "chmod 700 ${dir}" and try again.`);
  }
}

/** The folder holds the key beside the secrets it opens: a configuration kept in git must not take them along. */
async function keepOutOfGit(dir: string): Promise<void> {
  await writeFile(join(dir, '.gitignore'), '# ledgerhouse: encrypted credentials and their key; never commit them.\n*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

async function requirePrivate(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new CredentialStoreError(`${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run "chmod 600 ${path}" and try again.`);
  }
}

/** The holder's pid is in the lock; a lock whose process is gone, or that names none, is stale. */
async function lockIsStale(lockPath: string): Promise<boolean> {
  const text = await readFile(lockPath, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : ''));
  // Released between our attempt and this look: not stale, just try again.
  if (text === null) return false;
  const pid = Number(text);
  // Never written whole: an older version's lock, left by a crash between creating and writing it.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
