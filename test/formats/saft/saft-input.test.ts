// What the SAF-T input refuses before the reader proper: bytes the declared encoding does
// not allow (naming the line), and packed files that unpack past the limits (zip bombs,
// generated here and never stored). Files correctly declared in a single-byte encoding read.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FileFormatError, readSaft } from '../../../formats/index.ts';
import { SAFT_READ_LIMITS } from '../../../formats/saft/index.ts';
import { bomb, readAll, tempDir, TOYEN } from './saft-test-utils.ts';

const dir = tempDir('saft-input');
const write = (name: string, data: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const toyen = readFileSync(TOYEN, 'utf8').replace(/^\uFEFF/, '');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

async function refusal(path: string, limits = SAFT_READ_LIMITS): Promise<FileFormatError> {
  try {
    for await (const _ of readSaft(path, limits)) void _;
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error(`${path} was not refused`);
}

describe('SAF-T encodings', () => {
  it('refuses Latin-1 bytes in a file that declares UTF-8, naming their line', async () => {
    const needle = 'Tøyen Lekefabrikk';
    expect(toyen).toContain(needle);
    const at = toyen.indexOf(needle);
    // The first "Tøyen" written as Latin-1 (ø = 0xF8), the rest of the file UTF-8.
    const bytes = Buffer.concat([Buffer.from(toyen.slice(0, at)), iconv.encode(needle, 'latin1'), Buffer.from(toyen.slice(at + needle.length))]);
    const e = await refusal(write('latin1-in-utf8.xml', bytes));
    expect(e.location.line).toBe(lineOf(toyen, needle));
    expect(e.message).toMatch(new RegExp(`latin1-in-utf8\\.xml line ${lineOf(toyen, needle)}: the file holds bytes that are not valid UTF-8 \\(bytes 0xF8\\)`));
    expect(e.message).toContain('encoding="ISO-8859-1"');
  });

  it.each([
    ['ISO-8859-1', 'iso-8859-1'],
    ['windows-1252', 'windows-1252'],
  ])('reads a file correctly declared %s, and says so', async (declared, used) => {
    const text = toyen.replace('encoding="UTF-8"', `encoding="${declared}"`);
    expect(text).not.toBe(toyen);
    const latin = await readAll([write(`${used}.xml`, iconv.encode(text, used))]);
    const utf8 = await readAll([TOYEN]);
    expect(latin.header.encoding).toBe(used);
    expect(utf8.header.encoding).toBe('utf-8');
    expect(latin.header.organization.name).toBe(utf8.header.organization.name);
    expect(latin.parties.map((p) => p.name)).toEqual(utf8.parties.map((p) => p.name));
    expect(latin.parties.some((p) => /[æøåÆØÅ]/.test(p.name))).toBe(true);
    expect(latin.vouchers.length).toBe(utf8.vouchers.length);
  });

  it('refuses a byte Windows-1252 has no character for, naming its line', async () => {
    const text = toyen.replace('encoding="UTF-8"', 'encoding="windows-1252"');
    const needle = '<n1:AccountDescription>';
    const at = text.indexOf(needle) + needle.length;
    const bytes = Buffer.concat([iconv.encode(text.slice(0, at), 'win1252'), Buffer.from([0x81]), iconv.encode(text.slice(at), 'win1252')]);
    const e = await refusal(write('undefined-1252.xml', bytes));
    expect(e.location.line).toBe(lineOf(text, needle));
    expect(e.message).toMatch(/not valid WINDOWS-1252/);
  });
});

describe('SAF-T packed input limits', () => {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">\n';

  it.each(['zip', 'gzip'] as const)('refuses a 3 MB %s holding a 3 GB comment within the first megabytes, in one sentence', async (kind) => {
    const packed = bomb(kind, `${head}<!--`, ' ', 3072, '--></AuditFile>\n');
    expect(packed.length).toBeLessThan(8 << 20);
    const started = process.memoryUsage().rss;
    const e = await refusal(write(`comment-bomb.${kind === 'zip' ? 'zip' : 'xml.gz'}`, packed));
    expect(e.message).toMatch(/line 3: a comment runs on for more than 8388608 characters, far longer than any SAF-T file holds, so the file is refused as damaged or hostile\.$/);
    expect(e.message.split('. ').length).toBe(1);
    // Bounded memory: far below the gigabytes the comment unpacks to.
    expect(process.memoryUsage().rss - started).toBeLessThan(256 << 20);
  });

  it.each(['zip', 'gzip'] as const)('refuses a %s that unpacks to more than the ratio allows, however its content is shaped', async (kind) => {
    // Empty elements in an unknown section: no construct is large, only the whole.
    const packed = bomb(kind, `${head}<Header><AuditFileVersion>1.30</AuditFileVersion></Header><Filler>`, '<x/>', 64, '</Filler></AuditFile>\n');
    const e = await refusal(write(`ratio-bomb.${kind === 'zip' ? 'zip' : 'xml.gz'}`, packed), { ...SAFT_READ_LIMITS, ratioFloorBytes: 1 << 20 });
    expect(e.message).toMatch(/unpacks to more than 100 times its packed size \(\d+ MiB from \d+ bytes so far\), which no SAF-T export does: it is a damaged file or a zip bomb, and is refused\.$/);
  });

  it('refuses a packed file past the absolute limit, whatever its ratio', async () => {
    const packed = bomb('gzip', `${head}<Header><AuditFileVersion>1.30</AuditFileVersion></Header><Filler>`, '<x/>', 8, '</Filler></AuditFile>\n');
    const e = await refusal(write('large.xml.gz', packed), { ...SAFT_READ_LIMITS, maxRatio: Infinity, maxUnpackedBytes: 2 << 20 });
    expect(e.message).toMatch(/large\.xml\.gz unpacks to more than 2 MiB, more than the importer reads from one packed file/);
  });

  it('reads an ordinary packed file under the default limits', async () => {
    const gz = bomb('gzip', readFileSync(TOYEN, 'utf8'), ' ', 0, '');
    const r = await readAll([write('toyen.xml.gz', gz)]);
    expect(r.vouchers.length).toBe(53);
  });
});
