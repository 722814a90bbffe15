/**
 * Column buffers handed back by the thread that appended their batch, for the next batches.
 *
 * A batch's buffers die on the appending thread, which frees them only at its next garbage
 * collection; that thread allocates little, so dead batches piled up there (10–40 MB during a
 * 200 MB SAF-T import) while the builder malloc'ed new ones of ever so slightly different
 * sizes. Reused, the same few megabytes go round and round.
 *
 * Sizes are rounded up to a quarter of a power of two, so a buffer fits the next request of
 * about its size; at most `POOL_BYTES` are kept, so a pause in the builder's demand keeps
 * nothing much alive. Without a returning thread the pool holds only what a builder lets go
 * itself: the validity bits of a column without nulls, a text buffer it outgrew.
 */
const POOL_BYTES = 32 * 1024 * 1024;

const pool = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;

/** The size class `byteLength` is served from: 1, 1.25, 1.5 or 1.75 × a power of two. */
export function sizeClass(byteLength: number): number {
  if (byteLength <= 4096) return 4096;
  const power = 2 ** Math.floor(Math.log2(byteLength));
  const quarter = power / 4;
  return Math.ceil(byteLength / quarter) * quarter;
}

/**
 * An ArrayBuffer of at least `byteLength` bytes, of unspecified content: the smallest spare
 * that fits, unless it is over twice the size (a big one is kept for a big request).
 */
export function takeBuffer(byteLength: number): ArrayBuffer {
  const size = sizeClass(byteLength);
  let fit = -1;
  for (const [spareSize, spares] of pool) {
    if (spareSize >= size && spareSize <= 2 * size && spares.length > 0 && (fit < 0 || spareSize < fit)) fit = spareSize;
  }
  if (fit < 0) return Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
  pooledBytes -= fit;
  return pool.get(fit)!.pop()!;
}

/** Keeps buffers for `takeBuffer`; ones of a size it never hands out are left to the GC. */
export function recycleBuffers(buffers: Iterable<ArrayBuffer>): void {
  for (const buffer of buffers) {
    const size = buffer.byteLength;
    if (size !== sizeClass(size) || pooledBytes + size > POOL_BYTES) continue;
    let spares = pool.get(size);
    if (spares === undefined) pool.set(size, (spares = []));
    spares.push(buffer);
    pooledBytes += size;
  }
}
