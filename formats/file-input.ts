import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * What a reader reads: a file path, or an export already in hand (bytes a connector
 * downloaded, a response body) with the name its messages give it, so no temp file is needed.
 */
export type FileInput = string | { name: string; bytes: Uint8Array } | { name: string; stream: Readable | AsyncIterable<Uint8Array> };

/** The name messages and locations use: the path, or the name given with the bytes. */
export function inputName(input: FileInput): string {
  return typeof input === 'string' ? input : input.name;
}

/** A file's bytes, readable more than once (SIE reads a file twice: once to pick its encoding). */
export interface ByteSource {
  name: string;
  open(): AsyncIterable<Buffer>;
}

/**
 * Every input as chunks of `chunkBytes` (the last may be shorter): a path is read as a file
 * stream, bytes are cut into views, and a stream, which can be read once, is kept as it is
 * read and replayed from memory for the next pass.
 */
export function byteSource(input: FileInput, chunkBytes: number): ByteSource {
  if (typeof input === 'string') return { name: input, open: () => createReadStream(input, { highWaterMark: chunkBytes }) };
  if ('bytes' in input) {
    const { bytes } = input;
    return { name: input.name, open: () => slices(asBuffer(bytes), chunkBytes) };
  }
  let kept: Buffer[] | null = null;
  let read = false;
  const { stream } = input;
  return {
    name: input.name,
    open: () => {
      if (kept !== null) return replay(kept);
      if (read) throw new Error(`${input.name} was a stream that could be read only once, and its first read did not finish.`);
      read = true;
      return keep(rechunk(stream, chunkBytes), (chunks) => (kept = chunks));
    },
  };
}

/** A stream's bytes in chunks of `chunkBytes`, copied: a source may reuse its buffers (readFileChunks does). */
export async function* rechunk(stream: AsyncIterable<Uint8Array>, chunkBytes: number): AsyncGenerator<Buffer> {
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  for await (const piece of stream) {
    let at = 0;
    while (at < piece.length) {
      const n = Math.min(piece.length - at, chunkBytes - used);
      chunk.set(piece.subarray(at, at + n), used);
      used += n;
      at += n;
      if (used === chunkBytes) {
        yield chunk;
        chunk = Buffer.allocUnsafe(chunkBytes);
        used = 0;
      }
    }
  }
  if (used > 0) yield chunk.subarray(0, used);
}

async function* keep(chunks: AsyncIterable<Buffer>, done: (all: Buffer[]) => void): AsyncGenerator<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) {
    all.push(chunk);
    yield chunk;
  }
  done(all);
}

async function* replay(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

async function* slices(bytes: Buffer, chunkBytes: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
