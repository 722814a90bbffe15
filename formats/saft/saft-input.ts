// Opening SAF-T input: plain .xml (with or without BOM), .xml.gz, a .zip holding the XML, and
// split sets (`…_1_12.xml … _12_12.xml`) given as several paths or as one zip. Everything is
// streamed; nothing reads a whole file into memory.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { readFileChunks } from '../file-chunks.ts';
import { FileFormatError } from '../file-format-error.ts';
import { byteSource, type FileInput } from '../file-input.ts';
import { Utf8Validator } from '../utf8-validator.ts';

/** Bytes decoded to text at a time (plain files are read four chunks at a time). */
export const CHUNK_BYTES = 1 << 16;

/**
 * What a packed (zip or gzip) SAF-T file may unpack to. XML packs 10–30 times smaller; a
 * file that unpacks to far more is a zip bomb (3 MB holding a 3 GB comment), refused as
 * soon as it passes a limit rather than read for minutes.
 */
export interface UnpackLimits {
  /** Bytes one packed part may unpack to, whatever its packed size. */
  maxUnpackedBytes: number;
  /** Unpacked ÷ packed size allowed once `ratioFloorBytes` are unpacked. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const UNPACK_LIMITS: UnpackLimits = { maxUnpackedBytes: 8 * 2 ** 30, maxRatio: 100, ratioFloorBytes: 64 << 20 };

export interface SaftPart {
  /** For messages and locations: the path, or `archive.zip!inner.xml`. */
  name: string;
  /** From a `_<n>_<total>.xml` suffix, when the name has one. */
  partNo: number | null;
  partTotal: number | null;
  /** The packed size of a zip entry or gzip file; null for plain XML. */
  packedBytes: number | null;
  open(): Promise<AsyncIterable<Buffer>>;
}

// Part numbers are short; the long digit runs before them are orgnr and timestamp
// (`SAF-T Financial_888888888_20180228235959.xml` is NOT part 888888888 of 20180228235959).
const SPLIT = /_(\d{1,4})_(\d{1,4})\.xml$/i;

function splitNumbers(name: string): { partNo: number | null; partTotal: number | null } {
  const m = SPLIT.exec(name);
  if (!m) return { partNo: null, partTotal: null };
  const partNo = Number(m[1]);
  const partTotal = Number(m[2]);
  return partNo >= 1 && partNo <= partTotal ? { partNo, partTotal } : { partNo: null, partTotal: null };
}

/**
 * Every XML part behind the given inputs, in part-number order when all parts are numbered.
 * Paths may be zips or gzipped; bytes and streams are the XML itself, read as one stream.
 */
export async function resolveSaftParts(inputs: readonly FileInput[]): Promise<SaftPart[]> {
  if (inputs.length === 0) throw new FileFormatError('No SAF-T file was given.', { file: '' });
  const parts: SaftPart[] = [];
  for (const input of inputs) parts.push(...(typeof input === 'string' ? await partsOf(input) : [inMemoryPart(input)]));
  if (parts.length > 1 && parts.every((p) => p.partNo !== null)) {
    parts.sort((a, b) => a.partNo! - b.partNo!);
  }
  return parts;
}

/** Bytes or a stream in hand: read once, in the chunks a plain file is read in. */
function inMemoryPart(input: Exclude<FileInput, string>): SaftPart {
  const source = byteSource(input, 4 * CHUNK_BYTES);
  return { name: source.name, ...splitNumbers(basename(source.name)), packedBytes: null, open: async () => source.open() };
}

async function partsOf(path: string): Promise<SaftPart[]> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new FileFormatError(`${path} is not a file.`, { file: path });
    size = s.size;
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError(`${path} cannot be opened: ${(e as Error).message}.`, { file: path }, { cause: e });
  }
  if (size === 0) {
    throw new FileFormatError(`${path} is empty (0 bytes): export the SAF-T file again.`, { file: path });
  }
  const magic = await firstBytes(path, 4);
  if (magic[0] === 0x50 && magic[1] === 0x4b && (magic[2] === 0x03 || magic[2] === 0x05)) return zipParts(path);
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const name = path;
    return [{ name, ...splitNumbers(basename(path).replace(/\.gz$/i, '')), packedBytes: size, open: async () => gunzipped(path) }];
  }
  return [{ name: path, ...splitNumbers(basename(path)), packedBytes: null, open: async () => readFileChunks(path, 4 * CHUNK_BYTES) }];
}

/** A gzip file's bytes; a read stopped early (a refused bomb) closes the file and the inflater. */
async function* gunzipped(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = file.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  try {
    yield* gunzip;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) {
        reject(new FileFormatError(`${path} is not a readable zip archive (${err?.message ?? 'unknown error'}): check the download.`, { file: path }, { cause: err }));
      } else resolve(zip);
    });
  });
}

/** Walks the entries, calling `visit` until it returns true. */
function eachEntry(zip: yauzl.ZipFile, visit: (e: yauzl.Entry) => Promise<boolean> | boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      Promise.resolve(visit(entry)).then((stop) => (stop ? resolve() : zip.readEntry()), reject);
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
}

function isXmlEntry(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return /\.xml$/i.test(name) && !name.startsWith('__MACOSX/') && !base.startsWith('._');
}

async function zipParts(path: string): Promise<SaftPart[]> {
  const zip = await openZip(path);
  const names: { name: string; size: number; packed: number }[] = [];
  const fileBytes = (await stat(path)).size;
  try {
    await eachEntry(zip, (e) => {
      if (!e.fileName.endsWith('/') && isXmlEntry(e.fileName)) names.push({ name: e.fileName, size: e.uncompressedSize, packed: e.compressedSize });
      return false;
    });
  } catch (e) {
    throw new FileFormatError(`${path} is a damaged zip archive (${(e as Error).message}): check the download.`, { file: path }, { cause: e });
  } finally {
    zip.close();
  }
  if (names.length === 0) {
    throw new FileFormatError(`${path} is a zip archive without an .xml file inside: put the SAF-T XML file in it, or give the XML file itself.`, { file: path });
  }
  return names.map(({ name: entry, size, packed }) => {
    const name = `${path}!${entry}`;
    // The archive's own figures may lie; the bytes read are counted against the limits too.
    const packedBytes = Math.min(packed, fileBytes);
    if (size === 0) {
      return { name, ...splitNumbers(entry), packedBytes, open: () => Promise.reject(new FileFormatError(`${name} is empty (0 bytes): export the SAF-T file again.`, { file: name })) };
    }
    return { name, ...splitNumbers(entry), packedBytes, open: () => openZipEntry(path, entry) };
  });
}

async function openZipEntry(path: string, entryName: string): Promise<Readable> {
  const zip = await openZip(path);
  let stream: Readable | null = null;
  await eachEntry(zip, async (e) => {
    if (e.fileName !== entryName) return false;
    stream = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
    );
    return true;
  });
  if (stream === null) {
    zip.close();
    throw new FileFormatError(`${path} no longer contains ${entryName}.`, { file: path });
  }
  const s: Readable = stream;
  s.once('close', () => zip.close());
  s.once('end', () => zip.close());
  return s;
}

/** What reading a part found out: the encoding its text was decoded with. */
export interface PartTextInfo {
  encoding: string | null;
}

/**
 * The part as text chunks of about CHUNK_BYTES characters at most. Detects the encoding
 * (BOM, else the XML declaration, default UTF-8), strips the BOM and rejects input that is
 * plainly not XML before the parser sees it, bytes the encoding does not allow (naming the
 * line), and packed input that unpacks past `limits`.
 */
export async function* readPartText(part: SaftPart, limits: UnpackLimits = UNPACK_LIMITS, info: PartTextInfo = { encoding: null }): AsyncGenerator<string> {
  const stream = await part.open();
  let decode: ((b: Buffer) => string) | null = null;
  let finish: (() => string) | null = null;
  let sawAny = false;
  let unpacked = 0;
  try {
    for await (const chunk of stream) {
      if (chunk.length === 0) continue;
      unpacked += chunk.length;
      if (part.packedBytes !== null) checkUnpacked(part, part.packedBytes, unpacked, limits);
      let buf = chunk;
      if (decode === null) {
        sawAny = true;
        const setup = setupDecoder(part, buf);
        decode = setup.decode;
        finish = setup.finish;
        info.encoding = setup.encoding;
        buf = buf.subarray(setup.skip);
      }
      // CHUNK_BYTES at a time, whatever was read: a longer text is a large object to V8,
      // which only a full collection frees (13 of them on a 200 MB file, 3 this way).
      for (let at = 0; at < buf.length; at += CHUNK_BYTES) {
        const text = decode(buf.subarray(at, at + CHUNK_BYTES));
        if (text !== '') yield text;
      }
    }
    if (finish !== null) {
      const tail = finish();
      if (tail !== '') yield tail;
    }
  } catch (e) {
    if (e instanceof BadBytes) throw await badBytesError(part, info.encoding ?? 'utf-8');
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError(`${part.name} could not be read to the end (${(e as Error).message}): check the file or archive.`, { file: part.name }, { cause: e });
  }
  if (!sawAny) throw new FileFormatError(`${part.name} is empty (0 bytes): export the SAF-T file again.`, { file: part.name });
}

function checkUnpacked(part: SaftPart, packed: number, unpacked: number, limits: UnpackLimits): void {
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  if (unpacked > limits.maxUnpackedBytes) {
    throw new FileFormatError(`${part.name} unpacks to more than ${mib(limits.maxUnpackedBytes)}, more than the importer reads from one packed file: unpack it and import the XML itself if it really is that large.`, { file: part.name });
  }
  if (unpacked > limits.ratioFloorBytes && unpacked > packed * limits.maxRatio) {
    throw new FileFormatError(
      `${part.name} unpacks to more than ${limits.maxRatio} times its packed size (${mib(unpacked)} from ${packed} bytes so far), which no SAF-T export does: it is a damaged file or a zip bomb, and is refused.`,
      { file: part.name },
    );
  }
}

/** Thrown inside the read when bytes are not valid in the encoding; the part is then re-read to find where. */
class BadBytes extends Error {}

/**
 * The one-sentence refusal for bytes the encoding does not allow, naming the line: found by
 * reading the part again (it is rare, so the normal read counts no lines for it).
 */
async function badBytesError(part: SaftPart, encoding: string): Promise<FileFormatError> {
  const found = await findBadBytes(part, encoding).catch(() => null);
  const line = found?.line;
  const where = line === undefined ? part.name : `${part.name} line ${line}`;
  const bytes = found ? ` (${found.bytes})` : '';
  const hint = encoding === 'utf-8' ? `; if it was written as ISO-8859-1 or Windows-1252, its XML declaration must say so (encoding="ISO-8859-1"), else export it again as UTF-8` : '; export it again as UTF-8';
  return new FileFormatError(`${where}: the file holds bytes that are not valid ${encoding.toUpperCase()}${bytes}, the encoding it is read in${hint}.`, { file: part.name, line });
}

/** The line of the first byte sequence `encoding` does not allow, and those bytes in hex. */
async function findBadBytes(part: SaftPart, encoding: string): Promise<{ line: number; bytes: string } | null> {
  const stream = await part.open();
  let line = 1;
  if (encoding === 'utf-8') {
    const v = new Utf8Validator();
    for await (const chunk of stream) {
      const bad = v.push(chunk);
      if (bad !== null) return { line: bad.line, bytes: bad.bytes };
    }
    return v.end();
  }
  const d = iconv.getDecoder(encoding);
  let first = true;
  for await (const chunk of stream) {
    const text = d.write(first ? chunk.subarray(bomLength(chunk)) : chunk);
    first = false;
    const at = text.indexOf('\ufffd');
    if (at !== -1) {
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
      return { line, bytes: `a byte with no character in ${encoding}` };
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
  }
  return null;
}

function bomLength(b: Buffer): number {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 3;
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 2;
  return 0;
}

/** The encodings' names as the summary gives them. */
const CANONICAL: Record<string, string> = { utf8: 'utf-8', latin1: 'iso-8859-1', 'iso_8859-1': 'iso-8859-1', 'iso8859-1': 'iso-8859-1', cp1252: 'windows-1252', win1252: 'windows-1252' };

function setupDecoder(part: SaftPart, first: Buffer): { decode: (b: Buffer) => string; finish: () => string; skip: number; encoding: string } {
  let encoding = 'utf-8';
  let skip = 0;
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) skip = 3;
  else if (first[0] === 0xff && first[1] === 0xfe) [encoding, skip] = ['utf-16le', 2];
  else if (first[0] === 0xfe && first[1] === 0xff) [encoding, skip] = ['utf-16be', 2];
  else {
    const head = first.subarray(0, 512).toString('latin1');
    if (head.includes('\u0000') || /[\u0001-\u0008\u000e-\u001f]/.test(head)) {
      throw new FileFormatError(`${part.name} line 1: this is binary data, not an XML file: give the SAF-T .xml file (or a .zip containing it).`, { file: part.name, line: 1 });
    }
    const start = head.replace(/^\s+/, '');
    if (start !== '' && !start.startsWith('<')) {
      throw new FileFormatError(`${part.name} line 1: this is not an XML file (it starts with "${start.slice(0, 20).replace(/\s+/g, ' ')}"): give the SAF-T .xml file.`, { file: part.name, line: 1 });
    }
    const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(start)?.[1];
    if (declared) encoding = declared.toLowerCase();
  }
  encoding = CANONICAL[encoding] ?? encoding;
  if (encoding === 'utf-8') {
    // TextDecoder streams UTF-8 about half again as fast as StringDecoder. Fatal: a byte
    // that is not UTF-8 (Latin-1 text declared as UTF-8) is refused, never kept as U+FFFD.
    const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const guard = (f: () => string) => {
      try {
        return f();
      } catch {
        throw new BadBytes();
      }
    };
    return { decode: (b) => guard(() => d.decode(b, { stream: true })), finish: () => guard(() => d.decode()), skip, encoding };
  }
  if (!iconv.encodingExists(encoding)) {
    throw new FileFormatError(`${part.name} line 1: the XML declares the unknown encoding "${encoding}": export it again as UTF-8.`, { file: part.name, line: 1 });
  }
  // iconv turns a byte the encoding has no character for (0x81 in Windows-1252) into U+FFFD.
  const d = iconv.getDecoder(encoding);
  const checked = (text: string) => {
    if (text.includes('\ufffd')) throw new BadBytes();
    return text;
  };
  return { decode: (b) => checked(d.write(b)), finish: () => checked(d.end() ?? ''), skip, encoding };
}
