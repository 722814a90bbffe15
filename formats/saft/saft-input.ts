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

/** Bytes decoded to text at a time (plain files are read four chunks at a time). */
export const CHUNK_BYTES = 1 << 16;

export interface SaftPart {
  /** For messages and locations: the path, or `archive.zip!inner.xml`. */
  name: string;
  /** From a `_<n>_<total>.xml` suffix, when the name has one. */
  partNo: number | null;
  partTotal: number | null;
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
  return { name: source.name, ...splitNumbers(basename(source.name)), open: async () => source.open() };
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
    return [{ name, ...splitNumbers(basename(path).replace(/\.gz$/i, '')), open: async () => createReadStream(path, { highWaterMark: CHUNK_BYTES }).pipe(createGunzip({ chunkSize: CHUNK_BYTES })) }];
  }
  return [{ name: path, ...splitNumbers(basename(path)), open: async () => readFileChunks(path, 4 * CHUNK_BYTES) }];
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
  const names: { name: string; size: number }[] = [];
  try {
    await eachEntry(zip, (e) => {
      if (!e.fileName.endsWith('/') && isXmlEntry(e.fileName)) names.push({ name: e.fileName, size: e.uncompressedSize });
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
  return names.map(({ name: entry, size }) => {
    const name = `${path}!${entry}`;
    if (size === 0) {
      return { name, ...splitNumbers(entry), open: () => Promise.reject(new FileFormatError(`${name} is empty (0 bytes): export the SAF-T file again.`, { file: name })) };
    }
    return { name, ...splitNumbers(entry), open: () => openZipEntry(path, entry) };
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

/**
 * The part as text chunks of about CHUNK_BYTES characters at most. Detects the encoding
 * (BOM, else the XML declaration, default UTF-8), strips the BOM and rejects input that is
 * plainly not XML before the parser sees it.
 */
export async function* readPartText(part: SaftPart): AsyncGenerator<string> {
  const stream = await part.open();
  let decode: ((b: Buffer) => string) | null = null;
  let finish: (() => string) | null = null;
  let sawAny = false;
  try {
    for await (const chunk of stream) {
      if (chunk.length === 0) continue;
      let buf = chunk;
      if (decode === null) {
        sawAny = true;
        const setup = setupDecoder(part, buf);
        decode = setup.decode;
        finish = setup.finish;
        buf = buf.subarray(setup.skip);
      }
      // CHUNK_BYTES at a time, whatever was read: a longer text is a large object to V8,
      // which only a full collection frees (13 of them on a 200 MB file, 3 this way).
      for (let at = 0; at < buf.length; at += CHUNK_BYTES) {
        const text = decode(buf.subarray(at, at + CHUNK_BYTES));
        if (text !== '') yield text;
      }
    }
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError(`${part.name} could not be read to the end (${(e as Error).message}): check the file or archive.`, { file: part.name }, { cause: e });
  }
  if (!sawAny) throw new FileFormatError(`${part.name} is empty (0 bytes): export the SAF-T file again.`, { file: part.name });
  const tail = finish?.() ?? '';
  if (tail !== '') yield tail;
}

function setupDecoder(part: SaftPart, first: Buffer): { decode: (b: Buffer) => string; finish: () => string; skip: number } {
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
  if (encoding === 'utf-8' || encoding === 'utf8') {
    // TextDecoder streams UTF-8 about half again as fast as StringDecoder; both replace bad bytes with U+FFFD.
    const d = new TextDecoder('utf-8');
    return { decode: (b) => d.decode(b, { stream: true }), finish: () => d.decode(), skip };
  }
  if (!iconv.encodingExists(encoding)) {
    throw new FileFormatError(`${part.name} line 1: the XML declares the unknown encoding "${encoding}": export it again as UTF-8.`, { file: part.name, line: 1 });
  }
  const d = iconv.getDecoder(encoding);
  return { decode: (b) => d.write(b), finish: () => d.end() ?? '', skip };
}
