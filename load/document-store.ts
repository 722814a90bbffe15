// The warehouse's document folder: files behind vouchers, stored under their sha256 in a
// folder beside the warehouse file (`<warehouse>.documents/ab/cdef…`). The path is the hash,
// so a name from a source is only metadata and can never point anywhere else; the same bytes
// are kept once, whatever they were called and however many rows list them.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { placeFileAtomically, tempPathFor } from '../model/index.ts';
import type { Warehouse } from './warehouse.ts';

/** A file in the document folder; `stored_path` is relative to the warehouse file's folder. */
export interface StoredFile {
  sha256: string;
  byte_size: number;
  stored_path: string;
  /** What the first bytes show (see `sniffContentType`); `null` when they show nothing known. */
  content_type: string | null;
}

/** A row of `document` as a stream needs it to skip the download. */
export interface HeldDocumentRow extends StoredFile {
  document_id: string;
}

/** Magic numbers of the files bookkeeping attaches, by the bytes they start with. */
const SIGNATURES: readonly [type: string, magic: readonly number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]], // GIF8
  ['image/tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['image/tiff', [0x4d, 0x4d, 0x00, 0x2a]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]], // also .docx/.xlsx
];

/**
 * A file's type by its first bytes: what a source states (a header, an extension in a name
 * anyone typed) says less than the bytes themselves.
 */
export function sniffContentType(head: Uint8Array): string | null {
  for (const [type, magic] of SIGNATURES) if (magic.length <= head.length && magic.every((b, i) => head[i] === b)) return type;
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1').trimStart();
  if (text.startsWith('<?xml')) return 'application/xml';
  return null;
}

const SHA256 = /^[0-9a-f]{64}$/;
const SHARD = /^[0-9a-f]{2}$/;
/** Every temp file of the folder starts so (see `tempPathFor`): a crashed download's leftovers. */
const INCOMING = 'incoming';

/**
 * Files this process is writing, or stored for a run that has not finished: no sweep may
 * take them, though no row lists them yet. (One process writes a warehouse; runs of several
 * organizations may share it.) Absolute path → how many holders.
 */
const pinned = new Map<string, number>();
const pin = (path: string) => pinned.set(path, (pinned.get(path) ?? 0) + 1);
const unpin = (path: string) => {
  const n = (pinned.get(path) ?? 0) - 1;
  if (n > 0) pinned.set(path, n);
  else pinned.delete(path);
};

/** The document folder of the warehouse at `warehousePath`. */
export function documentFolderOf(warehousePath: string): string {
  return `${warehousePath}.documents`;
}

export class DocumentStore {
  /** The folder stored paths are relative to: the warehouse file's. */
  private readonly base: string;

  constructor(readonly folder: string) {
    this.base = dirname(folder);
  }

  static of(warehouse: Pick<Warehouse, 'path'>): DocumentStore {
    return new DocumentStore(documentFolderOf(warehouse.path));
  }

  /** Where the bytes of `sha256` are kept, relative to the warehouse file's folder. */
  storedPathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new RangeError(`"${sha256}" is not a sha256 in hex.`);
    return `${basename(this.folder)}/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
  }

  /** Whether the bytes of `sha256` are on disk. */
  has(sha256: string): boolean {
    return SHA256.test(sha256) && existsSync(join(this.base, this.storedPathOf(sha256)));
  }

  /**
   * Streams `body` into the folder: hashed while written to a temp file, flushed, then renamed
   * to its content address, or dropped when those bytes are there already. A body that fails
   * midway leaves nothing behind. The file stays pinned (no sweep takes it) until `release`d,
   * once a committed row lists it or the run is over.
   */
  async store(body: AsyncIterable<Uint8Array>): Promise<StoredFile> {
    await mkdir(this.folder, { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    let sha256 = '';
    let head = Buffer.alloc(0);
    const temp = tempPathFor(join(this.folder, INCOMING));
    pin(temp);
    try {
      await this.place(temp, body, hash, (chunk) => {
        size += chunk.length;
        if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
      }, (digest) => (sha256 = digest));
    } catch (error) {
      // Pinned just before a rename that failed: nothing stored, nothing to hold.
      if (sha256) this.release([sha256]);
      throw error;
    } finally {
      unpin(temp);
    }
    return { sha256, byte_size: size, stored_path: this.storedPathOf(sha256), content_type: sniffContentType(head) };
  }

  /** Lets sweeps take files `store` pinned (each once per time it was stored). */
  release(sha256s: Iterable<string>): void {
    for (const sha256 of sha256s) if (SHA256.test(sha256)) unpin(join(this.base, this.storedPathOf(sha256)));
  }

  private async place(temp: string, body: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>, seen: (chunk: Uint8Array) => void, named: (sha256: string) => void): Promise<void> {
    await placeFileAtomically(
      temp,
      (temp) =>
        pipeline(
          body,
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              seen(chunk);
              yield chunk;
            }
          },
          createWriteStream(temp),
        ),
      async () => {
        const sha256 = hash.digest('hex');
        named(sha256);
        const path = join(this.base, this.storedPathOf(sha256));
        // Pinned before looking: a sweep cannot take the copy that is already there meanwhile.
        pin(path);
        if (this.has(sha256)) return null;
        await mkdir(dirname(path), { recursive: true });
        return path;
      },
    );
  }

  /**
   * Removes every file no row lists any more (its year left the history window, its source
   * dropped it) and the leftovers of downloads a crash cut short. Only between runs or at a
   * run's end: a download in flight has no row yet. Returns how many files went. It reads
   * the whole folder: after a run, `removeUnlisted` with the run's candidates does less.
   */
  async sweep(referenced: ReadonlySet<string>): Promise<number> {
    let removed = await this.clearIncoming();
    for (const entry of await this.entries()) {
      const path = join(this.folder, entry);
      // Anything not made here (a note someone left) is not this store's to remove.
      if (!SHARD.test(entry)) continue;
      const files = await readdir(path);
      let kept = 0;
      for (const file of files) {
        const sha256 = entry + file;
        if (!SHA256.test(sha256) || referenced.has(sha256) || pinned.has(join(path, file))) {
          kept++;
          continue;
        }
        await rm(join(path, file), { force: true });
        removed++;
      }
      if (kept === 0) await rmdir(path).catch(() => undefined);
    }
    return removed;
  }

  /** Removes the files of `candidates` that `referenced` lacks, and crashed downloads' temp files. */
  async removeUnlisted(candidates: Iterable<string>, referenced: ReadonlySet<string>): Promise<number> {
    let removed = await this.clearIncoming();
    for (const sha256 of new Set(candidates)) {
      const path = SHA256.test(sha256) ? join(this.base, this.storedPathOf(sha256)) : '';
      if (!path || referenced.has(sha256) || pinned.has(path) || !this.has(sha256)) continue;
      await rm(path, { force: true });
      removed++;
      // The shard folder goes once empty; rmdir refuses one that is not.
      await rmdir(dirname(path)).catch(() => undefined);
    }
    return removed;
  }

  /** The temp files of downloads a crash cut short (nothing else downloads between runs). */
  private async clearIncoming(): Promise<number> {
    let removed = 0;
    for (const entry of await this.entries()) {
      if (!entry.startsWith(`.${INCOMING}.`) || !entry.endsWith('.tmp') || pinned.has(join(this.folder, entry))) continue;
      await rm(join(this.folder, entry), { force: true });
      removed++;
    }
    return removed;
  }

  private async entries(): Promise<string[]> {
    try {
      return await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** The documents the warehouse lists for one organization, by document id. */
export async function heldDocuments(warehouse: Warehouse, orgId: string): Promise<Map<string, HeldDocumentRow>> {
  type Listed = { document_id: string; sha256: string; byte_size: string; stored_path: string; content_type: string | null };
  const rows = await warehouse.all<Listed>(
    `SELECT document_id, sha256, byte_size::VARCHAR AS byte_size, stored_path, content_type FROM document
     WHERE org_id = $1 AND sha256 IS NOT NULL AND stored_path IS NOT NULL`,
    [orgId],
  );
  return new Map(rows.map((r) => [r.document_id, { ...r, byte_size: Number(r.byte_size) }]));
}

/**
 * Removes from the warehouse's document folder the files no organization's rows list: of
 * `candidates` (what a run's rows listed before it, and what it stored), or of the whole
 * folder when none are given (after a crash left files nobody remembers).
 */
export async function sweepDocuments(warehouse: Warehouse, candidates?: Iterable<string>): Promise<number> {
  const store = DocumentStore.of(warehouse);
  if (candidates === undefined) {
    const rows = await warehouse.all<{ sha256: string }>('SELECT DISTINCT sha256 FROM document WHERE sha256 IS NOT NULL');
    return store.sweep(new Set(rows.map((r) => r.sha256)));
  }
  const list = [...new Set(candidates)].filter((c) => SHA256.test(c));
  const referenced = new Set<string>();
  for (let i = 0; i < list.length; i += 1000) {
    const chunk = list.slice(i, i + 1000);
    const rows = await warehouse.all<{ sha256: string }>(`SELECT DISTINCT sha256 FROM document WHERE sha256 IN (${chunk.map((_, k) => `$${k + 1}`).join(', ')})`, chunk);
    for (const r of rows) referenced.add(r.sha256);
  }
  return store.removeUnlisted(list, referenced);
}

/** The sha256 of every document an organization lists: what a run may leave unlisted. */
export async function listedDocumentHashes(warehouse: Warehouse, orgId: string): Promise<Set<string>> {
  const rows = await warehouse.all<{ sha256: string }>('SELECT DISTINCT sha256 FROM document WHERE org_id = $1 AND sha256 IS NOT NULL', [orgId]);
  return new Set(rows.map((r) => r.sha256));
}
