// Which text encoding an SIE file really uses. The spec demands CP437 (#FORMAT PC8), but real
// exports are UTF-8 or Latin-1 while still declaring PC8, so the bytes decide, not the header.

import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';

/** Bytes whose letter statistics are counted. */
const SCORE_BYTES = 4 << 20;

export type SieEncoding = 'utf-8' | 'cp437' | 'windows-1252';

// Swedish letters (åäöÅÄÖéü) as CP437 and as Latin-1 / Windows-1252 bytes.
const CP437_LETTERS = [0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82, 0x81];
const LATIN1_LETTERS = [0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9, 0xfc];

/** Facts gathered in one pass over the bytes; feed chunks in file order. */
export class EncodingSniffer {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private validUtf8 = true;
  private nonAscii = false;
  private cp437Score = 0;
  private latin1Score = 0;
  private readonly counts = new Uint32Array(256);
  bytesSeen = 0;
  /** The first bytes as Latin-1 text, where #FORMAT is looked for. */
  head = '';

  get pureAscii(): boolean {
    return !this.nonAscii;
  }

  push(chunk: Uint8Array): void {
    if (this.head === '') this.head = Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.byteLength, 8192)).toString('latin1');
    // Letter statistics from the first few MiB decide CP437 vs Latin-1; past that only the
    // (native) UTF-8 validation and ASCII checks run, so huge files cost little here.
    if (this.bytesSeen < SCORE_BYTES) {
      const counts = this.counts;
      for (let i = 0; i < chunk.length; i++) counts[chunk[i]!]!++;
    }
    this.bytesSeen += chunk.length;
    if (!this.nonAscii && !isAscii(chunk)) this.nonAscii = true;
    if (this.validUtf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        this.validUtf8 = false;
      }
    }
  }

  finish(): SieEncoding {
    if (this.validUtf8) {
      try {
        this.utf8.decode();
      } catch {
        this.validUtf8 = false;
      }
    }
    if (this.validUtf8 && this.nonAscii) return 'utf-8';
    this.cp437Score = CP437_LETTERS.reduce((s, b) => s + this.counts[b]!, 0);
    this.latin1Score = LATIN1_LETTERS.reduce((s, b) => s + this.counts[b]!, 0);
    // Ties (including pure ASCII) go to the spec's CP437.
    return this.latin1Score > this.cp437Score ? 'windows-1252' : 'cp437';
  }
}

/** Index of the first byte that marks binary data (NUL, or mostly control bytes), else -1. */
export function findBinaryByte(chunk: Uint8Array, isFirstChunk: boolean): number {
  const nul = chunk.indexOf(0);
  if (nul >= 0) return nul;
  if (!isFirstChunk) return -1;
  const sample = Math.min(chunk.length, 8192);
  let control = 0;
  let first = -1;
  for (let i = 0; i < sample; i++) {
    const b = chunk[i]!;
    // TAB, LF, CR, FF and the DOS end-of-file mark are normal in text files.
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 26) || b === 0x7f) {
      control++;
      if (first < 0) first = i;
    }
  }
  return control > 0 && control * 20 > sample ? first : -1;
}

/** Streaming decoder: bytes in, text out, BOM stripped, multi-byte UTF-8 split across chunks kept. */
export function createSieDecoder(encoding: SieEncoding): (chunk: Uint8Array | null) => string {
  let first = true;
  const strip = (text: string): string => {
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    }
    return text;
  };
  if (encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    return (chunk) => strip(chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode());
  }
  // Single-byte: Node's native latin1 decoding, then remap only the bytes ≥ 0x80 (few in
  // Swedish text) — several times faster than a general decoder on large files.
  const table = highCharTable(encoding);
  const high = /[\x80-\xff]/g;
  const remap = (ch: string): string => table[ch.charCodeAt(0) - 0x80]!;
  return (chunk) => {
    if (!chunk) return '';
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    return strip(high.test(text) ? ((high.lastIndex = 0), text.replace(high, remap)) : text);
  };
}

const highTables = new Map<SieEncoding, string[]>();

/** The characters bytes 0x80–0xFF stand for in a single-byte encoding. */
function highCharTable(encoding: SieEncoding): string[] {
  let table = highTables.get(encoding);
  if (!table) {
    const bytes = Buffer.alloc(128);
    for (let i = 0; i < 128; i++) bytes[i] = 0x80 + i;
    table = [...iconv.decode(bytes, encoding === 'cp437' ? 'cp437' : 'win1252')];
    highTables.set(encoding, table);
  }
  return table;
}

const byteTables = new Map<SieEncoding, Uint8Array>();

/**
 * char code → byte for a single-byte encoding (`?` for characters it cannot hold). Lets
 * checksums run over text without building byte buffers.
 */
export function singleByteTable(encoding: 'cp437' | 'windows-1252'): Uint8Array {
  let table = byteTables.get(encoding);
  if (!table) {
    table = new Uint8Array(65536).fill(0x3f);
    for (let b = 0; b < 0x80; b++) table[b] = b;
    highCharTable(encoding).forEach((ch, i) => {
      if (ch !== '\ufffd') table![ch.charCodeAt(0)] = 0x80 + i;
    });
    byteTables.set(encoding, table);
  }
  return table;
}

/** Text back to the bytes the file had (lossless for the single-byte encodings). */
export function encodeSieText(text: string, encoding: SieEncoding): Uint8Array {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const table = singleByteTable(encoding);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = table[text.charCodeAt(i)]!;
  return out;
}
