// #KSUMMA (SIE 4B §10): CRC-32, polynomial EDB88320 reflected, init FFFFFFFF, final
// inversion — the zip/zlib CRC. Own table so it works on every Node 20 minor.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Incremental CRC-32: `value` is the finished checksum of all bytes fed so far. */
export class SieChecksum {
  private state = 0xffffffff;

  update(bytes: Uint8Array): void {
    let c = this.state;
    for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    this.state = c;
  }

  /** Feeds text through a char code → byte table (single-byte encodings). */
  updateText(text: string, bytes: Uint8Array): void {
    let c = this.state;
    for (let i = 0; i < text.length; i++) c = TABLE[(c ^ bytes[text.charCodeAt(i)]!) & 0xff]! ^ (c >>> 8);
    this.state = c;
  }

  get value(): number {
    return (this.state ^ 0xffffffff) >>> 0;
  }
}

export function crc32(bytes: Uint8Array): number {
  const sum = new SieChecksum();
  sum.update(bytes);
  return sum.value;
}

/**
 * A #KSUMMA field as an unsigned 32-bit value. Writers print it signed or unsigned, so
 * both are accepted; null when it is not an integer.
 */
export function parseChecksumField(text: string): number | null {
  if (!/^-?\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  if (n < -0x80000000 || n > 0xffffffff) return null;
  return n >>> 0;
}
