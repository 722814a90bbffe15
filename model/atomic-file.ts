// Files that appear whole or not at all: written to a temp file beside the target (same
// folder, so same file system and rename replaces), flushed to disk, then renamed over it.
// A crash or a full disk leaves the previous file; a failure removes the temp file.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { chmod, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface AtomicWriteOptions {
  /** File mode, e.g. `0o600` for secrets; applied before the file gets its name. */
  mode?: number;
}

/** A hidden, unique name beside `path`: concurrent writers never share a temp file. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Lets `write` fill a temp file by any means (it must have closed what it opened when it
 * settles), then flushes it and renames it to `path`.
 */
export async function replaceFileAtomically(path: string, write: (tempPath: string) => Promise<void>, options: AtomicWriteOptions = {}): Promise<void> {
  await placeFileAtomically(tempPathFor(path), write, async () => path, options);
}

/**
 * The same, for a file whose name depends on what was written (a content address): `write`
 * fills `temp`, which is flushed; then `place` names the path it goes to (its folder on the
 * same file system), or `null` to drop it (that content is there already). Returns the path,
 * or `null`.
 */
export async function placeFileAtomically(
  temp: string,
  write: (tempPath: string) => Promise<void>,
  place: () => Promise<string | null>,
  options: AtomicWriteOptions = {},
): Promise<string | null> {
  let path: string | null;
  try {
    await write(temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask may have narrowed (or a prior writer widened) the mode `open` was given.
    if (options.mode !== undefined) await chmod(temp, options.mode);
    path = await place();
    if (path === null) await rm(temp, { force: true });
    else await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (path !== null) syncFolder(dirname(path));
  return path;
}

export async function writeFileAtomically(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await replaceFileAtomically(
    path,
    async (temp) => {
      const handle = await open(temp, 'w', options.mode ?? 0o666);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
    },
    options,
  );
}

/** Streams `source` (a readable, or chunks from a generator) into `path`, atomically. */
export async function writeStreamAtomically(path: string, source: Readable | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  // pipeline settles only once the file stream has closed, so the temp file cannot reappear after cleanup.
  await replaceFileAtomically(path, (temp) => pipeline(source, createWriteStream(temp, { mode: options.mode ?? 0o666 })), options);
}

/** The same, for synchronous callers (test helpers, build scripts). */
export function writeFileAtomicallySync(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'w', options.mode ?? 0o666);
    try {
      writeFileSync(fd, content);
      if (options.mode !== undefined) fchmodSync(fd, options.mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}

/** Makes the rename itself durable; best effort, as not every platform can open a folder. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // A folder that cannot be synced still has the whole file; only durability across a power loss is weaker.
  }
}
