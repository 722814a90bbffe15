import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentStore, documentFolderOf, sniffContentType } from '../../load/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function storeIn(dir: string): DocumentStore {
  return new DocumentStore(documentFolderOf(join(dir, 'w.duckdb')));
}

describe('DocumentStore', () => {
  it('stores bytes under their sha256, beside the warehouse, with a path relative to its folder', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(70_000, 7)]);
    const stored = await store.store(chunks(bytes.subarray(0, 10), bytes.subarray(10)));
    const hash = sha(bytes);
    expect(stored).toEqual({ sha256: hash, byte_size: bytes.length, stored_path: `w.duckdb.documents/${hash.slice(0, 2)}/${hash.slice(2)}`, content_type: 'application/pdf' });
    expect(readFileSync(join(dir, stored.stored_path)).equals(bytes)).toBe(true);
    expect(store.has(hash)).toBe(true);
    expect(filesUnder(store.folder)).toEqual([`${hash.slice(0, 2)}/${hash.slice(2)}`]);
  });

  it('keeps the same bytes once, however often they are stored', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const a = await store.store(chunks('receipt 1'));
    const b = await store.store(chunks('rec', 'eipt 1'));
    const c = await store.store(chunks('receipt 2'));
    expect(b).toEqual(a);
    expect(c.sha256).not.toBe(a.sha256);
    expect(filesUnder(store.folder)).toHaveLength(2);
  });

  it('never lets a name from a source become a path: only the hash is', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    // The store takes no name at all; a caller cannot smuggle one in through the sha either.
    for (const hostile of ['../../etc/passwd', '..', `../${'a'.repeat(64)}`, `${'a'.repeat(63)}/`]) {
      expect(() => store.storedPathOf(hostile)).toThrow(RangeError);
      expect(store.has(hostile)).toBe(false);
    }
    const stored = await store.store(chunks('root:x:0:0'));
    const absolute = resolve(dir, stored.stored_path);
    expect(absolute.startsWith(store.folder + '/')).toBe(true);
    expect(filesUnder(dir).every((f) => f.startsWith('w.duckdb.documents/'))).toBe(true);
  });

  it('leaves nothing behind when the body fails midway, and stores it whole when asked again', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    async function* cut(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(100_000, 1);
      throw new Error('connection reset');
    }
    await expect(store.store(cut())).rejects.toThrow('connection reset');
    expect(filesUnder(store.folder)).toEqual([]);
    const whole = await store.store(chunks(Buffer.alloc(100_000, 1), Buffer.alloc(100_000, 2)));
    expect(whole.byte_size).toBe(200_000);
    expect(filesUnder(store.folder)).toHaveLength(1);
  });

  it('sweeps files no row lists and the temp files of a crashed download, and nothing else', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const kept = await store.store(chunks('kept'));
    const dropped = await store.store(chunks('dropped'));
    store.release([kept.sha256, dropped.sha256]); // their runs are over
    // What a process killed mid-download leaves: a hidden temp file in the folder.
    writeFileSync(join(store.folder, '.incoming.4242.deadbeef.tmp'), 'half a recei');
    writeFileSync(join(store.folder, 'README.txt'), 'not the store’s');
    mkdirSync(join(store.folder, 'zz'));
    writeFileSync(join(store.folder, 'zz', 'notes'), 'not the store’s either');
    expect(await store.sweep(new Set([kept.sha256]))).toBe(2);
    expect(existsSync(join(dir, kept.stored_path))).toBe(true);
    expect(existsSync(join(dir, dropped.stored_path))).toBe(false);
    // The shard folder of the dropped file went with it (unless it shares the kept one's).
    if (dropped.sha256.slice(0, 2) !== kept.sha256.slice(0, 2)) expect(existsSync(dirname(join(dir, dropped.stored_path)))).toBe(false);
    expect(filesUnder(store.folder)).toEqual([`${kept.sha256.slice(0, 2)}/${kept.sha256.slice(2)}`, 'README.txt', 'zz/notes'].sort());
  });

  it('tells the type by the first bytes, whatever a name would claim, even split across chunks', async () => {
    const store = storeIn(tempDir());
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await store.store(chunks(png.subarray(0, 3), png.subarray(3)))).content_type).toBe('image/png');
    expect((await store.store(chunks(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])))).content_type).toBe('image/jpeg');
    expect((await store.store(chunks('  <?xml version="1.0"?><Invoice/>'))).content_type).toBe('application/xml');
    expect((await store.store(chunks('just some text'))).content_type).toBeNull();
    expect(sniffContentType(new Uint8Array())).toBeNull();
  });

  it("removes only a run's candidates that no row lists, without reading the whole folder", async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const listed = await store.store(chunks('still listed'));
    const dropped = await store.store(chunks('dropped by the run'));
    const other = await store.store(chunks("another organization's, not a candidate"));
    store.release([listed.sha256, dropped.sha256, other.sha256]);
    writeFileSync(join(store.folder, '.incoming.4242.cafe.tmp'), 'half');
    expect(await store.removeUnlisted([listed.sha256, dropped.sha256, dropped.sha256, '../../etc/passwd'], new Set([listed.sha256]))).toBe(2);
    expect([listed, dropped, other].map((f) => existsSync(join(dir, f.stored_path)))).toEqual([true, false, true]);
    expect(filesUnder(store.folder).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('never sweeps a file stored for a run still going, nor one being written', async () => {
    const dir = tempDir();
    const store = storeIn(dir);
    const pinned = await store.store(chunks('stored by a run not yet committed'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('first half, ');
      await gate;
      yield Buffer.from('second half');
    }
    const writing = store.store(slow());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.sweep(new Set())).toBe(0);
    expect(await store.removeUnlisted([pinned.sha256], new Set())).toBe(0);
    release();
    const written = await writing;
    expect(readFileSync(join(dir, written.stored_path), 'utf8')).toBe('first half, second half');
    store.release([pinned.sha256, written.sha256]);
    expect(await store.sweep(new Set())).toBe(2);
    expect(filesUnder(store.folder)).toEqual([]);
  });

  it('sweeps a folder that does not exist yet without making it', async () => {
    const store = storeIn(tempDir());
    expect(await store.sweep(new Set())).toBe(0);
    expect(existsSync(store.folder)).toBe(false);
  });
});
